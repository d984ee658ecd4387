"""Input checks shared by every module: each raises ValueError naming the argument.

They are cheap on purpose (shapes, dtypes, one finiteness pass over small arrays),
because losses and optimizers call them thousands of times from sliders and SGD.
"""
import numbers

import numpy as np


def as_float_array(name, a, ndim=None, finite=True, allow_empty=False):
    """Return ``a`` as a float64 ndarray (a copy only if needed), or raise ValueError.

    ``ndim``: the required number of dimensions, or None for any.
    ``finite``: reject NaN and inf.  Integer and bool input is cast to float.
    """
    try:
        arr = np.asarray(a)
    except Exception as err:  # ragged lists and the like
        raise ValueError(f"{name} must be an array of numbers, got {type(a).__name__}") from err
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64, copy=False)
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def check_labels(y, n, n_classes, name="y"):
    """Return ``y`` as an int64 array of shape (n,) with values in [0, n_classes)."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {arr.shape}")
    if n and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(f"{name} must be class labels in [0, {n_classes}), got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64, copy=False)


def check_W_X_y(W, X, y):
    """Check a classifier's weights (C, D), data (N, D) and labels (N,) together."""
    W = as_float_array("W", W, ndim=2)
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise ValueError(f"X must hold real numbers, got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (N, D), got shape {X.shape}")
    if X.shape[1] != W.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features per row but W expects D = {W.shape[1]}: "
                         f"W must be (C, D) and X (N, D) (did you forget the bias column?)")
    y = check_labels(y, X.shape[0], W.shape[0])
    return W, X, y


def check_scores(scores):
    """Raise if the (N, C) scores are not finite (NaN/inf in X, or W far too large)."""
    if not np.isfinite(scores).all():
        raise ValueError("X @ W.T gave NaN or inf scores: X must be finite and W not astronomically large")


def check_positive(name, value, allow_zero=False):
    """Return ``value`` as a float if it is a finite number > 0 (>= 0 with allow_zero)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value}")
    return value


def check_int(name, value, low, high=None):
    """Return ``value`` as an int if it is an integer in [low, high] (high None: no bound)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        where = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {where}, got {value}")
    return value


def check_rng(rng):
    """Return ``rng`` if it is a numpy Generator; the lectures pass one explicitly."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator, e.g. np.random.default_rng(0), got {type(rng).__name__}")
    return rng


def call_function(name, f, *args):
    """Call a user-supplied function; any error it raises becomes a ValueError naming it."""
    if not callable(f):
        raise ValueError(f"{name} must be callable, got {type(f).__name__}")
    try:
        return f(*args)
    except Exception as err:
        raise ValueError(f"{name} raised {type(err).__name__}: {err}") from err


def scalar_loss(name, value):
    """Return a loss function's result as a float, or raise if it is not one number."""
    arr = np.asarray(value)
    if arr.ndim != 0 or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must return a single number (the loss), got shape {arr.shape} dtype {arr.dtype}")
    return float(arr)


def call_loss(name, f, *args):
    """Call a loss function and return its result as a float (see scalar_loss)."""
    return scalar_loss(name, call_function(name, f, *args))


def call_loss_grad(name, f, w, *args):
    """Call ``f(w, *args) -> (loss, grad)``; check that grad has w's shape. Returns (float, array)."""
    result = call_function(name, f, w, *args)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise ValueError(f"{name} must return a pair (loss, gradient), got {type(result).__name__}")
    loss, grad = result
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape != np.shape(w):
        raise ValueError(f"{name} must return a gradient of shape {np.shape(w)}, got {grad.shape}")
    return scalar_loss(name, loss), grad
