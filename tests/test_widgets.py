"""Tests for optim_helpers.widgets: the pure update functions and the slider wrappers.

No browser: setting a slider's value runs its observer synchronously, so the tests
move the sliders and compare the readout with what the helpers compute directly.
"""
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from optim_helpers import landscapes, optimizers, widgets
from optim_helpers.losses import softmax_loss_grad

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- readout

def test_format_readout_classifier_example():
    result = {"lr": 10 ** -1.5, "status": "max_steps", "final_loss": 0.29341, "val_acc": 0.9561}
    assert widgets.format_readout(result) == \
        "lr = 0.0316 | status: max_steps | final loss: 0.2934 | val acc: 0.956"


def test_format_readout_landscape_and_sgd_fields():
    landscape = {"lr": 0.1, "status": "converged", "final_loss": 1.5, "n_steps": 12}
    assert widgets.format_readout(landscape) == \
        "lr = 0.1 | status: converged | final loss: 1.5000 | steps: 12"
    sgd = {"lr": 3.0, "batch_size": 64, "status": "diverged", "final_loss": math.inf,
           "val_acc": math.nan, "n_steps": 5}
    assert widgets.format_readout(sgd) == \
        "lr = 3 | batch = 64 | status: diverged | final loss: inf | val acc: nan"


@pytest.mark.parametrize("value, text", [(0.5, "0.5000"), (12345.0, "1.234e+04"),
                                         (math.nan, "nan"), (-math.inf, "inf")])
def test_format_loss(value, text):
    assert widgets.format_loss(value) == text


def test_format_readout_rejects_missing_keys():
    with pytest.raises(ValueError, match="final_loss"):
        widgets.format_readout({"lr": 0.1, "status": "max_steps"})


# ---------------------------------------------------------------- 2-D landscape view

def test_landscape_update_matches_gradient_descent():
    view = widgets.LandscapeLRView("mountain", n_steps=30)
    result = view.update(0.3)
    reference = optimizers.gradient_descent(landscapes.MOUNTAIN.loss_grad,
                                            np.array(landscapes.MOUNTAIN.start), 0.3, n_steps=30)
    assert result["status"] == reference.status == "max_steps"
    assert result["n_steps"] == 30
    assert result["final_loss"] == pytest.approx(reference.losses[-1])
    x, y = view.path_line.get_data()
    assert np.allclose(x, reference.path[:, 0]) and np.allclose(y, reference.path[:, 1])
    steps, losses = view.loss_line.get_data()
    assert np.allclose(losses, reference.losses) and len(steps) == 31


def test_landscape_update_moves_lines_in_place_and_reports_divergence():
    view = widgets.LandscapeLRView("bowl", n_steps=20)
    line = view.path_line
    slow = view.update(0.01)
    diverged = view.update(3.0)       # on the bowl every lr > 2 overshoots further each step
    assert view.path_line is line                      # the same Line2D, new data
    assert slow["status"] == "max_steps" and diverged["status"] == "diverged"
    assert diverged["final_loss"] > 1e8
    assert "DIVERGED" in view.ax_loss.get_title()
    assert slow["final_loss"] < landscapes.BOWL.loss(landscapes.BOWL.start)


def test_landscape_view_bad_input():
    with pytest.raises(ValueError, match="lr"):
        widgets.LandscapeLRView("bowl").update(-1.0)
    with pytest.raises(ValueError, match="name"):
        widgets.LandscapeLRView("volcano")
    with pytest.raises(ValueError, match="start"):
        widgets.LandscapeLRView("bowl", start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="n_steps"):
        widgets.LandscapeLRView("bowl", n_steps=0)


# ---------------------------------------------------------------- wrappers

def test_landscape_slider_callback_updates_readout_and_image():
    panel = widgets.lr_slider_landscape("mountain", lr=0.1, n_steps=25)
    assert bytes(panel.image.value).startswith(PNG_MAGIC)
    assert "optim-readout" in panel.readout._dom_classes
    first_png = bytes(panel.image.value)
    panel.sliders["lr"].value = 1.0
    expected = widgets.LandscapeLRView("mountain", n_steps=25).update(panel.sliders["lr"].value)
    assert panel.result == expected
    assert panel.readout.value == widgets.format_readout(expected)
    assert bytes(panel.image.value) != first_png
    panel.sliders["landscape"].value = "ravine"
    expected = widgets.LandscapeLRView("ravine", n_steps=25).update(panel.sliders["lr"].value)
    assert panel.result == expected and panel.result["landscape"] == "ravine"
    assert panel.view.landscape is landscapes.RAVINE


def test_lr_slider_range_and_validation():
    panel = widgets.lr_slider_landscape(lr=0.1, lr_min=1e-3, lr_max=30.0, choose_landscape=False)
    slider = panel.sliders["lr"]
    assert set(panel.sliders) == {"lr"}
    assert 10 ** slider.min == pytest.approx(1e-3) and 10 ** slider.max == pytest.approx(30.0)
    assert slider.continuous_update is False
    with pytest.raises(ValueError, match="lr"):
        widgets.lr_slider_landscape(lr=100.0, lr_max=30.0)
    with pytest.raises(ValueError, match="lr_min"):
        widgets.lr_slider_landscape(lr=0.1, lr_min=1.0, lr_max=0.5)


def test_slider_figures_do_not_touch_pyplot_or_rcparams():
    before_figs, before_rc = plt.get_fignums(), dict(matplotlib.rcParams)
    panel = widgets.lr_slider_landscape(n_steps=10)
    panel.sliders["lr"].value = 0.5
    assert plt.get_fignums() == before_figs
    assert dict(matplotlib.rcParams) == before_rc


# ---------------------------------------------------------------- digits, full batch

@pytest.fixture(scope="module")
def small_digits(digits):
    return digits.X_train[:300], digits.y_train[:300], digits.X_val[:100], digits.y_val[:100]


def test_classifier_view_matches_gradient_descent(small_digits):
    X, y, Xv, yv = small_digits
    X_copy = X.copy()
    view = widgets.ClassifierLRView(X, y, Xv, yv, reg=0.05, n_steps=15)
    result = view.update(1.0)
    reference = optimizers.gradient_descent(lambda W: softmax_loss_grad(W, X, y, 0.05),
                                            np.zeros((10, 65)), 1.0, n_steps=15)
    assert result["status"] == "max_steps" and result["n_steps"] == 15
    assert result["final_loss"] == pytest.approx(reference.losses[-1])
    assert result["val_acc"] == pytest.approx(np.mean((Xv @ reference.w.T).argmax(1) == yv))
    assert result["val_acc"] > 0.5                     # 15 steps already learn something
    assert np.array_equal(X, X_copy)


def test_classifier_view_diverges_when_lr_times_reg_exceeds_two(small_digits):
    view = widgets.ClassifierLRView(*small_digits, reg=0.05, n_steps=60)
    result = view.update(100.0)                        # lr * reg = 5 > 2
    assert result["status"] == "diverged"
    assert math.isnan(result["val_acc"]) and result["final_loss"] > 1e8
    assert "DIVERGED" in view.ax_loss.get_title()
    assert view.update(0.5)["status"] == "max_steps"   # and recovers below the threshold


def test_classifier_slider_readout_is_format_readout(small_digits):
    panel = widgets.lr_slider_classifier(*small_digits, reg=0.05, lr=1.0, n_steps=10)
    panel.sliders["lr"].value = 100.0
    expected = widgets.ClassifierLRView(*small_digits, reg=0.05, n_steps=10).update(100.0)
    assert panel.readout.value == widgets.format_readout(expected)
    assert "status: diverged" in panel.readout.value


# ---------------------------------------------------------------- digits, minibatches

def test_sgd_view_is_deterministic_and_matches_sgd(small_digits):
    X, y, Xv, yv = small_digits
    view = widgets.SGDView(X, y, Xv, yv, reg=0.05, n_steps=20, eval_every=5, seed=3)
    first = view.update(0.3, 16)
    again = view.update(0.3, 16)
    assert first == again
    reference = optimizers.sgd(lambda W, Xb, yb: softmax_loss_grad(W, Xb, yb, 0.05),
                               np.zeros((10, 65)), X, y, 0.3, 16, n_steps=20,
                               rng=np.random.default_rng(3))
    assert first["last_batch_loss"] == pytest.approx(reference.losses[-1])
    full = softmax_loss_grad(reference.w, X, y, 0.05)[0]
    assert first["final_loss"] == pytest.approx(full)
    assert first["batch_size"] == 16 and first["n_steps"] == 20
    other = view.update(0.3, 64)
    assert other["last_batch_loss"] != first["last_batch_loss"]


def test_sgd_sliders_drive_both_controls(small_digits):
    panel = widgets.sgd_sliders(*small_digits, lr=0.3, batch_size=32, n_steps=20)
    assert set(panel.sliders) == {"lr", "batch_size"}
    panel.sliders["batch_size"].value = 8
    panel.sliders["lr"].value = 100.0
    expected = widgets.SGDView(*small_digits, n_steps=20).update(100.0, 8)
    assert panel.result == pytest.approx(expected, nan_ok=True)
    assert panel.readout.value == widgets.format_readout(expected)
    assert expected["status"] == "diverged"
    with pytest.raises(ValueError, match="batch_size"):
        widgets.sgd_sliders(*small_digits, batch_size=33)
