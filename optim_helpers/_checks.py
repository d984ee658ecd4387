"""Input checks shared by every module.

One convention everywhere: a wrong TYPE raises TypeError (a non-number where a number is
expected, a bool or float where an int is expected, a non-array or a non-real dtype, a
non-callable, an rng that is not a numpy Generator, a user function returning something
that is not a number or a pair); a wrong VALUE raises ValueError whose message names the
argument (shape, range, NaN/inf, empty). Errors raised *inside* a student's own function
are never caught here: they reach the student unchanged, with their own traceback.

They are cheap on purpose (shapes, dtypes, one finiteness pass over small arrays),
because losses and optimizers call them thousands of times from sliders and SGD.
"""
import numbers

import numpy as np


def as_float_array(name, a, ndim=None, finite=True, allow_empty=False):
    """Return ``a`` as a float64 ndarray (a copy only if needed).

    ``ndim``: the required number of dimensions, or None for any.
    ``finite``: reject NaN and inf.  Integer and bool input is cast to float.
    Raises TypeError if ``a`` is not an array of real numbers, ValueError for its
    shape, emptiness or non-finite entries.
    """
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError) as err:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers, got {type(a).__name__}") from err
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64, copy=False)
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def check_X(X, name="X"):
    """Return ``X`` as an ndarray of real numbers with shape (N, D), N >= 1 (not copied, not cast)."""
    try:
        X = np.asarray(X)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of numbers, got {type(X).__name__}") from err
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (N, D), got shape {X.shape}")
    return X


def check_labels(y, n, n_classes=None, name="y"):
    """Return ``y`` as an int64 array of shape (n,) with values in [0, n_classes).

    n_classes None: only require labels >= 0. TypeError for a non-integer dtype,
    ValueError for the shape or the range.
    """
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {arr.shape}")
    high = np.inf if n_classes is None else n_classes
    if n and (arr.min() < 0 or arr.max() >= high):
        where = "[0, ...)" if n_classes is None else f"[0, {n_classes})"
        raise ValueError(f"{name} must be class labels in {where}, "
                         f"got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64, copy=False)


def check_W_X_y(W, X, y):
    """Check a classifier's weights (C, D), data (N, D) and labels (N,) together."""
    W = as_float_array("W", W, ndim=2)
    X = check_X(X)
    if X.shape[1] != W.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features per row but W expects D = {W.shape[1]}: "
                         f"W must be (C, D) and X (N, D) (did you forget the bias column?)")
    y = check_labels(y, X.shape[0], W.shape[0])
    return W, X, y


def check_scores(scores):
    """Raise ValueError if the (N, C) scores are not finite (NaN/inf in X, or W far too large)."""
    if not np.isfinite(scores).all():
        raise ValueError("X @ W.T gave NaN or inf scores: X must be finite and W not astronomically large")


def check_real(name, value):
    """Return ``value`` as a float if it is a real number (not a bool); TypeError otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


def check_positive(name, value):
    """Return ``value`` as a float if it is a finite number > 0."""
    value = check_real(name, value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def check_nonnegative(name, value):
    """Return ``value`` as a float if it is a finite number >= 0."""
    value = check_real(name, value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return value


def check_int(name, value, low, high=None):
    """Return ``value`` as an int if it is an integer in [low, high] (high None: no bound).

    TypeError for a bool, a float (even 3.0) or a non-number; ValueError out of range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        where = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {where}, got {value}")
    return value


def check_rng(rng, name="rng"):
    """Return ``rng`` if it is a numpy Generator; the lectures pass one explicitly."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy Generator, e.g. np.random.default_rng(0), "
                        f"got {type(rng).__name__}")
    return rng


def check_callable(name, f):
    """Return ``f`` if it can be called; TypeError naming it otherwise."""
    if not callable(f):
        raise TypeError(f"{name} must be callable, got {type(f).__name__}")
    return f


def call_function(name, f, *args):
    """Call a user-supplied function. Whatever it raises reaches the caller unchanged."""
    return check_callable(name, f)(*args)


def _as_numbers(value):
    """``value`` as an ndarray, or None if it is not an array of real numbers (str, ragged, ...)."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):          # e.g. a (loss, grad) pair: a ragged sequence
        return None
    return arr if arr.dtype.kind in "biuf" else None


def scalar_loss(name, value):
    """Return a function's result as a float: TypeError if it is not a number, ValueError if not one."""
    arr = _as_numbers(value)
    if arr is None:
        hint = " (a pair? pass a function that returns the loss alone)" if isinstance(value, tuple) else ""
        raise TypeError(f"{name} must return a number (the loss), got {type(value).__name__}{hint}")
    if arr.ndim != 0:
        raise ValueError(f"{name} must return a single number (the loss), got an array of shape {arr.shape}")
    return float(arr)


def call_loss(name, f, *args):
    """Call a loss function and return its result as a float (see scalar_loss)."""
    return scalar_loss(name, call_function(name, f, *args))


def call_loss_grad(name, f, w, *args):
    """Call ``f(w, *args) -> (loss, grad)``; check that grad has w's shape. Returns (float, array)."""
    result = call_function(name, f, w, *args)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError(f"{name} must return a pair (loss, gradient), got {type(result).__name__}")
    loss, grad = result
    grad_arr = _as_numbers(grad)
    if grad_arr is None:
        raise TypeError(f"{name} must return a gradient array of real numbers, got {type(grad).__name__}")
    grad = grad_arr
    if grad.shape != np.shape(w):
        raise ValueError(f"{name} must return a gradient of shape {np.shape(w)}, got {grad.shape}")
    return scalar_loss(name, loss), grad.astype(np.float64, copy=False)
