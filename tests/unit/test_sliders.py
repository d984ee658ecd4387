"""Tests for optim_helpers.sliders (what a slider computes for one setting) and
optim_helpers.readout (the line under it).

No figure, no widget: each run function is compared with the optimizer it wraps, called
directly, and with itself (the same setting twice, other settings in between).
"""
import math
import subprocess
import sys

import numpy as np
import pytest

from optim_helpers import landscapes, optimizers, readout, sliders
from optim_helpers.landscapes import Landscape
from optim_helpers.losses import accuracy, softmax_loss, softmax_loss_grad


def tilted(name="tilted bowl"):
    return Landscape(name, lambda x, y: 0.5 * (x - 1) ** 2 + y ** 2, lambda x, y: (x - 1, 2 * y),
                     (-2, 3), (-2, 2), (-1.5, 1.5), (1.0, 0.0))


@pytest.fixture(scope="module")
def clf_setup(small):
    return sliders.classifier_setup(*small, reg=0.05, n_steps=15)


@pytest.fixture(scope="module")
def sgd_setup(small):
    return sliders.sgd_setup(*small, reg=0.05, n_steps=20, eval_every=5, rng=np.random.default_rng(3))


def test_sliders_and_readout_import_no_matplotlib():
    code = ("import sys, optim_helpers.sliders, optim_helpers.readout\n"
            "assert 'matplotlib' not in sys.modules, 'the slider maths imported matplotlib'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- the grid

def test_lr_grid_is_eight_steps_per_decade():
    grid = sliders.lr_grid(1e-3, 100)
    assert len(grid) == 5 * 8 + 1 and grid[0] == pytest.approx(1e-3) and grid[-1] == pytest.approx(100)
    np.testing.assert_allclose(grid[1:] / grid[:-1], 10 ** (1 / 8))
    assert [f"{lr:.3g}" for lr in grid[12::4]] == ["0.0316", "0.1", "0.316", "1", "3.16", "10", "31.6",
                                                   "100"]


@pytest.mark.parametrize("typed, grid_value", [(0.316, 10 ** -0.5), (31.6, 10 ** 1.5), (42.2, 10 ** (13 / 8)),
                                               (1.0, 1.0), (0.001, 1e-3)])
def test_snap_lr_names_the_grid_value(typed, grid_value):
    assert sliders.snap_lr(typed) == pytest.approx(grid_value, rel=1e-12)


@pytest.mark.parametrize("off_grid", [0.3, 0.03, 3.0, 30.0, 41.0])
def test_values_the_slider_cannot_reach_are_refused(off_grid):
    with pytest.raises(ValueError, match=r"\blr\b"):
        sliders.snap_lr(off_grid)
    with pytest.raises(ValueError, match=r"\blr_max\b"):
        sliders.lr_grid(1e-3, off_grid)


def test_setting_cache_is_least_recently_used_and_bounded():
    cache = sliders.SettingCache(maxsize=2)
    cache.put("a", b"A")
    cache.put("b", b"B")
    assert cache.get("a") == b"A"                       # "a" is now the most recent
    cache.put("c", b"C")
    assert len(cache) == 2 and cache.get("b") is None
    assert cache.get("a") == b"A" and cache.get("c") == b"C"
    none = sliders.SettingCache(0)
    assert none.put("a", b"A") == b"A" and len(none) == 0 and none.get("a") is None


# ---------------------------------------------------------------- 2-D landscapes

def test_landscape_run_is_gradient_descent():
    run = sliders.landscape_run("mountain", 0.316, n_steps=30)
    reference = optimizers.gradient_descent(landscapes.MOUNTAIN.loss_grad,
                                            np.array(landscapes.MOUNTAIN.start), 0.316, n_steps=30)
    assert (run.lr, run.landscape, run.status, run.n_steps) == (0.316, "mountain", "max_steps", 30)
    np.testing.assert_array_equal(run.path, reference.path)
    np.testing.assert_array_equal(run.losses, reference.losses)
    assert run.final_loss == reference.losses[-1]


def test_a_diverged_run_reads_inf():
    run = sliders.landscape_run("bowl", 3.16)           # on the bowl every lr > 2 overshoots further
    assert run.status == "diverged" and run.final_loss == math.inf
    assert np.isfinite(run.losses[:-1]).all() and run.losses[-2] < 1e8


def test_your_own_landscape_and_start():
    run = sliders.landscape_run(tilted(), 0.316, n_steps=40, start=(2.0, 1.0))
    assert run.landscape == "tilted bowl" and run.final_loss < 1e-3
    np.testing.assert_array_equal(run.path[0], [2.0, 1.0])


# ---------------------------------------------------------------- digits, full batch

def test_classifier_run_is_gradient_descent_scored_on_both_sets(small, clf_setup):
    X, y, Xv, yv = small
    run = sliders.classifier_run(clf_setup, 1.0)
    reference = optimizers.gradient_descent(lambda W: softmax_loss_grad(W, X, y, 0.05),
                                            np.zeros((10, 65)), 1.0, n_steps=15)
    assert (run.status, run.n_steps) == ("max_steps", 15)
    assert run.final_loss == pytest.approx(reference.losses[-1])
    # a validation loss is the same loss as the training loss, penalty included
    assert run.val_loss == pytest.approx(softmax_loss(reference.w, Xv, yv, 0.05))
    assert run.val_acc == pytest.approx(accuracy(reference.w, Xv, yv)) and run.val_acc > 0.5
    assert run.train_accs[-1] == pytest.approx(accuracy(reference.w, X, y))
    assert len(run.train_losses) == len(run.val_losses) == len(run.val_accs) == 16


def test_a_diverged_classifier_is_no_classifier(clf_setup):
    run = sliders.classifier_run(clf_setup, 100.0)      # lr * reg = 5 > 2
    assert run.status == "diverged" and run.final_loss == run.val_loss == math.inf
    assert math.isnan(run.val_acc) and math.isnan(run.train_accs[-1])
    assert "final loss: inf" in readout.format_readout(run)


def test_setup_copies_the_data_and_checks_it(small):
    X = small.X_train.copy()
    setup = sliders.classifier_setup(X, small.y_train, small.X_val, small.y_val)
    X[0, 0] = 99.0
    assert setup.X_train[0, 0] != 99.0
    with pytest.raises(ValueError, match=r"\bX_val\b"):
        sliders.classifier_setup(small.X_train, small.y_train, small.X_val[:, :-1], small.y_val)


# ---------------------------------------------------------------- digits, minibatches

def test_sgd_run_replays_the_same_minibatches(small, sgd_setup):
    X, y, _, _ = small
    first = sliders.sgd_run(sgd_setup, 0.316, 16)
    sliders.sgd_run(sgd_setup, 1.0, 64)                 # other settings in between
    again = sliders.sgd_run(sgd_setup, 0.316, 16)
    assert readout.format_readout(first) == readout.format_readout(again)
    for name in ("batch_losses", "eval_losses", "gd_losses", "examples"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    stream = np.random.default_rng(3).spawn(1)[0]       # the child stream the setup took
    reference = optimizers.sgd(lambda W, Xb, yb: softmax_loss_grad(W, Xb, yb, 0.05),
                               np.zeros((10, 65)), X, y, 0.316, 16, n_steps=20, rng=stream)
    assert first.last_batch_loss == pytest.approx(reference.losses[-1])
    assert first.final_loss == pytest.approx(softmax_loss(reference.w, X, y, 0.05))
    assert (first.batch_size, first.n_steps) == (16, 20)
    gd = optimizers.gradient_descent(lambda W: softmax_loss_grad(W, X, y, 0.05), np.zeros((10, 65)),
                                     0.316, n_steps=20)
    np.testing.assert_allclose(first.gd_losses, gd.losses)


def test_sgd_setup_takes_a_generator_and_draws_nothing_from_it(small):
    with pytest.raises(TypeError, match=r"\brng\b"):
        sliders.sgd_setup(*small)
    with pytest.raises(TypeError, match=r"\brng\b"):
        sliders.sgd_setup(*small, rng=0)
    rng = np.random.default_rng(5)
    state = rng.bit_generator.state
    sliders.sgd_setup(*small, n_steps=5, rng=rng)
    assert rng.bit_generator.state == state             # spawning draws nothing from rng


def test_sgd_run_needs_an_sgd_setup(clf_setup):
    with pytest.raises(ValueError, match=r"\bsetup\b"):
        sliders.sgd_run(clf_setup, 0.1, 8)


def test_diverged_sgd_reads_inf(sgd_setup):
    run = sliders.sgd_run(sgd_setup, 100.0, 32)
    assert run.status == "diverged" and run.final_loss == math.inf and math.isnan(run.val_acc)
    assert readout.format_readout(run) == "lr = 100 | batch = 32 | status: diverged | final loss: inf | val acc: nan"


# ---------------------------------------------------------------- readout

def test_format_readout_of_each_record(clf_setup, sgd_setup):
    assert readout.format_readout(sliders.landscape_run("bowl", 1.0, n_steps=5)) == \
        "lr = 1 | status: converged | final loss: 0.0000 | steps: 1"
    line = readout.format_readout(sliders.classifier_run(clf_setup, 10 ** -1.5))
    assert line.startswith("lr = 0.0316 | status: max_steps | final loss: ") and "| val acc: 0." in line
    line = readout.format_readout(sliders.sgd_run(sgd_setup, 0.316, 64))
    assert line.startswith("lr = 0.316 | batch = 64 | status: max_steps | final loss: ")


@pytest.mark.parametrize("value, text", [(0.5, "0.5000"), (12345.0, "1.234e+04"),
                                         (math.nan, "nan"), (-math.inf, "inf"),
                                         (np.float64(2.0), "2.0000")])
def test_format_loss(value, text):
    assert readout.format_loss(value) == text
