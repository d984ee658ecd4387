"""Tests for the matplotlib-only slider views (optim_helpers.views, .classifier_views),
their frames (optim_helpers.frames) and the readout line (optim_helpers.readout).

No browser and no ipywidgets: a view is driven by calling update() and render(), the
way a slider panel does, and its figure is inspected directly.
"""
import io
import math
import subprocess
import sys

import matplotlib
import numpy as np
import PIL.Image
import pytest
from matplotlib.text import Text

from optim_helpers import classifier_views, frames, landscapes, optimizers, readout, views
from optim_helpers.landscapes import Landscape
from optim_helpers.losses import softmax_loss, softmax_loss_grad

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def visible_texts(fig):
    """Every Text the figure draws, with its text: titles, labels, ticks in view, legend."""
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        axes = text.axes
        if axes is not None and text in axes.get_xticklabels(which="both") + axes.get_yticklabels(which="both"):
            lo, hi = sorted(axes.get_xlim() if text in axes.get_xticklabels(which="both") else axes.get_ylim())
            pos = text.get_position()[0 if text in axes.get_xticklabels(which="both") else 1]
            if not lo <= pos <= hi:
                continue
        found.append(text)
    return found


@pytest.fixture(scope="module")
def lands():
    return {name: views.LandscapeLRView(name, n_steps=30) for name in ("mountain", "bowl")}


@pytest.fixture(scope="module")
def clf(small):
    return classifier_views.ClassifierLRView(*small, reg=0.05, n_steps=15)


@pytest.fixture(scope="module")
def sgd_view(small):
    return classifier_views.SGDView(*small, reg=0.05, n_steps=20, eval_every=5,
                                    rng=np.random.default_rng(3))


# ---------------------------------------------------------------- imports

def test_views_and_frames_import_without_ipywidgets_or_pyplot():
    code = ("import sys\n"
            "import optim_helpers.frames, optim_helpers.readout\n"
            "assert 'matplotlib.pyplot' not in sys.modules, 'frames imported pyplot'\n"
            "import optim_helpers.views, optim_helpers.classifier_views\n"
            "assert 'ipywidgets' not in sys.modules, 'views imported ipywidgets'\n"
            "assert 'matplotlib.pyplot' not in sys.modules, 'views imported pyplot'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_readout_imports_no_matplotlib():
    code = "import sys, optim_helpers.readout\nassert 'matplotlib' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- readout

def test_format_readout_classifier_example():
    result = {"lr": 10 ** -1.5, "status": "max_steps", "final_loss": 0.29341, "val_acc": 0.9561}
    assert readout.format_readout(result) == \
        "lr = 0.0316 | status: max_steps | final loss: 0.2934 | val acc: 0.956"


def test_format_readout_landscape_and_sgd_fields():
    landscape = {"lr": 0.1, "status": "converged", "final_loss": 1.5, "n_steps": 12}
    assert readout.format_readout(landscape) == \
        "lr = 0.1 | status: converged | final loss: 1.5000 | steps: 12"
    sgd = {"lr": 3.0, "batch_size": 64, "status": "diverged", "final_loss": math.inf,
           "val_acc": math.nan, "n_steps": 5}
    assert readout.format_readout(sgd) == \
        "lr = 3 | batch = 64 | status: diverged | final loss: inf | val acc: nan"


@pytest.mark.parametrize("value, text", [(0.5, "0.5000"), (12345.0, "1.234e+04"),
                                         (math.nan, "nan"), (-math.inf, "inf"),
                                         (np.float64(2.0), "2.0000")])
def test_format_loss(value, text):
    assert readout.format_loss(value) == text


def test_readout_bad_input():
    with pytest.raises(ValueError, match=r"\bresult\b.*\bfinal_loss\b"):
        readout.format_readout({"lr": 0.1, "status": "max_steps"})
    with pytest.raises(TypeError, match=r"\bresult\b"):
        readout.format_readout([("lr", 0.1)])
    with pytest.raises(TypeError, match=r"\bvalue\b"):
        readout.format_loss("0.5")


# ---------------------------------------------------------------- 2-D landscape view

def test_landscape_update_matches_gradient_descent(lands):
    view = lands["mountain"]
    result = view.update(0.3)
    reference = optimizers.gradient_descent(landscapes.MOUNTAIN.loss_grad,
                                            np.array(landscapes.MOUNTAIN.start), 0.3, n_steps=30)
    assert result == {"lr": 0.3, "status": "max_steps", "final_loss": reference.losses[-1],
                      "n_steps": 30, "landscape": "mountain"}
    x, y = view.path_line.get_data()
    assert np.allclose(x, reference.path[:, 0]) and np.allclose(y, reference.path[:, 1])
    steps, losses = view.loss_line.get_data()
    assert np.allclose(losses, reference.losses) and len(steps) == 31
    assert not view.exit_label.get_visible()
    assert np.allclose(view.end_marker.get_xydata()[0], reference.path[-1])


def test_landscape_divergence_is_reported_and_lines_move_in_place(lands):
    view = lands["bowl"]
    line = view.path_line
    slow = view.update(0.01)
    diverged = view.update(3.0)       # on the bowl every lr > 2 overshoots further each step
    assert view.path_line is line
    assert slow["status"] == "max_steps" and diverged["status"] == "diverged"
    assert diverged["final_loss"] > 1e8
    assert "DIVERGED" in view.ax_loss.get_title()
    assert slow["final_loss"] < landscapes.BOWL.loss(landscapes.BOWL.start)


def test_path_that_leaves_the_map_shows_where_it_ended(lands):
    view = lands["mountain"]
    result = view.update(30.0)                           # flies off the map in a few steps
    assert result["status"] == "diverged"
    (x, y), = view.end_marker.get_xydata()
    (x0, x1), (y0, y1) = landscapes.MOUNTAIN.xlim, landscapes.MOUNTAIN.ylim
    assert x0 <= x <= x1 and y0 <= y <= y1               # clipped into the map
    assert view.exit_label.get_visible() and view.exit_label.get_text() == "left the map"
    view.update(0.3)
    assert not view.exit_label.get_visible()


def test_custom_landscape_is_drawn_and_run():
    tilted = Landscape("tilted bowl", lambda x, y: 0.5 * (x - 1) ** 2 + y ** 2,
                       lambda x, y: (x - 1, 2 * y), (-2, 3), (-2, 2), (-1.5, 1.5), (1.0, 0.0))
    view = views.LandscapeLRView(tilted, n_steps=40)
    result = view.update(0.3)
    assert result["landscape"] == "tilted bowl" and result["final_loss"] < 1e-3
    assert "tilted bowl" in view.ax_map.get_title()
    assert view.ax_map.get_xlim() == (-2, 3)


def test_landscape_view_bad_input(lands):
    with pytest.raises(ValueError, match=r"\blr\b"):
        lands["bowl"].update(-1.0)
    with pytest.raises(TypeError, match=r"\blr\b"):
        lands["bowl"].update("0.1")
    with pytest.raises(ValueError, match=r"\bname\b"):
        views.LandscapeLRView("volcano")
    with pytest.raises(ValueError, match=r"\bstart\b"):
        views.LandscapeLRView("bowl", start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"\bn_steps\b"):
        views.LandscapeLRView("bowl", n_steps=0)


# ---------------------------------------------------------------- digits, full batch

def test_classifier_view_matches_gradient_descent(small, clf):
    X, y, Xv, yv = small
    X_copy = X.copy()
    result = clf.update(1.0)
    reference = optimizers.gradient_descent(lambda W: softmax_loss_grad(W, X, y, 0.05),
                                            np.zeros((10, 65)), 1.0, n_steps=15)
    assert result["status"] == "max_steps" and result["n_steps"] == 15
    assert result["final_loss"] == pytest.approx(reference.losses[-1])
    assert result["val_loss"] == pytest.approx(softmax_loss(reference.w, Xv, yv, 0.05))
    assert result["val_acc"] == pytest.approx(np.mean((Xv @ reference.w.T).argmax(1) == yv))
    assert result["train_acc"] == pytest.approx(np.mean((X @ reference.w.T).argmax(1) == y))
    assert result["val_acc"] > 0.5                      # 15 steps already learn something
    assert np.array_equal(X, X_copy)
    _, val_acc = clf.val_acc_line.get_data()
    assert val_acc[-1] == pytest.approx(result["val_acc"])


def test_diverged_accuracy_line_and_title_agree(clf):
    result = clf.update(100.0)                          # lr * reg = 5 > 2
    assert result["status"] == "diverged"
    assert math.isnan(result["val_acc"]) and math.isnan(result["train_acc"])
    assert result["final_loss"] > 1e8
    for line in (clf.val_acc_line, clf.train_acc_line):
        assert np.isnan(line.get_data()[1][-1])         # the line ends before the last step
    title = clf.ax_acc.get_title()
    assert "nan" not in title and not any(ch.isdigit() for ch in title)
    assert "DIVERGED" in clf.ax_loss.get_title()
    assert clf.update(0.5)["status"] == "max_steps"     # and recovers below the threshold
    assert "0." in clf.ax_acc.get_title()


def test_classifier_view_bad_input(small):
    X, y, Xv, yv = small
    with pytest.raises(ValueError, match=r"\breg\b"):
        classifier_views.ClassifierLRView(X, y, Xv, yv, reg=-1.0)
    with pytest.raises(ValueError, match=r"\bX_val\b"):
        classifier_views.ClassifierLRView(X, y, Xv[:, :-1], yv)
    with pytest.raises(TypeError, match=r"\by_train\b"):
        classifier_views.ClassifierLRView(X, y.astype(float), Xv, yv)
    with pytest.raises(ValueError, match=r"\by_val\b"):
        classifier_views.ClassifierLRView(X, y, Xv, -yv)


# ---------------------------------------------------------------- digits, minibatches

def test_sgd_view_replays_the_same_minibatches(small, sgd_view):
    X, y, _, _ = small
    first = sgd_view.update(0.3, 16)
    lines = {name: line.get_xydata().copy() for name, line in sgd_view.lines.items()}
    sgd_view.update(1.0, 64)                            # other settings in between
    sgd_view.update(0.03, 1)
    again = sgd_view.update(0.3, 16)
    assert first == again
    for name, line in sgd_view.lines.items():
        np.testing.assert_array_equal(line.get_xydata(), lines[name])
    stream = np.random.default_rng(3).spawn(1)[0]       # the child stream the view took
    reference = optimizers.sgd(lambda W, Xb, yb: softmax_loss_grad(W, Xb, yb, 0.05),
                               np.zeros((10, 65)), X, y, 0.3, 16, n_steps=20, rng=stream)
    assert first["last_batch_loss"] == pytest.approx(reference.losses[-1])
    assert first["final_loss"] == pytest.approx(softmax_loss(reference.w, X, y, 0.05))
    assert first["batch_size"] == 16 and first["n_steps"] == 20


def test_sgd_view_takes_a_generator(small):
    with pytest.raises(TypeError, match=r"\brng\b"):
        classifier_views.SGDView(*small)
    with pytest.raises(TypeError, match=r"\brng\b"):
        classifier_views.SGDView(*small, rng=0)
    rng = np.random.default_rng(5)
    state = rng.bit_generator.state
    classifier_views.SGDView(*small, n_steps=5, rng=rng)
    assert rng.bit_generator.state == state             # spawning draws nothing from rng


def test_sgd_loss_axis_fits_the_curves(sgd_view):
    low_top, high_top = sgd_view.tops
    assert low_top == 2.5 and high_top == 5.0           # initial loss log(10) = 2.30
    calm = sgd_view.update(0.3, 32)
    bottom, top = sgd_view.ax_step.get_ylim()
    assert sgd_view.ax_seen.get_ylim() == (bottom, top) and top == low_top
    shown = np.concatenate([line.get_ydata() for (ax, _), line in sgd_view.lines.items()
                            if ax is sgd_view.ax_step and line.get_label() != "SGD: minibatch loss"])
    assert np.nanmax(shown) <= low_top and calm["status"] == "max_steps"
    # the bottom is a tick just below the lowest full loss: the curves fill the height
    assert bottom <= np.nanmin(shown) and np.nanmin(shown) - bottom < 0.5 * (top - bottom)
    assert bottom in (0.0, 0.5, 1.0, 1.5, 2.0)          # multiples of half a power of ten
    wild = sgd_view.update(100.0, 32)
    assert wild["status"] == "diverged" and "DIVERGED" in sgd_view.ax_step.get_title()
    assert sgd_view.ax_step.get_ylim()[1] == high_top
    xlim = sgd_view.ax_seen.get_xlim()
    sgd_view.update(0.3, 128)
    assert sgd_view.ax_seen.get_xlim() == xlim          # the batch slider moves curves, not the axis


def test_gd_and_sgd_curves_are_told_apart(sgd_view):
    styles = {line.get_label(): (matplotlib.colors.to_hex(line.get_color()), line.get_linestyle(),
                                 line.get_marker())
              for (ax, _), line in sgd_view.lines.items() if ax is sgd_view.ax_step}
    assert len(set(styles.values())) == 3
    assert len({color for color, _, _ in styles.values()}) == 3
    assert matplotlib.colors.to_hex("tab:red") not in {c for c, _, _ in styles.values()}
    assert styles["GD: full training loss"][1] != styles["SGD: full training loss"][1]


# ---------------------------------------------------------------- frames for a projector

@pytest.fixture(scope="module")
def every_view(lands, clf, sgd_view):
    return [(lands["mountain"], (30.0,)), (lands["bowl"], (0.5,)), (clf, (100.0,)),
            (clf, (1.0,)), (sgd_view, (0.3, 32))]


def test_frames_are_projector_sized(every_view):
    for view, args in every_view:
        view.update(*args)
        png = view.render()
        assert png.startswith(PNG_MAGIC)
        assert pixels(png).shape == (500, 1200, 3)
        assert view.fig.dpi == 100


def test_text_is_at_least_14_points(every_view):
    for view, args in every_view:
        view.update(*args)
        view.render()
        texts = visible_texts(view.fig)
        assert len(texts) > 10
        small_ones = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 14]
        assert not small_ones, f"{type(view).__name__}: text under 14 pt: {small_ones}"


def test_tick_labels_read_as_plain_numbers(every_view):
    for view, args in every_view:
        view.update(*args)
        view.render()
        ticks = [t for ax in view.fig.axes
                 for t in ax.get_xticklabels(which="both") + ax.get_yticklabels(which="both")]
        labels = [t.get_text() for t in visible_texts(view.fig) if t in ticks]
        assert labels and all(label.replace(".", "").replace("e+", "").replace("e-", "")
                              .replace("\N{MINUS SIGN}", "").isdigit() for label in labels), labels


def test_every_panel_with_several_curves_has_a_legend(every_view):
    expected = {views.LandscapeLRView: {"start", "path (a dot per step)", "end", "lowest point"},
                classifier_views.ClassifierLRView: {"training set", "validation set"},
                classifier_views.SGDView: {"SGD: minibatch loss", "SGD: full training loss",
                                           "GD: full training loss"}}
    for view, _ in every_view:
        (legend,) = view.fig.legends                    # one legend above both panels
        assert {t.get_text() for t in legend.get_texts()} == expected[type(view)]


def test_blitted_frame_matches_a_full_redraw(every_view):
    for view, args in every_view:
        view.update(*args)
        blitted = pixels(view.render())
        with matplotlib.rc_context(view.style):
            full = pixels(frames.figure_png(view.fig))
        differ = (np.abs(blitted - full).max(axis=2) > 40).mean()
        assert differ < 0.001, f"{type(view).__name__} {args}: {differ:.2%} of pixels differ"


def test_the_same_settings_give_the_same_bytes(lands, sgd_view):
    for view, a, b in ((lands["mountain"], (0.3,), (30.0,)), (sgd_view, (0.3, 32), (100.0, 8))):
        view.update(*a)
        first = view.render()
        view.update(*b)
        view.render()
        view.update(*a)
        assert view.render() == first


def test_views_leave_pyplot_and_rcparams_alone(small):
    before_rc = dict(matplotlib.rcParams)
    view = classifier_views.SGDView(*small, n_steps=5, rng=np.random.default_rng(0))
    view.update(0.3, 8)
    view.render()
    assert dict(matplotlib.rcParams) == before_rc
    assert "matplotlib.pyplot" not in sys.modules or not sys.modules["matplotlib.pyplot"].get_fignums()


# ---------------------------------------------------------------- frames module

def test_rgba_png_round_trips_exactly():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    for level in (0, 1, 9):
        assert np.array_equal(pixels(frames.rgba_png(rgba, level)), rgba[..., :3])
    with pytest.raises(ValueError, match=r"\brgba\b"):
        frames.rgba_png(rgba[..., :3])
    with pytest.raises(TypeError, match=r"\brgba\b"):
        frames.rgba_png(rgba / 255)
    with pytest.raises(ValueError, match=r"\bcompress_level\b"):
        frames.rgba_png(rgba, 10)


def test_figure_png_bad_input():
    with pytest.raises(TypeError, match=r"\bfig\b"):
        frames.figure_png(None)
    with pytest.raises(TypeError, match=r"\bfig\b"):
        frames.BlitRenderer("figure", [])


def test_frame_cache_is_least_recently_used_and_bounded():
    cache = frames.FrameCache(maxsize=2)
    cache.put("a", b"A")
    cache.put("b", b"B")
    assert cache.get("a") == b"A"                       # "a" is now the most recent
    cache.put("c", b"C")
    assert len(cache) == 2 and cache.get("b") is None
    assert cache.get("a") == b"A" and cache.get("c") == b"C"
    none = frames.FrameCache(0)
    none.put("a", b"A")
    assert len(none) == 0 and none.get("a") is None
    with pytest.raises(ValueError, match=r"\bmaxsize\b"):
        frames.FrameCache(-1)


def test_plain_log_axis_labels():
    fig, (ax,) = frames.new_figure(1)
    frames.plain_log_axis(ax)
    ax.set_ylim(0.15, 3.0)
    fig.canvas.draw()
    labels = {t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()}
    assert {"0.2", "0.5", "1", "2"} <= labels
    ax.set_ylim(1e-3, 1e8)
    fig.canvas.draw()
    labels = {t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()}
    assert {"0.01", "1", "100", "1e+06"} <= labels and "0.02" not in labels
    with pytest.raises(ValueError, match=r"\bwhich\b"):
        frames.plain_log_axis(ax, "z")
    with pytest.raises(TypeError, match=r"\bax\b"):
        frames.plain_log_axis(fig, "y")


def test_room_style_is_for_a_projector():
    style = frames.ROOM_STYLE
    assert style["figure.dpi"] == 100 and style["figure.figsize"][0] * 100 == 1200
    for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"):
        assert style[key] >= 14
    assert style["axes.titlesize"] >= 16 and style["axes.labelsize"] >= 16
