"""Fixtures shared by the tests: the digits, small problems, figure clean-up, and
``require``, which decides whether a part that cannot run here skips or fails.

One place for what several test files use, so that "small" means the same thing in each.
"""
import os
import sys
from collections import namedtuple

import numpy as np
import pytest

from optim_helpers.data import load_digits

Small = namedtuple("Small", "X_train y_train X_val y_val")


def on_ci():
    """True where the CI script runs: the environment variable CI is set (and not 0/false/no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_part(condition, reason):
    """Go on if ``condition`` holds; otherwise skip with ``reason``, or fail under CI.

    For the parts that need something this machine may lack (Chromium, npm, another
    Python, a network namespace): locally they skip and say why; under CI (.ci/run sets
    CI=1) a required part that cannot run fails loudly, so the suite cannot go green by
    skipping.
    """
    if condition:
        return
    if on_ci():
        pytest.fail(f"required under CI, and it cannot run here: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def require():
    """``require(condition, reason)``: see require_part. Session-scoped, so fixtures of any
    scope can use it: ``def browser(require): require(have_chromium, "no chromium at ...")``."""
    return require_part


@pytest.fixture(scope="session")
def digits():
    return load_digits()


@pytest.fixture(scope="session")
def small(digits):
    """The first 200 training and 100 validation digits: X (200, 65) and (100, 65), y ints.

    Enough to train, to diverge and to run the lectures' loops; quick in every test.
    A Small namedtuple, so ``X, y, Xv, yv = small`` and ``small.X_train`` both work.
    The arrays are shared by the whole session: a test must not change them (several
    tests check exactly that).
    """
    return Small(digits.X_train[:200], digits.y_train[:200], digits.X_val[:100], digits.y_val[:100])


@pytest.fixture
def problem():
    """A small random classification problem: W (4, 6), X (20, 6) with bias, y (20,)."""
    rng = np.random.default_rng(42)
    X = np.hstack([rng.standard_normal((20, 5)), np.ones((20, 1))])
    y = rng.integers(0, 4, size=20)
    W = rng.standard_normal((4, 6)) * 0.5
    return W, X, y


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every pyplot figure a test opened (without importing pyplot for tests that don't)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
