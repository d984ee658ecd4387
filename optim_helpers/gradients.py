"""Numerical gradients and how to check an analytic gradient against them.

Introduced in 02_follow_the_slope.ipynb.
"""
import math
from collections import namedtuple

import numpy as np

from ._checks import as_float_array, call_loss, check_int, check_positive, check_rng

GradCheck = namedtuple("GradCheck", "indices numerical analytic rel_errors")
GradCheck.__doc__ = """Result of gradient_check: n entries checked.

indices: tuple of arrays (one per dimension of x) naming the checked entries;
numerical, analytic, rel_errors: arrays of shape (n,).
"""


def _finite_loss(f, x):
    """f(x) as a float; a NaN or inf loss makes every difference meaningless, so refuse it."""
    value = call_loss("f", f, x)
    if not math.isfinite(value):
        raise ValueError(f"f returned {value} near x: finite differences need finite losses")
    return value


def numerical_gradient(f, x, h=1e-5, method="centered", progress=False):
    """Gradient of a scalar function by finite differences, one entry at a time.

    Exactly the deck's recipe: nudge one entry of x by h, evaluate f, put the entry
    back, and move on. ``centered`` uses (f(x+h) - f(x-h)) / 2h (error O(h^2), two
    evaluations per entry); ``forward`` uses (f(x+h) - f(x)) / h (error O(h), one).

    Inputs: f, a function of an array shaped like x returning one number; x, any
    shape (integers are cast to float, so x + h is not rounded away); h > 0;
    progress=True shows a tqdm bar (useful above a few thousand entries).
    Returns: grad, a new float array with x's shape. The caller's x is not changed.
    """
    x = as_float_array("x", x).copy()      # our own float copy: nudges never reach the caller
    h = check_positive("h", h)
    if not isinstance(method, str):
        raise TypeError(f"method must be 'centered' or 'forward', got {type(method).__name__}")
    if method not in ("centered", "forward"):
        raise ValueError(f"method must be 'centered' or 'forward', got {method!r}")
    fx = _finite_loss(f, x) if method == "forward" else None
    grad = np.zeros_like(x)
    indices = np.ndindex(x.shape)
    if progress:
        from tqdm.auto import tqdm
        indices = tqdm(indices, total=x.size, desc="numerical gradient")
    for ix in indices:
        old = x[ix]
        x[ix] = old + h
        f_plus = _finite_loss(f, x)
        if method == "centered":
            x[ix] = old - h
            f_minus = _finite_loss(f, x)
            grad[ix] = (f_plus - f_minus) / (2 * h)
        else:
            grad[ix] = (f_plus - fx) / h
        x[ix] = old                          # restore before the next entry
    return grad


def relative_error(a, b):
    """Relative error, max over entries of |a - b| / max(1e-8, |a| + |b|).

    Introduced in 02_follow_the_slope.ipynb. This is the CS231n assignments' ``rel_error``;
    the CS231n notes divide by max(|a|, |b|) instead (at most a factor 2 apart above the
    1e-8 floor). Inputs: two arrays of the same shape. Returns a float. Reading it (the
    CS231n notes' thresholds): above 1e-2 the gradient is probably wrong; below 1e-4 is
    fine at kinks (SVM); below 1e-7 is what a smooth function (softmax) should give.
    """
    a = as_float_array("a", a)
    b = as_float_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def gradient_check(f, x, analytic, n_checks=10, *, rng, h=1e-5):
    """Compare an analytic gradient with centered differences at n_checks random entries.

    Cheaper than a full numerical gradient: 2 evaluations of f per checked entry.
    Inputs: f (array -> number), x (any shape), analytic (x's shape), n_checks >= 1,
    rng (a numpy Generator, required, keyword-only: it draws the entries checked), h > 0.
    Returns a GradCheck of arrays with shape (n_checks,) (capped at x.size).
    """
    rng = check_rng(rng)
    x = as_float_array("x", x).copy()
    analytic = as_float_array("analytic", analytic)
    if analytic.shape != x.shape:
        raise ValueError(f"analytic must have x's shape {x.shape}, got {analytic.shape}")
    n_checks = check_int("n_checks", n_checks, 1)
    h = check_positive("h", h)
    flat = rng.choice(x.size, size=min(n_checks, x.size), replace=False)
    indices = np.unravel_index(flat, x.shape)
    numerical = np.empty(len(flat))
    for k, ix in enumerate(zip(*indices)):
        old = x[ix]
        x[ix] = old + h
        f_plus = _finite_loss(f, x)
        x[ix] = old - h
        f_minus = _finite_loss(f, x)
        x[ix] = old
        numerical[k] = (f_plus - f_minus) / (2 * h)
    picked = analytic[indices]
    rel = np.abs(numerical - picked) / np.maximum(1e-8, np.abs(numerical) + np.abs(picked))
    return GradCheck(indices, numerical, picked, rel)
