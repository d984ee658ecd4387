"""Fixtures shared by the unit tests: the digits, and small random problems."""
import numpy as np
import pytest

from optim_helpers.data import load_digits


@pytest.fixture(scope="session")
def digits():
    return load_digits()


@pytest.fixture
def problem():
    """A small random classification problem: W (4, 6), X (20, 6) with bias, y (20,)."""
    rng = np.random.default_rng(42)
    X = np.hstack([rng.standard_normal((20, 5)), np.ones((20, 1))])
    y = rng.integers(0, 4, size=20)
    W = rng.standard_normal((4, 6)) * 0.5
    return W, X, y
