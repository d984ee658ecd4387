"""Learning-rate schedules: how the step size changes as training goes on.

Introduced in 04_stochastic_gradient_descent.ipynb.

One contract for the family: each function here takes the initial learning rate and
its own settings and returns a schedule, a function ``lr(k)`` of the step number
k = 0, 1, 2, ... that gives a positive float. ``gradient_descent`` and ``sgd`` accept a
schedule wherever they accept a fixed learning rate.
"""
import math
import numbers

import numpy as np

from ._checks import check_int, check_positive


# The smallest positive float: a long decay bottoms out here instead of underflowing to
# lr = 0, which every optimizer refuses (a schedule gives positive numbers).
LR_FLOOR = float(np.finfo(np.float64).tiny)


def _step(k):
    """The step number k as an int: TypeError for a non-number, ValueError for k < 0 or a fraction."""
    if isinstance(k, bool) or not isinstance(k, numbers.Real):
        raise TypeError(f"k must be a step number >= 0, got {type(k).__name__} {k!r}")
    if not math.isfinite(k) or int(k) != k or k < 0:
        raise ValueError(f"k must be a step number >= 0, got {k!r}")
    return int(k)


def constant(lr0):
    """lr(k) = lr0 for every k."""
    lr0 = check_positive("lr0", lr0)

    def lr(k):
        _step(k)                      # still reject a bad k
        return lr0
    return lr


def step_decay(lr0, drop=0.5, every=100):
    """lr(k) = lr0 * drop ** (k // every): multiply by ``drop`` every ``every`` steps
    (never below LR_FLOOR).

    ``drop`` is a fraction, 0 < drop < 1: a "decay" by 1 or more would keep the rate or
    grow it without bound, so it is refused (ValueError naming ``drop``).
    """
    lr0 = check_positive("lr0", lr0)
    drop = check_positive("drop", drop)
    if drop >= 1.0:
        raise ValueError(f"drop must be a fraction with 0 < drop < 1, got {drop}")
    every = check_int("every", every, 1)
    return lambda k: max(lr0 * drop ** (_step(k) // every), LR_FLOOR)


def inverse_time(lr0, decay=0.01):
    """lr(k) = lr0 / (1 + decay * k), the 1/t schedule."""
    lr0 = check_positive("lr0", lr0)
    decay = check_positive("decay", decay)
    return lambda k: lr0 / (1.0 + decay * _step(k))


def exponential(lr0, decay=0.01):
    """lr(k) = lr0 * exp(-decay * k) (never below LR_FLOOR)."""
    lr0 = check_positive("lr0", lr0)
    decay = check_positive("decay", decay)
    return lambda k: max(lr0 * math.exp(-decay * _step(k)), LR_FLOOR)


def linear_decay(lr0, lr_tau, tau):
    """Goodfellow et al., Deep Learning, section 8.3.1 (used by Algorithm 8.1).

    lr(k) = (1 - a) * lr0 + a * lr_tau with a = k / tau, for k <= tau; lr_tau after.
    The book suggests lr_tau of about 1% of lr0 and tau a few hundred passes' worth.
    """
    lr0 = check_positive("lr0", lr0)
    lr_tau = check_positive("lr_tau", lr_tau)
    tau = check_int("tau", tau, 1)

    def lr(k):
        a = min(_step(k) / tau, 1.0)
        return (1.0 - a) * lr0 + a * lr_tau
    return lr


def as_schedule(lr):
    """Turn a learning rate (a number > 0) or a schedule into a schedule."""
    if callable(lr):
        return lr
    return constant(check_positive("lr", lr))
