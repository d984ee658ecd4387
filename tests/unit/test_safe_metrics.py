"""Tests for the NaN-safe metrics of optim_helpers.safe_metrics: the loss and
accuracy of weights that may have blown up, one W at a time or a whole path at once.

The references are the package's own softmax_loss and accuracy, called W by W.
"""
import warnings

import numpy as np
import pytest

from optim_helpers import losses, safe_metrics


@pytest.fixture
def path(problem):
    """Five weights (5, 4, 6): three ordinary, one with an inf entry, one far too large."""
    W, _, _ = problem
    steps = np.stack([W * k for k in (0.0, 0.5, 1.0, 1.0, 1.0)])
    steps[3, 0, 0] = np.inf
    steps[4] *= 1e305
    return steps


def test_path_metrics_match_the_losses_w_by_w(problem, path):
    _, X, y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no overflow warning either
        values, accs = safe_metrics.softmax_path_metrics(path, X, y, reg=0.1)
        only_accs = safe_metrics.path_accuracies(path, X, y)
    for k in range(3):
        assert values[k] == pytest.approx(losses.softmax_loss(path[k], X, y, 0.1), rel=1e-12)
        assert accs[k] == only_accs[k] == losses.accuracy(path[k], X, y)
    assert values[3] == np.inf and np.isnan(accs[3]) and np.isnan(only_accs[3])
    assert values[4] == np.inf


def test_single_w_versions(problem, path):
    _, X, y = problem
    assert safe_metrics.softmax_loss_or_inf(path[1], X, y, 0.1) == pytest.approx(
        losses.softmax_loss(path[1], X, y, 0.1))
    assert safe_metrics.accuracy_or_nan(path[2], X, y) == losses.accuracy(path[2], X, y)
    assert safe_metrics.softmax_loss_or_inf(path[3], X, y) == np.inf
    assert np.isnan(safe_metrics.accuracy_or_nan(path[3], X, y))


def test_path_metrics_leave_inputs_alone(problem, path):
    _, X, y = problem
    copies = path.copy(), X.copy(), y.copy()
    safe_metrics.softmax_path_metrics(path, X, y, 0.1)
    for before, after in zip(copies, (path, X, y)):
        np.testing.assert_array_equal(before, after)


def test_path_metrics_bad_input(problem, path):
    _, X, y = problem
    with pytest.raises(ValueError, match=r"\bpath\b"):
        safe_metrics.path_accuracies(path[0], X, y)           # one W is not a path
    with pytest.raises(ValueError, match=r"\bX\b"):
        safe_metrics.path_accuracies(path, X[:, :-1], y)
    with pytest.raises(ValueError, match=r"\by\b"):
        safe_metrics.path_accuracies(path, X, y + 4)          # a label past the C = 4 classes
    with pytest.raises(ValueError, match=r"\breg\b"):
        safe_metrics.softmax_path_metrics(path, X, y, reg=-1.0)
    with pytest.raises(ValueError, match=r"\bX\b"):
        safe_metrics.softmax_path_metrics(path, np.where(X > 0, np.nan, X), y)
