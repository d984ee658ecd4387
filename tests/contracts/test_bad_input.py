"""Bad input: every public function of optim_helpers refuses it with the conventional
error naming the argument, lets a student's own exception through unchanged, and changes
none of the arrays (or dicts) it is given.

The conventions (README, "Conventions"): a wrong TYPE raises TypeError (a non-number where
a number is expected, a bool or float where an int is expected, a non-real dtype, a
non-callable, an rng that is not a numpy Generator, a user function returning a non-number
or a non-pair); a wrong VALUE raises ValueError (shape, range, NaN/inf, empty); both name
the argument as a word. An exception raised inside the student's own function (loss_fn, f,
loss_grad_fn, eval_fn, a schedule, an update rule) reaches them unchanged.

The table below is the specification: one row per (kind of bad input, function). Each kind
has exactly one error type (KINDS), so the table cannot mix them up. Meta-tests keep it
honest: every public function appears in it, and it covers at least 15 kinds of bad input.
"""
import importlib
import inspect
import pkgutil
import re

import matplotlib
import matplotlib.figure
import numpy as np
import pytest

import optim_helpers
from optim_helpers import (data, frames, gradients, landscapes, losses, optimizers, plots,
                           readout, safe_metrics, schedules, sliders, svg_frames, updates, widgets)
from optim_helpers.landscapes import BOWL, MOUNTAIN

matplotlib.use("Agg")

RNG = np.random.default_rng(0)
W = RNG.standard_normal((3, 5)) * 0.1                       # (C, D)
X = np.hstack([RNG.standard_normal((8, 4)), np.ones((8, 1))])  # (N, D), bias last
Y = np.array([0, 1, 2, 0, 1, 2, 0, 1])                     # (N,)
W2 = np.array([0.5, -0.5])                                  # a point on a 2-D landscape
IMAGES = RNG.integers(0, 17, size=(4, 8, 8)).astype(np.uint8)
ZERO_D = np.array(1.0)                                      # a real 0-d array, shape ()


def quad(w):
    return 0.5 * float(np.sum(w * w))


def quad_grad(w):
    return quad(w), np.array(w, dtype=float)


def batch_loss_grad(w, Xb, yb):
    return losses.softmax_loss_grad(w, Xb, yb)


def accept_anything(w, Xb, yb):
    """A minibatch loss that accepts whatever X and y it is given: the helper must check them."""
    return 0.0, np.zeros_like(w)


def vector_loss(w):
    return np.asarray(w).ravel()                     # a vector, not one number


def string_loss(w, *rest):
    return "0.5"                                     # not a number at all


def pair_wrong_shape(w):
    return quad(w), np.zeros(np.size(w) + 1)


def not_a_pair(w):
    return quad(w)


def with_nan(a, where=0):
    a = np.array(a, dtype=float)
    a.flat[where] = np.nan
    return a


def with_inf(a, where=0):
    a = np.array(a, dtype=float)
    a.flat[where] = np.inf
    return a


STR_ARRAY = np.array([["a"] * 5] * 3)
OBJ_ARRAY = np.empty((3, 5), dtype=object)
COMPLEX_W = W.astype(complex)

# Each kind of bad input and the one error type it must raise.
KINDS = {
    # the value is wrong: ValueError
    "0-d array": ValueError, "empty array": ValueError, "wrong ndim": ValueError,
    "shape off by one": ValueError, "NaN": ValueError, "inf": ValueError,
    "label out of range": ValueError, "negative label": ValueError,
    "negative number": ValueError, "non-positive number": ValueError, "non-finite number": ValueError,
    "h <= 0": ValueError, "non-positive lr": ValueError, "non-finite lr": ValueError,
    "count < 1": ValueError, "negative count": ValueError, "batch size 0": ValueError,
    "batch size > N": ValueError, "both or neither": ValueError, "out of range": ValueError,
    "unknown name": ValueError, "wrong shape spec": ValueError, "bad step number": ValueError,
    "missing setting": ValueError, "missing file": ValueError,
    "no finite point": ValueError, "loss returns a vector": ValueError,
    "loss returns NaN": ValueError, "gradient shape off by one": ValueError,
    "schedule gives a bad lr": ValueError, "learning rate in config": ValueError,
    "lr off the grid": ValueError,
    # the type is wrong: TypeError
    "wrong type": TypeError, "string dtype": TypeError, "object dtype": TypeError,
    "complex dtype": TypeError, "float labels": TypeError, "bool labels": TypeError,
    "non-integer count": TypeError, "not callable": TypeError, "non-Generator rng": TypeError,
    "missing rng": TypeError, "not a 3-D Axes": TypeError, "loss returns a string": TypeError,
    "loss returns no pair": TypeError, "loss returns a pair": TypeError,
    "schedule gives a non-number": TypeError,
}
CASES = []


def bad(kind, arg, fn, *args, **kwargs):
    """One table row: fn(*args, **kwargs) must raise KINDS[kind] naming ``arg`` as a word."""
    assert kind in KINDS, f"classify the new kind {kind!r} in KINDS"
    name = getattr(fn, "__qualname__", repr(fn))
    CASES.append(pytest.param(kind, arg, fn, args, kwargs, id=f"{name}-{kind}-{arg}"))


# ----------------------------------------------------------------------------- losses
LOSSES = [losses.svm_loss, losses.svm_loss_grad, losses.svm_loss_naive,
          losses.softmax_loss, losses.softmax_loss_grad, losses.softmax_loss_naive]
for f in LOSSES + [losses.accuracy]:
    bad("0-d array", "W", f, ZERO_D, X, Y)
    bad("0-d array", "W", f, np.float64(1.0), X, Y)      # a numpy scalar is a 0-d array too
    bad("0-d array", "X", f, W, ZERO_D, Y[:1])
    bad("empty array", "W", f, np.zeros((3, 0)), X[:, :0], Y)
    bad("empty array", "X", f, W, X[:0], Y[:0])
    bad("string dtype", "W", f, STR_ARRAY, X, Y)
    bad("object dtype", "W", f, OBJ_ARRAY, X, Y)
    bad("complex dtype", "W", f, COMPLEX_W, X, Y)
    bad("string dtype", "X", f, W, X.astype(str), Y)
    bad("NaN", "W", f, with_nan(W), X, Y)
    bad("inf", "W", f, with_inf(W), X, Y)
    bad("NaN", "X", f, W, with_nan(X), Y)
    bad("inf", "X", f, W, with_inf(X), Y)
    bad("shape off by one", "X", f, W, X[:, :-1], Y)
    bad("shape off by one", "y", f, W, X, Y[:-1])
    bad("wrong ndim", "X", f, W, X[0], Y[:1])
    bad("wrong ndim", "y", f, W, X, Y[:, None])
    bad("label out of range", "y", f, W, X, np.where(Y == 2, 3, Y))
    bad("negative label", "y", f, W, X, np.where(Y == 2, -1, Y))
    bad("float labels", "y", f, W, X, Y.astype(float))
    bad("bool labels", "y", f, W, X, Y > 0)
    bad("string dtype", "y", f, W, X, Y.astype(str))
for f in LOSSES:
    bad("negative number", "reg", f, W, X, Y, reg=-0.1)
    bad("non-finite number", "reg", f, W, X, Y, reg=np.nan)
    bad("wrong type", "reg", f, W, X, Y, reg="0.1")
    bad("wrong type", "reg", f, W, X, Y, reg=None)
bad("0-d array", "W", losses.predict, ZERO_D, X)
bad("string dtype", "W", losses.predict, STR_ARRAY, X)
bad("complex dtype", "X", losses.predict, W, X.astype(complex))
bad("NaN", "X", losses.predict, W, with_nan(X))
bad("empty array", "X", losses.predict, W, X[:0])
bad("shape off by one", "X", losses.predict, W, X[:, :-1])
# the NaN-safe metrics of the sliders: a diverged W gives NaN/inf, bad data is still refused
PATH = np.stack([W, 2 * W])                                 # (n, C, D), like History.path
SM = safe_metrics
for f in (SM.path_accuracies, SM.softmax_path_metrics):
    bad("wrong ndim", "path", f, W, X, Y)
    bad("string dtype", "path", f, np.array([STR_ARRAY]), X, Y)
    bad("shape off by one", "X", f, PATH, X[:, :-1], Y)
    bad("NaN", "X", f, PATH, with_nan(X), Y)
    bad("shape off by one", "y", f, PATH, X, Y[:-1])
    bad("float labels", "y", f, PATH, X, Y.astype(float))
    bad("label out of range", "y", f, PATH, X, np.where(Y == 2, 3, Y))
for f in (SM.accuracy_or_nan, SM.softmax_loss_or_inf):
    bad("wrong ndim", "W", f, W[0], X, Y)
    bad("string dtype", "W", f, STR_ARRAY, X, Y)
    bad("shape off by one", "y", f, W, X, Y[:-1])
    bad("float labels", "y", f, W, X, Y.astype(float))
    bad("NaN", "X", f, W, with_nan(X), Y)
for f in (SM.softmax_path_metrics, SM.softmax_loss_or_inf):
    bad("negative number", "reg", f, PATH if f is SM.softmax_path_metrics else W, X, Y, reg=-1.0)
    bad("wrong type", "reg", f, PATH if f is SM.softmax_path_metrics else W, X, Y, reg="0.1")

# ----------------------------------------------------------------------------- gradients
bad("not callable", "f", gradients.numerical_gradient, "quad", W)
bad("loss returns a vector", "f", gradients.numerical_gradient, vector_loss, W)
bad("loss returns a string", "f", gradients.numerical_gradient, string_loss, W)
bad("loss returns NaN", "f", gradients.numerical_gradient, lambda w: np.nan, W)
bad("h <= 0", "h", gradients.numerical_gradient, quad, W, h=0.0)
bad("h <= 0", "h", gradients.numerical_gradient, quad, W, h=-1e-5)
bad("non-finite number", "h", gradients.numerical_gradient, quad, W, h=np.inf)
bad("wrong type", "h", gradients.numerical_gradient, quad, W, h="1e-5")
bad("unknown name", "method", gradients.numerical_gradient, quad, W, method="backward")
bad("wrong type", "method", gradients.numerical_gradient, quad, W, method=2)
bad("empty array", "x", gradients.numerical_gradient, quad, np.zeros(0))
bad("NaN", "x", gradients.numerical_gradient, quad, with_nan(W))
bad("string dtype", "x", gradients.numerical_gradient, quad, STR_ARRAY)
bad("shape off by one", "a", gradients.relative_error, W, W[:, :-1])
bad("NaN", "a", gradients.relative_error, with_nan(W), W)
bad("complex dtype", "b", gradients.relative_error, W, COMPLEX_W)
bad("empty array", "a", gradients.relative_error, np.zeros(0), np.zeros(0))
R = np.random.default_rng
GC = gradients.gradient_check
bad("shape off by one", "analytic", GC, quad, W, W[:, :-1], rng=R(0))
bad("count < 1", "n_checks", GC, quad, W, W, n_checks=0, rng=R(0))
bad("non-integer count", "n_checks", GC, quad, W, W, n_checks=2.0, rng=R(0))
bad("missing rng", "rng", GC, quad, W, W)
bad("non-Generator rng", "rng", GC, quad, W, W, rng=4)
bad("non-Generator rng", "rng", GC, quad, W, W, rng=np.random.RandomState(4))
bad("h <= 0", "h", GC, quad, W, W, h=0, rng=R(0))
bad("loss returns a vector", "f", GC, vector_loss, W, W, rng=R(0))
bad("loss returns a string", "f", GC, string_loss, W, W, rng=R(0))
bad("loss returns NaN", "f", GC, lambda w: np.inf, W, W, rng=R(0))

# ----------------------------------------------------------------------------- optimizers
RS, RLS = optimizers.random_search, optimizers.random_local_search
bad("count < 1", "n_tries", RS, quad, (3, 5), n_tries=0, rng=R(0))
bad("non-integer count", "n_tries", RS, quad, (3, 5), n_tries=2.5, rng=R(0))
bad("non-integer count", "n_tries", RS, quad, (3, 5), n_tries=True, rng=R(0))
bad("non-positive number", "scale", RS, quad, (3, 5), scale=0, rng=R(0))
bad("non-Generator rng", "rng", RS, quad, (3, 5), rng=0)
bad("non-Generator rng", "rng", RS, quad, (3, 5), rng=np.random.RandomState(0))
bad("non-Generator rng", "rng", RS, quad, (3, 5), rng=None)
bad("missing rng", "rng", RS, quad, (3, 5))
bad("wrong shape spec", "shape", RS, quad, (3, 0), rng=R(0))
bad("wrong type", "shape", RS, quad, "3x5", rng=R(0))
bad("wrong type", "shape", RS, quad, (3.0, 5), rng=R(0))
bad("loss returns a vector", "loss_fn", RS, vector_loss, (3,), rng=R(0))
bad("loss returns a string", "loss_fn", RS, string_loss, (3,), rng=R(0))
bad("not callable", "loss_fn", RS, None, (3,), rng=R(0))
bad("loss returns a pair", "loss_fn", RS, quad_grad, (3,), rng=R(0))
bad("loss returns a pair", "f", gradients.numerical_gradient, quad_grad, W)
bad("count < 1", "n_tries", RLS, quad, W, n_tries=0, rng=R(0))
bad("non-positive number", "step_size", RLS, quad, W, step_size=-1.0, rng=R(0))
bad("NaN", "w0", RLS, quad, with_nan(W), rng=R(0))
bad("empty array", "w0", RLS, quad, np.zeros((0, 2)), rng=R(0))
bad("non-Generator rng", "rng", RLS, quad, W, rng=42)
bad("missing rng", "rng", RLS, quad, W)
bad("loss returns a vector", "loss_fn", RLS, vector_loss, W, rng=R(0))
GD = optimizers.gradient_descent
bad("non-positive lr", "lr", GD, quad_grad, W, 0.0)
bad("non-positive lr", "lr", GD, quad_grad, W, -0.1)
bad("non-finite lr", "lr", GD, quad_grad, W, np.inf)
bad("non-finite lr", "lr", GD, quad_grad, W, np.nan)
bad("wrong type", "lr", GD, quad_grad, W, "0.1")
bad("schedule gives a bad lr", "lr", GD, quad_grad, W, lambda k: -1.0)
bad("schedule gives a non-number", "lr", GD, quad_grad, W, lambda k: "0.1")
bad("negative count", "n_steps", GD, quad_grad, W, 0.1, n_steps=-1)
bad("non-integer count", "n_steps", GD, quad_grad, W, 0.1, n_steps=10.0)
bad("NaN", "w0", GD, quad_grad, with_nan(W), 0.1)
bad("inf", "w0", GD, quad_grad, with_inf(W), 0.1)
bad("empty array", "w0", GD, quad_grad, np.zeros(0), 0.1)
bad("complex dtype", "w0", GD, quad_grad, COMPLEX_W, 0.1)
bad("gradient shape off by one", "loss_grad_fn", GD, pair_wrong_shape, W, 0.1)
bad("loss returns no pair", "loss_grad_fn", GD, not_a_pair, W, 0.1)
bad("not callable", "loss_grad_fn", GD, "quad_grad", W, 0.1)
bad("not callable", "update", GD, quad_grad, W, 0.1, update="adam")
bad("loss returns no pair", "update", GD, quad_grad, W, 0.1, update=lambda w, dw, config: w)
bad("shape off by one", "update", GD, quad_grad, W, 0.1, update=lambda w, dw, config: (w[:, :-1], config))
bad("wrong type", "config", GD, quad_grad, W, 0.1, config=[("momentum", 0.9)])
bad("learning rate in config", "config", GD, quad_grad, W, 0.1, config={"learning_rate": 0.5})
bad("learning rate in config", "config", GD, quad_grad, W, 0.1, update=updates.momentum_update,
    config={"momentum": 0.9, "learning_rate": 0.1})
bad("negative number", "tol", GD, quad_grad, W, 0.1, tol=-1.0)
bad("non-finite number", "max_loss", GD, quad_grad, W, 0.1, max_loss=np.inf)
SGD = optimizers.sgd
W0 = np.zeros_like(W)
# rows on X and y use accept_anything, so it is sgd itself that refuses them
bad("batch size 0", "batch_size", SGD, batch_loss_grad, W0, X, Y, 0.1, 0, n_steps=3, rng=R(0))
bad("batch size > N", "batch_size", SGD, batch_loss_grad, W0, X, Y, 0.1, 9, n_steps=3, rng=R(0))
bad("non-integer count", "batch_size", SGD, batch_loss_grad, W0, X, Y, 0.1, 2.0, n_steps=3, rng=R(0))
bad("non-positive lr", "lr", SGD, batch_loss_grad, W0, X, Y, 0.0, 2, n_steps=3, rng=R(0))
bad("non-finite lr", "lr", SGD, batch_loss_grad, W0, X, Y, np.inf, 2, n_steps=3, rng=R(0))
bad("non-finite lr", "lr", SGD, batch_loss_grad, W0, X, Y, np.nan, 2, n_steps=3, rng=R(0))
bad("wrong type", "lr", SGD, batch_loss_grad, W0, X, Y, "0.1", 2, n_steps=3, rng=R(0))
bad("count < 1", "n_epochs", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_epochs=0, rng=R(0))
bad("count < 1", "n_steps", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=0, rng=R(0))
bad("both or neither", "n_epochs", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, rng=R(0))
bad("both or neither", "n_steps", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_epochs=1, n_steps=1, rng=R(0))
bad("non-Generator rng", "rng", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=np.random)
bad("missing rng", "rng", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3)
bad("shape off by one", "y", SGD, accept_anything, W0, X, Y[:-1], 0.1, 2, n_steps=3, rng=R(0))
bad("wrong ndim", "y", SGD, accept_anything, W0, X, Y[:, None], 0.1, 2, n_steps=3, rng=R(0))
bad("float labels", "y", SGD, accept_anything, W0, X, Y.astype(float), 0.1, 2, n_steps=3, rng=R(0))
bad("bool labels", "y", SGD, accept_anything, W0, X, Y > 0, 0.1, 2, n_steps=3, rng=R(0))
bad("negative label", "y", SGD, accept_anything, W0, X, -Y, 0.1, 2, n_steps=3, rng=R(0))
bad("empty array", "X", SGD, accept_anything, W0, X[:0], Y[:0], 0.1, 1, n_steps=3, rng=R(0))
bad("0-d array", "X", SGD, accept_anything, W0, ZERO_D, Y[:1], 0.1, 1, n_steps=3, rng=R(0))
bad("wrong ndim", "X", SGD, accept_anything, W0, X[0], Y, 0.1, 1, n_steps=3, rng=R(0))
bad("string dtype", "X", SGD, accept_anything, W0, X.astype(str), Y, 0.1, 2, n_steps=3, rng=R(0))
bad("complex dtype", "X", SGD, accept_anything, W0, X.astype(complex), Y, 0.1, 2, n_steps=3, rng=R(0))
bad("NaN", "X", SGD, accept_anything, W0, with_nan(X), Y, 0.1, 2, n_steps=3, rng=R(0))
bad("not callable", "eval_fn", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0), eval_fn=1)
bad("loss returns a vector", "eval_fn", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0),
    eval_fn=vector_loss)
bad("count < 1", "eval_every", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0),
    eval_fn=quad, eval_every=0)
bad("gradient shape off by one", "loss_grad_fn", SGD, lambda w, Xb, yb: pair_wrong_shape(w), W0, X, Y,
    0.1, 2, n_steps=3, rng=R(0))
bad("not callable", "update", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0), update=None)
bad("wrong type", "config", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0), config=0.9)
bad("learning rate in config", "config", SGD, batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0),
    config={"learning_rate": 0.5})

# ----------------------------------------------------------------------------- updates
for rule in (updates.sgd_update, updates.momentum_update, updates.adam_update):
    bad("non-positive lr", "learning_rate", rule, W, W, {"learning_rate": 0.0})
    bad("non-finite lr", "learning_rate", rule, W, W, {"learning_rate": np.nan})
    bad("wrong type", "learning_rate", rule, W, W, {"learning_rate": "0.1"})
    bad("missing setting", "learning_rate", rule, W, W, {})
    bad("shape off by one", "dw", rule, W, W[:, :-1], {"learning_rate": 0.1})
    bad("string dtype", "w", rule, STR_ARRAY, W, {"learning_rate": 0.1})
    bad("object dtype", "dw", rule, W, OBJ_ARRAY, {"learning_rate": 0.1})
    bad("empty array", "w", rule, np.zeros(0), np.zeros(0), {"learning_rate": 0.1})
    bad("wrong type", "config", rule, W, W, [("learning_rate", 0.1)])
bad("out of range", "momentum", updates.momentum_update, W, W, {"learning_rate": 0.1, "momentum": 1.5})
bad("out of range", "momentum", updates.momentum_update, W, W, {"learning_rate": 0.1, "momentum": -0.5})
bad("wrong type", "momentum", updates.momentum_update, W, W, {"learning_rate": 0.1, "momentum": "0.9"})
bad("shape off by one", "velocity", updates.momentum_update, W, W,
    {"learning_rate": 0.1, "velocity": np.zeros((3, 4))})
bad("out of range", "beta1", updates.adam_update, W, W, {"learning_rate": 0.1, "beta1": 1.0})
bad("out of range", "beta2", updates.adam_update, W, W, {"learning_rate": 0.1, "beta2": -0.1})
bad("non-positive number", "epsilon", updates.adam_update, W, W, {"learning_rate": 0.1, "epsilon": 0})
bad("shape off by one", "m", updates.adam_update, W, W,
    {"learning_rate": 0.1, "m": np.zeros(4), "v": np.zeros(4), "t": 1})
bad("negative count", "t", updates.adam_update, W, W, {"learning_rate": 0.1, "t": -1})
bad("non-integer count", "t", updates.adam_update, W, W, {"learning_rate": 0.1, "t": 1.0})

# ----------------------------------------------------------------------------- schedules
for make, extra in [(schedules.constant, ()), (schedules.step_decay, ()),
                    (schedules.inverse_time, ()), (schedules.exponential, ()),
                    (schedules.linear_decay, (0.01, 100))]:
    bad("non-positive lr", "lr0", make, 0.0, *extra)
    bad("non-finite lr", "lr0", make, np.inf, *extra)
    bad("wrong type", "lr0", make, "0.1", *extra)
    for k in (-1, 1.5, np.nan, np.inf):
        bad("bad step number", "k", make(0.1, *extra), k)
    for k in ("3", None, True):
        bad("wrong type", "k", make(0.1, *extra), k)
bad("non-positive number", "drop", schedules.step_decay, 0.1, drop=0.0)
bad("out of range", "drop", schedules.step_decay, 0.1, drop=1.0)      # no decay at all
bad("out of range", "drop", schedules.step_decay, 0.1, drop=2.0)      # a rate that grows
bad("count < 1", "every", schedules.step_decay, 0.1, every=0)
bad("non-integer count", "every", schedules.step_decay, 0.1, every=10.0)
bad("non-positive number", "decay", schedules.inverse_time, 0.1, decay=-1.0)
bad("NaN", "decay", schedules.exponential, 0.1, decay=np.nan)
bad("non-positive number", "lr_tau", schedules.linear_decay, 0.1, 0.0, 10)
bad("count < 1", "tau", schedules.linear_decay, 0.1, 0.01, 0)
bad("non-positive lr", "lr", schedules.as_schedule, -0.5)
bad("non-finite lr", "lr", schedules.as_schedule, np.nan)
bad("wrong type", "lr", schedules.as_schedule, "0.1")

# ----------------------------------------------------------------------------- landscapes
for method in (MOUNTAIN.loss, MOUNTAIN.grad, MOUNTAIN.loss_grad):
    bad("0-d array", "w", method, np.float64(0.5))
    bad("shape off by one", "w", method, np.zeros(3))
    bad("empty array", "w", method, np.zeros((0, 2)))
    bad("NaN", "w", method, with_nan(W2))
    bad("string dtype", "w", method, np.array(["a", "b"]))
bad("shape off by one", "w", MOUNTAIN.loss_grad, np.zeros((4, 2)))
bad("unknown name", "name", landscapes.get_landscape, "volcano")
bad("wrong type", "name", landscapes.get_landscape, ["bowl"])
bad("wrong type", "landscape", landscapes.grid, "bowl")
bad("count < 1", "n", landscapes.grid, BOWL, 0)
bad("non-integer count", "n", landscapes.grid, BOWL, 20.5)

# ----------------------------------------------------------------------------- plots
bad("wrong type", "landscape", plots.plot_contour, "mountain")
bad("count < 1", "n", plots.plot_contour, BOWL, n=1)
bad("wrong type", "landscape", plots.plot_surface, None)
bad("not a 3-D Axes", "ax", plots.plot_surface, BOWL, ax="2d")
bad("shape off by one", "path", plots.plot_path, np.zeros((5, 3)))
bad("0-d array", "path", plots.plot_path, ZERO_D)
bad("wrong ndim", "path", plots.plot_path, np.zeros(2))
bad("empty array", "path", plots.plot_path, np.zeros((0, 2)))
bad("no finite point", "path", plots.plot_path, np.full((3, 2), np.nan))
bad("string dtype", "path", plots.plot_path, np.array([["a", "b"]]))
bad("0-d array", "losses", plots.plot_losses, ZERO_D)
bad("wrong ndim", "losses", plots.plot_losses, np.zeros((3, 2)))
bad("empty array", "losses", plots.plot_losses, np.zeros(0))
bad("shape off by one", "x", plots.plot_losses, np.ones(5), x=np.arange(4))
bad("NaN", "x", plots.plot_losses, np.ones(3), x=with_nan(np.arange(3)))
bad("wrong ndim", "images", plots.tile_images, np.zeros((8, 8)))
bad("0-d array", "images", plots.tile_images, ZERO_D)
bad("count < 1", "n_cols", plots.tile_images, IMAGES, n_cols=0)
bad("non-integer count", "n_cols", plots.tile_images, IMAGES, n_cols=2.0)
bad("negative number", "pad", plots.tile_images, IMAGES, pad=-1)
bad("wrong ndim", "images", plots.plot_digits, IMAGES[0])
bad("shape off by one", "labels", plots.plot_digits, IMAGES, labels=[1, 2, 3])
bad("count < 1", "n_cols", plots.plot_digits, IMAGES, n_cols=0)
bad("shape off by one", "W", plots.plot_templates, np.zeros((10, 63)))
bad("NaN", "W", plots.plot_templates, with_nan(np.zeros((10, 65))))
bad("shape off by one", "class_names", plots.plot_templates, np.zeros((10, 65)), class_names="012")

# ----------------------------------------------------------------------------- data
bad("wrong ndim", "X", data.add_bias, np.zeros(3))
bad("0-d array", "X", data.add_bias, ZERO_D)
bad("NaN", "X", data.add_bias, with_nan(np.zeros((2, 2))))
bad("empty array", "X", data.add_bias, np.zeros((0, 2)))
bad("string dtype", "X", data.add_bias, np.array([["1", "2"]]))
bad("non-positive number", "scale", data.preprocess, np.ones((3, 2)), scale=0)
bad("wrong type", "scale", data.preprocess, np.ones((3, 2)), scale="16")
bad("wrong ndim", "train", data.preprocess, np.ones(3))
bad("shape off by one", "others[0]", data.preprocess, np.ones((3, 2)), np.ones((3, 3)))
bad("inf", "others[1]", data.preprocess, np.ones((3, 2)), np.ones((3, 2)), with_inf(np.ones((3, 2))))
bad("missing file", "path", data.load_digits, "no/such/digits.npz")
bad("wrong type", "path", data.load_digits, 42)
bad("count < 1", "n_per_class", data.make_blobs, 0, rng=R(0))
bad("non-integer count", "n_per_class", data.make_blobs, 5.0, rng=R(0))
bad("non-Generator rng", "rng", data.make_blobs, 5, rng=0)
bad("missing rng", "rng", data.make_blobs, 5)
bad("non-positive number", "spread", data.make_blobs, 5, rng=R(0), spread=0)
bad("count < 1", "n_per_class", data.make_spiral, -3, rng=R(0))
bad("non-Generator rng", "rng", data.make_spiral, 5, rng=None)
bad("missing rng", "rng", data.make_spiral, 5)
bad("negative number", "noise", data.make_spiral, 5, rng=R(0), noise=-0.1)
bad("missing file", "path", data.read_cifar10_batch, "no/such/batch.bin")
bad("missing file", "path", data.sha256, "no/such/file")
bad("wrong type", "path", data.sha256, None)
bad("missing file", "root", data.load_cifar10, "no/such/folder")

# ----------------------------------------------------------------------------- the slider layer
_XS, _YS = X, Y
bad("wrong type", "value", readout.format_loss, "abc")
bad("wrong type", "run", readout.format_readout, {"lr": 0.1, "status": "max_steps"})
bad("wrong type", "fig", frames.figure_png, None)
bad("count < 1", "ncols", frames.new_figure, 0)
bad("non-integer count", "ncols", frames.new_figure, 2.0)
bad("out of range", "compress_level", frames.figure_png, matplotlib.figure.Figure(), compress_level=10)
bad("non-integer count", "compress_level", frames.figure_png, matplotlib.figure.Figure(), compress_level=1.5)
bad("wrong ndim", "rgba", frames.rgba_png, np.zeros((4, 4), dtype=np.uint8))
bad("shape off by one", "rgba", frames.rgba_png, np.zeros((4, 4, 3), dtype=np.uint8))
bad("empty array", "rgba", frames.rgba_png, np.zeros((0, 4, 4), dtype=np.uint8))
bad("wrong type", "rgba", frames.rgba_png, np.zeros((4, 4, 4)))
bad("string dtype", "rgba", frames.rgba_png, np.full((4, 4, 4), "a"))
bad("unknown name", "which", frames.plain_log_axis, matplotlib.figure.Figure().subplots(), which="z")
bad("wrong type", "ax", frames.plain_log_axis, None)
bad("non-positive number", "value", frames.nice_tick, 0.0, True)
bad("wrong type", "value", frames.nice_tick, "3", True)
bad("wrong type", "up", frames.nice_tick, 3.0, 1)
bad("wrong type", "values", frames.log_floor, ["a", "b"])
bad("non-positive number", "floor", frames.log_floor, [1.0], floor=0.0)
bad("wrong type", "ax", frames.fit_log_y, None, [1.0, 2.0])
bad("wrong type", "values", frames.fit_log_y, matplotlib.figure.Figure().subplots(), "loss")
bad("non-positive lr", "lr", sliders.snap_lr, 0.0)
bad("wrong type", "lr", sliders.snap_lr, "0.1")
bad("lr off the grid", "lr", sliders.snap_lr, 0.3)          # the grid has 0.237 and 0.316
bad("lr off the grid", "lr_max", sliders.lr_grid, 0.1, 30.0)
bad("out of range", "lr_min", sliders.lr_grid, 1.0, 0.1)
bad("negative count", "maxsize", sliders.SettingCache, -1)
bad("non-integer count", "maxsize", sliders.SettingCache, 2.0)
bad("unknown name", "name", sliders.landscape_run, "volcano", 0.1)
bad("non-positive lr", "lr", sliders.landscape_run, "bowl", 0.0)
bad("count < 1", "n_steps", sliders.landscape_run, "bowl", 0.1, n_steps=0)
bad("shape off by one", "start", sliders.landscape_run, "bowl", 0.1, start=(1.0, 2.0, 3.0))
bad("NaN", "X_train", sliders.classifier_setup, with_nan(_XS), _YS, _XS, _YS)
bad("shape off by one", "X_val", sliders.classifier_setup, _XS, _YS, _XS[:, :-1], _YS)
bad("float labels", "y_train", sliders.classifier_setup, _XS, _YS.astype(float), _XS, _YS)
bad("negative label", "y_val", sliders.classifier_setup, _XS, _YS, _XS, -_YS)
bad("negative number", "reg", sliders.classifier_setup, _XS, _YS, _XS, _YS, reg=-1.0)
bad("count < 1", "n_steps", sliders.classifier_setup, _XS, _YS, _XS, _YS, n_steps=0)
bad("missing rng", "rng", sliders.sgd_setup, _XS, _YS, _XS, _YS)
bad("non-Generator rng", "rng", sliders.sgd_setup, _XS, _YS, _XS, _YS, rng=0)
bad("count < 1", "eval_every", sliders.sgd_setup, _XS, _YS, _XS, _YS, eval_every=0, rng=R(0))
_CLF = sliders.classifier_setup(_XS, _YS, _XS, _YS, n_steps=3)
_SGD = sliders.sgd_setup(_XS, _YS, _XS, _YS, n_steps=3, eval_every=1, rng=R(0))
bad("non-positive lr", "lr", sliders.classifier_run, _CLF, 0.0)
bad("wrong type", "lr", sliders.classifier_run, _CLF, "1")
bad("non-finite lr", "lr", sliders.gd_run, _SGD, np.nan)
bad("batch size 0", "batch_size", sliders.sgd_run, _SGD, 0.1, 0)
bad("batch size > N", "batch_size", sliders.sgd_run, _SGD, 0.1, 9)
bad("non-integer count", "batch_size", sliders.sgd_run, _SGD, 0.1, 2.0)
bad("non-finite lr", "lr", sliders.sgd_run, _SGD, np.inf, 2)
bad("missing setting", "setup", sliders.sgd_run, _CLF, 0.1, 2)   # no random stream to replay
bad("wrong type", "svg", svg_frames.compact_svg, b"<svg></svg>")
bad("unknown name", "svg", svg_frames.compact_svg, "<html></html>")
bad("wrong type", "figure", svg_frames.FrameLayers, matplotlib.figure.Figure())
bad("out of range", "lr", widgets.lr_slider, 100.0, 0.001, 31.6)
bad("out of range", "lr_min", widgets.lr_slider, 0.1, 1.0, 0.562)
bad("unknown name", "name", widgets.lr_slider_landscape, "volcano")
bad("count < 1", "n_steps", widgets.lr_slider_landscape, "bowl", n_steps=0)
bad("shape off by one", "start", widgets.lr_slider_landscape, "bowl", start=(1.0, 2.0, 3.0))
bad("lr off the grid", "lr", widgets.lr_slider_landscape, "bowl", lr=0.3)
bad("non-positive lr", "lr", widgets.lr_slider_classifier, _XS, _YS, _XS, _YS, lr=0.0)
bad("NaN", "X_train", widgets.lr_slider_classifier, with_nan(_XS), _YS, _XS, _YS)
bad("out of range", "batch_size", widgets.batch_size_slider, 3, 8)
bad("count < 1", "batch_sizes", widgets.batch_size_slider, 1, 8, batch_sizes=(0, 1))
bad("out of range", "batch_size", widgets.sgd_sliders, _XS, _YS, _XS, _YS, batch_size=16, rng=R(0))
bad("non-finite number", "lr_max", widgets.sgd_sliders, _XS, _YS, _XS, _YS, batch_size=4,
    lr_max=np.inf, rng=R(0))
bad("missing rng", "rng", widgets.sgd_sliders, _XS, _YS, _XS, _YS, batch_size=4)
bad("non-Generator rng", "rng", widgets.sgd_sliders, _XS, _YS, _XS, _YS, batch_size=4, rng=1)


@pytest.mark.parametrize("kind, arg, fn, args, kwargs", CASES)
def test_bad_input_raises_the_conventional_error_naming_the_argument(kind, arg, fn, args, kwargs):
    expected = KINDS[kind]
    with pytest.raises((TypeError, ValueError)) as err:
        fn(*args, **kwargs)
    message = str(err.value)
    assert type(err.value) is expected, \
        f"{kind}: expected {expected.__name__}, got {type(err.value).__name__}: {message!r}"
    # the argument's name appears as a word of its own (not inside another word)
    assert re.search(rf"(?<![\w]){re.escape(arg)}(?![\w])", message), \
        f"{kind}: message does not name {arg!r}: {message!r}"


def test_the_table_covers_at_least_15_kinds_of_bad_input():
    kinds = {p.values[0] for p in CASES}
    assert len(kinds) >= 15, sorted(kinds)
    assert {KINDS[k] for k in kinds} == {TypeError, ValueError}
    assert kinds == set(KINDS), f"kinds with no row: {sorted(set(KINDS) - kinds)}"


# ----------------------------------------------------------------------------- the student's errors

class StudentError(Exception):
    """An exception only the student's own function raises."""


RAISED = []


def raising(*args):
    """A student's function that fails: a loss, a schedule, an update rule, an eval_fn."""
    error = StudentError("raised inside the student's own function")
    RAISED.append(error)
    raise error


def raising_value_error(*args):
    """The same, with a ValueError of the student's own: it must not be re-worded."""
    error = ValueError("the student's own ValueError, word for word")
    RAISED.append(error)
    raise error


THROUGH = {
    "numerical_gradient f": lambda f: gradients.numerical_gradient(f, W),
    "gradient_check f": lambda f: gradients.gradient_check(f, W, W, rng=R(0)),
    "random_search loss_fn": lambda f: optimizers.random_search(f, (3,), rng=R(0)),
    "random_local_search loss_fn": lambda f: optimizers.random_local_search(f, W, rng=R(0)),
    "gradient_descent loss_grad_fn": lambda f: GD(f, W, 0.1),
    "gradient_descent schedule": lambda f: GD(quad_grad, W, f),
    "gradient_descent update": lambda f: GD(quad_grad, W, 0.1, update=f),
    "sgd loss_grad_fn": lambda f: SGD(f, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0)),
    "sgd schedule": lambda f: SGD(batch_loss_grad, W0, X, Y, f, 2, n_steps=3, rng=R(0)),
    "sgd update": lambda f: SGD(batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0), update=f),
    "sgd eval_fn": lambda f: SGD(batch_loss_grad, W0, X, Y, 0.1, 2, n_steps=3, rng=R(0), eval_fn=f),
}


@pytest.mark.parametrize("student", [raising, raising_value_error], ids=["own class", "own ValueError"])
@pytest.mark.parametrize("name", sorted(THROUGH))
def test_an_error_inside_the_students_function_reaches_them_unchanged(name, student):
    RAISED.clear()
    with pytest.raises(Exception) as err:
        THROUGH[name](student)
    assert err.value is RAISED[-1], f"{name}: got {type(err.value).__name__}: {err.value}"
    assert err.value.__cause__ is None and not err.value.__suppress_context__
    assert err.value.__context__ is None                      # not caught and re-raised
    assert err.traceback[-1].name == student.__name__          # the student's line is on top


def _public_functions():
    """Every public function of every public optim_helpers module, as module.name strings."""
    names = set()
    for info in pkgutil.iter_modules(optim_helpers.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"optim_helpers.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                names.add(f"{module.__name__}.{name}")
    return names


def test_every_public_function_is_in_the_table():
    covered = set()
    for p in CASES:
        fn = p.values[2]
        module = getattr(fn, "__module__", None)
        covered.add(f"{module}.{getattr(fn, '__name__', '')}")
    # a function without parameters (a context manager like sliders.one_blas_thread) cannot
    # be given a bad input
    takes_input = {name for name in _public_functions()
                   if inspect.signature(_resolve(name)).parameters}
    missing = sorted(takes_input - covered)
    assert not missing, f"public functions without a bad-input row: {missing}"
    methods = {p.values[2].__qualname__ for p in CASES}
    for expected in ("Landscape.loss", "Landscape.grad", "Landscape.loss_grad", "SettingCache"):
        assert expected in methods, expected


def _resolve(dotted):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


# ----------------------------------------------------------------------------- no mutation

def snapshot(value):
    """A deep copy of the data in value (arrays, dicts, lists, tuples); other objects as is."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(snapshot(v) for v in value)
    return value


def assert_same(before, after, where):
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray) and before.dtype == after.dtype, where
        np.testing.assert_array_equal(after, before, err_msg=where)
    elif isinstance(before, dict):
        assert before.keys() == after.keys(), where
        for k in before:
            assert_same(before[k], after[k], f"{where}[{k!r}]")
    elif isinstance(before, (list, tuple)):
        assert len(before) == len(after), where
        for i, (b, a) in enumerate(zip(before, after)):
            assert_same(b, a, f"{where}[{i}]")


def _valid_calls():
    d = {}
    Wi, Xi, Yi = W.copy(), X.copy(), Y.copy()
    cfg = {"learning_rate": 0.1, "momentum": 0.9, "velocity": np.ones_like(W)}
    adam_cfg = {"learning_rate": 0.1, "m": np.ones_like(W), "v": np.ones_like(W), "t": 3}
    for f in LOSSES + [losses.accuracy]:
        d[f.__name__] = (f, (Wi, Xi, Yi), {"reg": 0.1} if f in LOSSES else {})
    d["predict"] = (losses.predict, (Wi, Xi), {})
    d["numerical_gradient"] = (gradients.numerical_gradient, (quad, Wi), {})
    d["numerical_gradient_forward"] = (gradients.numerical_gradient, (quad, Wi), {"method": "forward"})
    d["relative_error"] = (gradients.relative_error, (Wi, Wi + 1), {})
    d["gradient_check"] = (gradients.gradient_check, (quad, Wi, Wi.copy()), {"n_checks": 5, "rng": R(0)})
    d["random_search"] = (optimizers.random_search, (quad, (3, 5)), {"n_tries": 5, "rng": R(0)})
    d["random_local_search"] = (optimizers.random_local_search, (quad, Wi), {"n_tries": 5, "rng": R(0)})
    # the optimizers take the rule's settings and state; the learning rate is their lr
    rule_cfg = {k: v for k, v in cfg.items() if k != "learning_rate"}
    adam_state = {k: v for k, v in adam_cfg.items() if k != "learning_rate"}
    d["gradient_descent"] = (optimizers.gradient_descent, (quad_grad, Wi, 0.1),
                             {"n_steps": 5, "update": updates.momentum_update, "config": rule_cfg})
    d["sgd"] = (optimizers.sgd, (batch_loss_grad, Wi, Xi, Yi, 0.1, 2),
                {"n_steps": 5, "rng": R(0), "update": updates.adam_update, "config": adam_state,
                 "eval_fn": quad, "eval_every": 2, "keep_path": True})
    d["sgd_update"] = (updates.sgd_update, (Wi, Wi.copy(), {"learning_rate": 0.1}), {})
    d["momentum_update"] = (updates.momentum_update, (Wi, Wi.copy(), cfg), {})
    d["adam_update"] = (updates.adam_update, (Wi, Wi.copy(), adam_cfg), {})
    d["landscape_loss"] = (MOUNTAIN.loss, (np.zeros((4, 3, 2)),), {})
    d["landscape_grad"] = (MOUNTAIN.grad, (W2,), {})
    d["landscape_loss_grad"] = (MOUNTAIN.loss_grad, (W2,), {})
    d["grid"] = (landscapes.grid, (BOWL, 10), {})
    d["plot_path"] = (plots.plot_path, (np.array([[0.0, 1.0], [np.nan, 0.0], [2.0, 3.0]]),), {})
    d["plot_losses"] = (plots.plot_losses, (np.array([3.0, 2.0, np.inf]),), {"x": np.arange(3)})
    d["tile_images"] = (plots.tile_images, (IMAGES,), {"n_cols": 3})
    d["plot_digits"] = (plots.plot_digits, (IMAGES, np.arange(4)), {})
    d["plot_templates"] = (plots.plot_templates, (RNG.standard_normal((10, 65)),), {})
    d["add_bias"] = (data.add_bias, (Xi,), {})
    d["preprocess"] = (data.preprocess, (Xi, Xi[:3]), {"scale": 2.0})
    d["path_accuracies"] = (safe_metrics.path_accuracies, (np.stack([Wi, 2 * Wi]), Xi, Yi), {})
    d["softmax_path_metrics"] = (safe_metrics.softmax_path_metrics, (np.stack([Wi, 2 * Wi]), Xi, Yi),
                                 {"reg": 0.1})
    d["landscape_run"] = (sliders.landscape_run, ("bowl", 0.1), {"n_steps": 5, "start": np.array([1.0, 1.0])})
    d["classifier_setup"] = (sliders.classifier_setup, (Xi, Yi, Xi, Yi), {"n_steps": 2})
    d["sgd_setup"] = (sliders.sgd_setup, (Xi, Yi, Xi, Yi), {"n_steps": 2, "rng": R(0)})
    d["lr_slider_classifier"] = (widgets.lr_slider_classifier, (Xi, Yi, Xi, Yi), {"n_steps": 2})
    return d


VALID = _valid_calls()


@pytest.mark.parametrize("name", sorted(VALID))
def test_no_function_mutates_its_inputs(name):
    fn, args, kwargs = VALID[name]
    before = snapshot((args, kwargs))
    fn(*args, **kwargs)
    assert_same(before, (args, kwargs), name)


def test_numerical_gradient_passes_no_view_of_the_callers_array():
    # f may even scribble on what it is given: the caller's x stays as it was
    x = W.copy()

    def scribble(w):
        value = quad(w)
        w *= 2.0
        return value
    gradients.numerical_gradient(scribble, x)
    np.testing.assert_array_equal(x, W)
