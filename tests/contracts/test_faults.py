"""Faults: divergence is a reported status (never an exception or a warning), an
interrupted run leaves the helpers usable, and a damaged data file is refused.

Every block that runs an optimizer or a slider turns warnings into errors
(``warnings.simplefilter("error")``), so an overflow warning anywhere fails the test.
"""
import dataclasses
import io
import re
import warnings
from xml.etree import ElementTree

import matplotlib
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest

from optim_helpers import (data, frames, gradients, landscapes, optimizers, plots, schedules, sliders,
                           updates, widgets)
from optim_helpers.losses import softmax_loss, softmax_loss_grad
from optim_helpers.readout import format_readout
from optim_helpers.slider_figures import ClassifierFigure, LandscapeFigure, SGDFigure

matplotlib.use("Agg")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RULES = sorted(updates.UPDATE_RULES)


class no_warnings(warnings.catch_warnings):
    """A block in which any warning is an error."""

    def __enter__(self):
        super().__enter__()
        warnings.simplefilter("error")


def assert_readable(fig):
    """The figure renders to a PNG that is not blank, with finite axis limits everywhere."""
    png = frames.figure_png(fig)
    assert png.startswith(PNG_MAGIC)
    image = matplotlib.image.imread(io.BytesIO(png))
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image[..., :3].std() > 0.01                         # something is drawn
    for ax in fig.axes:
        assert np.isfinite(ax.get_xlim()).all() and np.isfinite(ax.get_ylim()).all()


def figure_texts(fig):
    """Every title (centre, left, right), the figure's own texts and suptitle, as one string."""
    texts = [ax.get_title(loc=loc) for ax in fig.axes for loc in ("center", "left", "right")]
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    return " ".join(texts + [t.get_text() for t in fig.texts] + [suptitle])


# ----------------------------------------------------------------------------- optimizers

@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_gradient_descent_diverges_quietly_on_every_landscape(name, rule):
    landscape = landscapes.get_landscape(name)
    lr = 1e6 if rule == "adam" else 50.0          # Adam's steps are about lr long
    with no_warnings():
        history = optimizers.gradient_descent(landscape.loss_grad, landscape.start, lr,
                                              n_steps=200, update=updates.UPDATE_RULES[rule])
        assert history.status == "diverged"
        assert history.losses.shape == (len(history.path),)
        fig, (ax1, ax2) = plt.subplots(1, 2)
        plots.plot_contour(landscape, ax=ax1, n=40)
        plots.plot_path(history.path, ax=ax1)
        plots.plot_losses(history.losses, ax=ax2, logy=True)
        assert_readable(fig)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("schedule", [None, "step_decay"])
def test_gradient_descent_diverges_quietly_on_a_classifier(small, rule, schedule):
    X, y, _, _ = small
    lr = 1e12 if schedule is None else schedules.step_decay(1e12, 0.5, 10)
    w0 = np.zeros((10, X.shape[1]))
    with no_warnings():
        history = optimizers.gradient_descent(lambda W: softmax_loss_grad(W, X, y, 0.1), w0, lr,
                                              n_steps=50, update=updates.UPDATE_RULES[rule])
        assert history.status == "diverged"
        assert history.n_steps < 50
        assert_readable(plots.plot_losses(history.losses, logy=True).figure)
    np.testing.assert_array_equal(w0, 0.0)


@pytest.mark.parametrize("rule", RULES)
def test_sgd_diverges_quietly(small, rule):
    X, y, _, _ = small
    with no_warnings():
        history = optimizers.sgd(lambda W, Xb, yb: softmax_loss_grad(W, Xb, yb), np.zeros((10, 65)),
                                 X, y, 1e12, 16, n_epochs=3, rng=np.random.default_rng(0),
                                 update=updates.UPDATE_RULES[rule],
                                 eval_fn=lambda W: softmax_loss(W, X, y) if np.isfinite(W).all()
                                 and np.abs(W).max() < 1e100 else np.inf,
                                 eval_every=1, keep_path=True)
        assert history.status == "diverged"
        assert len(history.losses) == len(history.seconds) == len(history.examples)
        assert_readable(plots.plot_losses(history.losses, logy=True).figure)


def test_random_searches_treat_overflow_as_a_bad_try():
    start = np.array(landscapes.BOWL.start)
    with no_warnings():
        local = optimizers.random_local_search(landscapes.BOWL.loss, start, n_tries=50,
                                               step_size=1e200, rng=np.random.default_rng(0))
        search = optimizers.random_search(landscapes.BOWL.loss, (2,), n_tries=50, scale=1e200,
                                          rng=np.random.default_rng(0))
    assert np.isinf(local.losses[1:]).all() and local.best_loss == local.losses[0]
    np.testing.assert_array_equal(local.best_w, start)
    assert np.isinf(search.losses).all() and np.isinf(search.best_loss)


# ----------------------------------------------------------------------------- sliders

def assert_shows_divergence(figure, run):
    """The record, its readout and its drawing all say "diverged", and the frame is readable."""
    assert run.status == "diverged"
    assert "status: diverged" in format_readout(run)
    figure.draw(run)
    assert re.search("diverged", figure_texts(figure.fig), re.IGNORECASE)
    assert_readable(figure.fig)
    assert figure.png().startswith(PNG_MAGIC)


@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_landscape_slider_diverges_quietly(name):
    with no_warnings():
        figure = LandscapeFigure(name, n_steps=50)
        assert_shows_divergence(figure, sliders.landscape_run(name, 31.6, n_steps=50))
        # and it comes back: a small step after the divergence draws a normal run
        calm = sliders.landscape_run(name, 0.01, n_steps=50)
        assert calm.status != "diverged"
        figure.draw(calm)
        assert_readable(figure.fig)


def test_classifier_slider_diverges_quietly(small):
    with no_warnings():
        setup = sliders.classifier_setup(*small, reg=0.1, n_steps=30)
        run = sliders.classifier_run(setup, 100.0)                 # above 2 / reg: must diverge
        assert_shows_divergence(ClassifierFigure(setup), run)


@pytest.mark.parametrize("batch_size", [1, 32, 128])
def test_sgd_sliders_diverge_quietly(small, batch_size):
    with no_warnings():
        setup = sliders.sgd_setup(*small, n_steps=30, eval_every=5, rng=np.random.default_rng(0))
        run = sliders.sgd_run(setup, 316.0, batch_size)
        assert_shows_divergence(SGDFigure(setup), run)


def test_slider_panels_report_divergence_in_their_readout(small):
    with no_warnings():
        panels = [widgets.lr_slider_landscape("ravine", lr=0.01, lr_min=0.01, lr_max=31.6, n_steps=30,
                                              choose_landscape=False),
                  widgets.lr_slider_classifier(*small, reg=0.1, lr=1.0, lr_min=1.0, n_steps=20),
                  widgets.sgd_sliders(*small, lr=10.0, batch_size=32, lr_min=10.0, n_steps=20, eval_every=5,
                                      rng=np.random.default_rng(0))]
        for panel in panels:
            panel.sliders["lr"].index = len(panel.sliders["lr"].options) - 1   # lr_max
            assert panel.run.status == "diverged", panel.run
            assert "status: diverged" in panel.readout
            assert "status: diverged" in panel.frame.value           # the readout the page shows
            assert re.search("DIVERGED", drawn_text(panel))           # the figure's title
            assert bytes(panel.background.value).startswith(PNG_MAGIC)


def drawn_text(panel):
    """The text the shown frame's SVG draws, its parts <use>d from the shared SVG included."""
    overlay = ElementTree.fromstring(f"<root>{panel.frame.value}</root>").find("svg")
    shared = {el.get("id"): el for el in ElementTree.fromstring(panel.shared.value).iter() if el.get("id")}
    texts = list(overlay.itertext())
    for use in overlay.iter("use"):
        part = shared.get(use.get("href", "").lstrip("#"))
        texts += list(part.itertext()) if part is not None else []
    return " ".join(texts)


# ----------------------------------------------------------------------------- interrupts

def interrupt_on_call(n, f):
    """f, except that its n-th call raises KeyboardInterrupt (Ctrl-C in a notebook)."""
    calls = {"n": 0}

    def wrapped(*args):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        return f(*args)
    return wrapped


def _runs(small):
    """name -> (the student's function, a run of the helper on it, the arrays the run is given)."""
    X, y, _, _ = small
    W0 = np.zeros((10, 65))
    loss = lambda W: softmax_loss(W, X, y)                       # noqa: E731
    loss_grad = lambda W: softmax_loss_grad(W, X, y, 0.01)       # noqa: E731
    batch = lambda W, Xb, yb: softmax_loss_grad(W, Xb, yb)        # noqa: E731
    analytic = softmax_loss_grad(W0, X, y)[1]
    return {
        "gradient_descent": (loss_grad, lambda f: optimizers.gradient_descent(
            f, W0, 0.5, n_steps=40, update=updates.momentum_update).losses, (W0,)),
        "sgd": (batch, lambda f: optimizers.sgd(
            f, W0, X, y, 0.5, 20, n_epochs=4, rng=np.random.default_rng(3),
            update=updates.adam_update, config={"beta1": 0.8}).losses, (W0, X, y)),
        "random_search": (loss, lambda f: optimizers.random_search(
            f, (10, 65), n_tries=40, scale=1e-3, rng=np.random.default_rng(1)).losses, ()),
        "random_local_search": (loss, lambda f: optimizers.random_local_search(
            f, W0, n_tries=40, step_size=1e-2, rng=np.random.default_rng(2)).losses, (W0,)),
        "numerical_gradient": (loss, lambda f: gradients.numerical_gradient(f, W0), (W0,)),
        "gradient_check": (loss, lambda f: gradients.gradient_check(
            f, W0, analytic, n_checks=20, rng=np.random.default_rng(4)).numerical, (W0, analytic)),
    }


@pytest.mark.parametrize("name", ["gradient_descent", "sgd", "random_search",
                                  "random_local_search", "numerical_gradient", "gradient_check"])
def test_an_interrupted_run_leaves_the_helpers_usable(small, name):
    f, run, given = _runs(small)[name]
    saved = [a.copy() for a in given + tuple(small)]       # before anything runs
    reference = run(f)
    errstate = np.geterr()
    with pytest.raises(KeyboardInterrupt):                  # not swallowed, not re-wrapped
        run(interrupt_on_call(7, f))                        # numerical_gradient: mid-nudge
    assert np.geterr() == errstate                          # the errstate block was left
    # what the run was given (the start point, the data) is exactly as before: an
    # interrupted nudge or step must not be left behind in the caller's arrays
    for before, after in zip(saved, given + tuple(small)):
        np.testing.assert_array_equal(after, before)
    with no_warnings():
        again = run(f)
    np.testing.assert_array_equal(again, reference)         # same numbers as before


def test_an_interrupted_slider_build_leaves_the_helpers_usable(small, monkeypatch):
    """A panel runs every setting when it is made: Ctrl-C then stops it, and the next
    panel shows exactly what an uninterrupted one shows."""
    with no_warnings():
        original = sliders.softmax_loss_grad
        monkeypatch.setattr(sliders, "softmax_loss_grad", interrupt_on_call(25, original))
        with pytest.raises(KeyboardInterrupt):                  # Ctrl-C while the panel is made
            widgets.lr_slider_classifier(*small, reg=0.1, lr=1.0, n_steps=20)
        monkeypatch.setattr(sliders, "softmax_loss_grad", original)
        panel = widgets.lr_slider_classifier(*small, reg=0.1, lr=1.0, n_steps=20)
        panel.sliders["lr"].value = 10 ** 0.5
        fresh = sliders.classifier_run(sliders.classifier_setup(*small, reg=0.1, n_steps=20), 10 ** 0.5)
        assert same_run(panel.run, fresh)
        assert format_readout(fresh) in panel.frame.value


def same_run(a, b):
    """Two run records with equal fields (arrays compared element by element, NaN == NaN)."""
    return type(a) is type(b) and all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name), equal_nan=True)
        if isinstance(getattr(a, f.name), np.ndarray) else getattr(a, f.name) == getattr(b, f.name)
        for f in dataclasses.fields(a))


# ----------------------------------------------------------------------------- data files

def _refused(path):
    with pytest.raises(ValueError) as err:
        data.load_digits(path)
    return str(err.value)


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "empty", "append"])
def test_a_damaged_digits_file_is_refused_naming_file_and_checksum(tmp_path, damage):
    raw = bytearray(data.DIGITS_PATH.read_bytes())
    if damage == "flip a byte":
        raw[len(raw) // 2] ^= 0x01
    elif damage == "truncate":
        raw = raw[: len(raw) - 100]
    elif damage == "empty":
        raw = bytearray()
    else:
        raw += b"\0"
    copy = tmp_path / "digits.npz"
    copy.write_bytes(bytes(raw))
    message = _refused(copy)
    assert str(copy) in message
    assert "SHA-256" in message and data.DIGITS_SHA256 in message
    assert data.sha256(copy) in message                          # what the file really has
    # the shipped file is untouched and still loads
    assert data.sha256(data.DIGITS_PATH) == data.DIGITS_SHA256
    assert data.load_digits().X_train.shape == (1200, 65)


UNPICKLED = []


def _record_unpickling():
    UNPICKLED.append(True)
    return "unpickled"


class Booby:
    """An object whose unpickling would leave a trace in UNPICKLED."""

    def __reduce__(self):
        return (_record_unpickling, ())


def test_nothing_is_unpickled_even_with_a_matching_checksum(tmp_path, monkeypatch):
    forged = tmp_path / "forged.npz"
    objects = np.empty(3, dtype=object)
    objects[:] = [Booby(), Booby(), Booby()]
    np.savez(forged, X=objects, y=np.arange(3))
    monkeypatch.setattr(data, "DIGITS_SHA256", data.sha256(forged))
    message = _refused(forged)
    assert str(forged) in message
    assert UNPICKLED == []
