"""Losses: vectorized against the naive loops, against numerical gradients, and by hand."""
import re

import numpy as np
import pytest

from optim_helpers import losses
from optim_helpers.gradients import numerical_gradient, relative_error

PAIRS = [(losses.svm_loss, losses.svm_loss_grad, losses.svm_loss_naive),
         (losses.softmax_loss, losses.softmax_loss_grad, losses.softmax_loss_naive)]
IDS = ["svm", "softmax"]


@pytest.mark.parametrize("loss, loss_grad, naive", PAIRS, ids=IDS)
@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_vectorized_matches_naive(problem, loss, loss_grad, naive, reg):
    W, X, y = problem
    L_vec, dW_vec = loss_grad(W, X, y, reg)
    L_naive, dW_naive = naive(W, X, y, reg)
    assert abs(L_vec - L_naive) < 1e-10
    assert np.max(np.abs(dW_vec - dW_naive)) < 1e-10
    assert loss(W, X, y, reg) == pytest.approx(L_vec, abs=1e-12)


@pytest.mark.parametrize("loss, loss_grad, naive", PAIRS, ids=IDS)
def test_vectorized_matches_naive_on_digits(digits, loss, loss_grad, naive):
    W = np.random.default_rng(1).standard_normal((10, 65)) * 0.01
    X, y = digits.X_train[:200], digits.y_train[:200]
    L_vec, dW_vec = loss_grad(W, X, y, 0.1)
    L_naive, dW_naive = naive(W, X, y, 0.1)
    assert abs(L_vec - L_naive) < 1e-10
    assert np.max(np.abs(dW_vec - dW_naive)) < 1e-10


def test_softmax_gradient_matches_numerical(problem):
    W, X, y = problem
    _, dW = losses.softmax_loss_grad(W, X, y, reg=0.1)
    num = numerical_gradient(lambda w: losses.softmax_loss(w, X, y, reg=0.1), W)
    assert relative_error(num, dW) < 1e-7


def test_svm_gradient_matches_numerical_at_random_init(problem):
    W, X, y = problem
    _, dW = losses.svm_loss_grad(W, X, y, reg=0.1)
    num = numerical_gradient(lambda w: losses.svm_loss(w, X, y, reg=0.1), W)
    # away from kinks the hinge loss is piecewise linear: the match is as good as softmax's
    assert relative_error(num, dW) < 1e-7


def test_zero_weights_give_known_losses(problem):
    _, X, y = problem
    W0 = np.zeros((4, 6))
    assert losses.svm_loss(W0, X, y) == pytest.approx(4 - 1)       # C - 1 margins of 1
    assert losses.softmax_loss(W0, X, y) == pytest.approx(np.log(4))


def test_svm_by_hand():
    # one example, 3 classes, true class 0, scores (2, 1.5, -1): margins 0.5 and 0
    W = np.array([[2.0], [1.5], [-1.0]])
    X = np.array([[1.0]])
    loss, dW = losses.svm_loss_grad(W, X, np.array([0]))
    assert loss == pytest.approx(0.5)
    np.testing.assert_allclose(dW, [[-1.0], [1.0], [0.0]])


def test_softmax_by_hand():
    W = np.array([[1.0], [0.0]])
    X = np.array([[2.0]])
    loss, dW = losses.softmax_loss_grad(W, X, np.array([1]))
    p1 = np.exp(0) / (np.exp(2) + np.exp(0))
    assert loss == pytest.approx(-np.log(p1))
    np.testing.assert_allclose(dW, [[(1 - p1) * 2.0], [(p1 - 1) * 2.0]])


def test_regularization_convention(problem):
    W, X, y = problem
    for loss_grad in (losses.svm_loss_grad, losses.softmax_loss_grad):
        L0, dW0 = loss_grad(W, X, y, 0.0)
        L1, dW1 = loss_grad(W, X, y, 2.0)
        assert L1 - L0 == pytest.approx(0.5 * 2.0 * np.sum(W ** 2))
        np.testing.assert_allclose(dW1 - dW0, 2.0 * W)


def test_softmax_is_stable_for_huge_scores():
    W = np.array([[1000.0, 0.0], [0.0, 1000.0]])
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    loss, dW = losses.softmax_loss_grad(W, X, np.array([1, 1]))
    assert np.isfinite(loss) and np.isfinite(dW).all()
    assert loss == pytest.approx(500.0)           # mean of 1000 and 0


def test_predict_and_accuracy():
    W = np.eye(3)
    X = np.array([[3.0, 1, 0], [0, 2, 1], [0, 0, 5], [1, 0, 4]])
    np.testing.assert_array_equal(losses.predict(W, X), [0, 1, 2, 2])
    assert losses.accuracy(W, X, np.array([0, 1, 2, 0])) == 0.75


def test_a_wrong_d_message_names_w_and_x_but_not_y(problem):
    # Which error each bad input raises is tests/contracts/test_bad_input.py's table (and that
    # no loss changes its inputs); what the table cannot say: this message names W and X,
    # the two arguments that disagree, and not y.
    W, X, y = problem
    with pytest.raises(ValueError) as err:
        losses.svm_loss(W[:, :-1], X, y)
    message = str(err.value)
    assert re.search(r"\bW\b", message) and re.search(r"\bX\b", message)
    assert not re.search(r"\by\b", message)
