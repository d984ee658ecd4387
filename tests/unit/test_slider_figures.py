"""Tests for optim_helpers.slider_figures (the drawing of a run record) and
optim_helpers.frames (projector-sized figures, ticks, PNG).

No browser and no ipywidgets: a figure is given a record of optim_helpers.sliders with
draw(run), rendered with png(), and inspected directly.
"""
import io
import subprocess
import sys

import matplotlib
import numpy as np
import PIL.Image
import pytest
from matplotlib.text import Text

from optim_helpers import frames, landscapes, slider_figures, sliders
from optim_helpers.landscapes import Landscape

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


class Shown:
    """A figure and the run function of its slider: show(*setting) draws that setting's run."""

    def __init__(self, figure, run):
        self.figure, self.run = figure, run

    def show(self, *setting):
        record = self.run(*setting)
        self.figure.draw(record)
        return record


@pytest.fixture(scope="module")
def lands():
    return {name: Shown(slider_figures.LandscapeFigure(name, n_steps=30),
                        lambda lr, name=name: sliders.landscape_run(name, lr, n_steps=30))
            for name in ("mountain", "bowl")}


@pytest.fixture(scope="module")
def clf(small):
    setup = sliders.classifier_setup(*small, reg=0.05, n_steps=15)
    return Shown(slider_figures.ClassifierFigure(setup), lambda lr: sliders.classifier_run(setup, lr))


@pytest.fixture(scope="module")
def sgd(small):
    setup = sliders.sgd_setup(*small, reg=0.05, n_steps=20, eval_every=5, rng=np.random.default_rng(3))
    return Shown(slider_figures.SGDFigure(setup), lambda lr, b: sliders.sgd_run(setup, lr, b))


def test_figures_and_frames_import_without_ipywidgets_or_pyplot():
    code = ("import sys\n"
            "import optim_helpers.frames\n"
            "assert 'matplotlib.pyplot' not in sys.modules, 'frames imported pyplot'\n"
            "import optim_helpers.slider_figures\n"
            "assert 'ipywidgets' not in sys.modules, 'slider_figures imported ipywidgets'\n"
            "assert 'matplotlib.pyplot' not in sys.modules, 'slider_figures imported pyplot'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- 2-D landscape

def test_landscape_figure_draws_the_run(lands):
    shown = lands["mountain"]
    run = shown.show(0.316)
    fig = shown.figure
    x, y = fig.path_line.get_data()
    np.testing.assert_array_equal(x, run.path[:, 0])
    np.testing.assert_array_equal(y, run.path[:, 1])
    steps, values = fig.loss_line.get_data()
    np.testing.assert_allclose(values, run.losses)
    assert len(steps) == 31
    assert not fig.exit_label.get_visible()
    np.testing.assert_array_equal(fig.end_marker.get_xydata()[0], run.path[-1])
    assert "lr = 0.316" in fig.ax_map.get_title() and "final loss 0." in fig.ax_loss.get_title()


def test_landscape_divergence_is_shown_and_lines_move_in_place(lands):
    shown = lands["bowl"]
    line = shown.figure.path_line
    shown.show(0.01)
    assert "DIVERGED" not in shown.figure.ax_loss.get_title()
    shown.show(3.16)
    assert shown.figure.path_line is line
    assert "DIVERGED" in shown.figure.ax_loss.get_title()
    assert shown.figure.ax_loss.title.get_color() == slider_figures.DIVERGED_COLOR


def test_path_that_leaves_the_map_shows_where_it_ended(lands):
    shown = lands["mountain"]
    assert shown.show(31.6).status == "diverged"         # flies off the map in a few steps
    (x, y), = shown.figure.end_marker.get_xydata()
    (x0, x1), (y0, y1) = landscapes.MOUNTAIN.xlim, landscapes.MOUNTAIN.ylim
    assert x0 <= x <= x1 and y0 <= y <= y1               # clipped into the map
    assert shown.figure.exit_label.get_visible() and shown.figure.exit_label.get_text() == "left the map"
    shown.show(0.316)
    assert not shown.figure.exit_label.get_visible()


def test_your_own_landscape_is_drawn():
    mine = Landscape("tilted bowl", lambda x, y: 0.5 * (x - 1) ** 2 + y ** 2,
                     lambda x, y: (x - 1, 2 * y), (-2, 3), (-2, 2), (-1.5, 1.5), (1.0, 0.0))
    figure = slider_figures.LandscapeFigure(mine, n_steps=40)
    figure.draw(sliders.landscape_run(mine, 0.316, n_steps=40))
    assert "tilted bowl" in figure.ax_map.get_title()
    assert figure.ax_map.get_xlim() == (-2, 3)


# ---------------------------------------------------------------- digits, full batch

def test_classifier_figure_draws_the_run(clf):
    run = clf.show(1.0)
    _, val_acc = clf.figure.val_acc_line.get_data()
    np.testing.assert_array_equal(val_acc, run.val_accs)
    _, train = clf.figure.train_line.get_data()
    np.testing.assert_allclose(train, run.train_losses)
    assert f"{run.val_acc:.3f}" in clf.figure.ax_acc.get_title()


def test_diverged_accuracy_line_and_title_agree(clf):
    assert clf.show(100.0).status == "diverged"          # lr * reg = 5 > 2
    for line in (clf.figure.val_acc_line, clf.figure.train_acc_line):
        assert np.isnan(line.get_data()[1][-1])         # the line ends before the last step
    title = clf.figure.ax_acc.get_title()
    assert "nan" not in title and not any(ch.isdigit() for ch in title)
    assert "DIVERGED" in clf.figure.ax_loss.get_title()
    assert clf.show(0.562).status == "max_steps"         # and recovers below the threshold
    assert "0." in clf.figure.ax_acc.get_title()


# ---------------------------------------------------------------- digits, minibatches

def test_sgd_loss_axis_fits_the_curves(sgd):
    figure = sgd.figure
    low_top, high_top = figure.tops
    assert low_top == 2.5 and high_top == 5.0           # initial loss log(10) = 2.30
    calm = sgd.show(0.316, 32)
    bottom, top = figure.ax_step.get_ylim()
    assert figure.ax_seen.get_ylim() == (bottom, top) and top == low_top
    shown = np.concatenate([line.get_ydata() for (ax, _), line in figure.lines.items()
                            if ax is figure.ax_step and line.get_label() != "SGD: minibatch loss"])
    assert np.nanmax(shown) <= low_top and calm.status == "max_steps"
    # the bottom is a tick just below the lowest full loss: the curves fill the height
    assert bottom <= np.nanmin(shown) and np.nanmin(shown) - bottom < 0.5 * (top - bottom)
    assert bottom in (0.0, 0.5, 1.0, 1.5, 2.0)          # multiples of half a power of ten
    wild = sgd.show(100.0, 32)
    assert wild.status == "diverged" and "DIVERGED" in figure.ax_step.get_title()
    assert figure.ax_step.get_ylim()[1] == high_top
    xlim = figure.ax_seen.get_xlim()
    sgd.show(0.316, 128)
    assert figure.ax_seen.get_xlim() == xlim            # the batch slider moves curves, not the axis


def test_gd_and_sgd_curves_are_told_apart(sgd):
    figure = sgd.figure
    styles = {line.get_label(): (matplotlib.colors.to_hex(line.get_color()), line.get_linestyle(),
                                 line.get_marker())
              for (ax, _), line in figure.lines.items() if ax is figure.ax_step}
    assert len(set(styles.values())) == 3
    assert len({color for color, _, _ in styles.values()}) == 3
    assert matplotlib.colors.to_hex("tab:red") not in {c for c, _, _ in styles.values()}
    assert styles["GD: full training loss"][1] != styles["SGD: full training loss"][1]


# ---------------------------------------------------------------- frames for a projector

@pytest.fixture(scope="module")
def every_view(lands, clf, sgd):
    return [(lands["mountain"], (31.6,)), (lands["bowl"], (0.5,)), (clf, (100.0,)),
            (clf, (1.0,)), (sgd, (0.316, 32))]


def test_frames_are_projector_sized(every_view):
    for view, args in every_view:
        view.show(*args)
        png = view.figure.png()
        assert png.startswith(PNG_MAGIC)
        assert pixels(png).shape == (500, 1200, 3)
        assert view.figure.fig.dpi == 100


def test_text_is_at_least_14_points(every_view):
    for view, args in every_view:
        view.show(*args)
        view.figure.png()
        texts = visible_texts(view.figure.fig)
        assert len(texts) > 10
        small_ones = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 14]
        assert not small_ones, f"{type(view.figure).__name__}: text under 14 pt: {small_ones}"


def test_tick_labels_read_as_plain_numbers(every_view):
    for view, args in every_view:
        view.show(*args)
        view.figure.png()
        ticks = [t for ax in view.figure.fig.axes
                 for t in ax.get_xticklabels(which="both") + ax.get_yticklabels(which="both")]
        labels = [t.get_text() for t in visible_texts(view.figure.fig) if t in ticks]
        assert labels and all(label.replace(".", "").replace("e+", "").replace("e-", "")
                              .replace("\N{MINUS SIGN}", "").isdigit() for label in labels), labels


def test_every_panel_with_several_curves_has_a_legend(every_view):
    expected = {slider_figures.LandscapeFigure: {"start", "path (a dot per step)", "end", "lowest point"},
                slider_figures.ClassifierFigure: {"training set", "validation set"},
                slider_figures.SGDFigure: {"SGD: minibatch loss", "SGD: full training loss",
                                           "GD: full training loss"}}
    for view, _ in every_view:
        (legend,) = view.figure.fig.legends             # one legend above both panels
        assert {t.get_text() for t in legend.get_texts()} == expected[type(view.figure)]


def test_the_same_settings_give_the_same_bytes(lands, sgd):
    for view, a, b in ((lands["mountain"], (0.316,), (31.6,)), (sgd, (0.316, 32), (100.0, 8))):
        view.show(*a)
        first = view.figure.png()
        view.show(*b)
        view.figure.png()
        view.show(*a)
        assert view.figure.png() == first


def test_figures_leave_pyplot_and_rcparams_alone(small):
    before_rc = dict(matplotlib.rcParams)
    setup = sliders.sgd_setup(*small, n_steps=5, rng=np.random.default_rng(0))
    slider_figures.SGDFigure(setup).draw(sliders.sgd_run(setup, 0.316, 8)).png()
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


@pytest.mark.parametrize("value, up, mantissas, tick", [
    (3.2, True, frames.LADDER_125, 5), (3.2, False, frames.LADDER_125, 2), (0.0101, False, frames.LADDER_125, 0.01),
    (9.99, True, frames.LADDER_125, 10), (2.42, True, frames.HALF_DECADES, 2.5),
    (0.83, False, frames.HALF_DECADES, 0.8), (4.6, True, frames.HALF_DECADES, 5), (9.7, True, frames.HALF_DECADES, 10)])
def test_nice_tick(value, up, mantissas, tick):
    assert frames.nice_tick(value, up, mantissas) == pytest.approx(tick)


def test_log_floor_leaves_its_input_alone():
    values = np.array([1.0, 1e-12, np.inf, np.nan])
    floored = frames.log_floor(values)
    np.testing.assert_array_equal(floored[:2], [1.0, 1e-8])
    assert np.isnan(floored[2:]).all() and values[2] == np.inf


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
    assert {"1e-2", "1e+0", "1e+2", "1e+6"} <= labels and "2e-2" not in labels
    ax.set_ylim(2e-4, 3e3)                              # inside [1e-4, 1e6): decimals only
    fig.canvas.draw()
    labels = {t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()}
    assert {"0.001", "1", "1000"} <= labels and not any("e" in label for label in labels)
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
