"""Properties that hold for random shapes and values (hypothesis), not just for the examples.

Tolerances, as documented in optim_helpers.gradients.relative_error and the lectures:
with h = 1e-5 the centered difference of a smooth loss (softmax) agrees with the analytic
gradient to a relative error below 1e-6 on entries whose gradient is not tiny; entries
whose gradient is tiny are limited by round-off, about eps * |L| / h ~ 1e-10 in absolute
terms, so each entry must satisfy |num - ana| <= 1e-6 * (|num| + |ana|) + 1e-8. The SVM is
piecewise linear: away from its kinks (every margin further than 1e-3 from zero, so no
nudge of h crosses one) its centered difference is exact up to the same round-off.

max_examples is kept small and deadline=None so the file runs in a few seconds.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from optim_helpers import gradients, landscapes, losses, schedules, updates

# derandomize + no database: the same examples every run, and nothing written to disk
FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow])
RTOL, ATOL = 1e-6, 1e-8

finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def problems(draw, max_n=8, max_c=5, max_d=6):
    """A random linear-classifier problem: W (C, D), X (N, D) with a bias column, y (N,)."""
    n = draw(st.integers(1, max_n))
    c = draw(st.integers(2, max_c))
    d = draw(st.integers(1, max_d))
    W = draw(arrays(np.float64, (c, d + 1), elements=finite))
    features = draw(arrays(np.float64, (n, d), elements=finite))
    X = np.hstack([features, np.ones((n, 1))])
    y = draw(arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return W, X, y


def agree(numerical, analytic):
    return np.all(np.abs(numerical - analytic) <= RTOL * (np.abs(numerical) + np.abs(analytic)) + ATOL)


@FAST
@given(problems(), st.sampled_from([0.0, 0.1, 1.0]))
def test_softmax_gradient_matches_numerical(problem, reg):
    W, X, y = problem
    _, dW = losses.softmax_loss_grad(W, X, y, reg)
    num = gradients.numerical_gradient(lambda w: losses.softmax_loss(w, X, y, reg), W)
    assert agree(num, dW), np.abs(num - dW).max()


def svm_min_margin_distance(W, X, y):
    """How close the nearest margin s_j - s_y + 1 (j != y) is to its kink at 0."""
    scores = X @ W.T
    margins = scores - scores[np.arange(len(y)), y][:, None] + losses.SVM_DELTA
    margins[np.arange(len(y)), y] = np.inf
    return np.abs(margins).min()


@FAST
@given(problems(), st.sampled_from([0.0, 0.5]))
def test_svm_gradient_matches_numerical_away_from_kinks(problem, reg):
    W, X, y = problem
    assume(svm_min_margin_distance(W, X, y) > 1e-3)
    _, dW = losses.svm_loss_grad(W, X, y, reg)
    num = gradients.numerical_gradient(lambda w: losses.svm_loss(w, X, y, reg), W)
    assert agree(num, dW), np.abs(num - dW).max()


@FAST
@given(problems())
def test_vectorized_losses_match_the_loops(problem):
    W, X, y = problem
    for fast, naive in [(losses.svm_loss_grad, losses.svm_loss_naive),
                        (losses.softmax_loss_grad, losses.softmax_loss_naive)]:
        loss, dW = fast(W, X, y, 0.3)
        loss_n, dW_n = naive(W, X, y, 0.3)
        assert loss == pytest.approx(loss_n, rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(dW, dW_n, rtol=1e-10, atol=1e-12)


@FAST
@given(problems(), st.floats(-50.0, 50.0), st.data())
def test_softmax_unchanged_by_a_constant_added_to_each_row_of_scores(problem, c, data):
    """Adding c to every score (through the bias column) or v . x_i to row i's scores (the
    same vector v added to every class's weights) leaves the softmax probabilities alone."""
    W, X, y = problem
    loss, dW = losses.softmax_loss_grad(W, X, y)
    shifted = W.copy()
    shifted[:, -1] += c                          # every score of every row + c
    loss_c, dW_c = losses.softmax_loss_grad(shifted, X, y)
    assert loss_c == pytest.approx(loss, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(dW_c, dW, atol=1e-9)
    v = data.draw(arrays(np.float64, (W.shape[1],), elements=finite))
    loss_v = losses.softmax_loss(W + v, X, y)    # row i's scores + v . x_i
    assert loss_v == pytest.approx(loss, rel=1e-9, abs=1e-9)


@FAST
@given(problems())
def test_svm_loss_and_gradient_are_zero_when_every_margin_is_met(problem):
    W, X, y = problem
    scores = X @ W.T
    top2 = np.sort(scores, axis=1)[:, -2:]
    gap = (top2[:, 1] - top2[:, 0]).min()       # smallest lead of the winning class
    assume(gap > 1e-3)
    W_met = W * (1.01 * losses.SVM_DELTA / gap)  # scale until every lead exceeds delta
    y_top = np.argmax(X @ W_met.T, axis=1)
    loss, dW = losses.svm_loss_grad(W_met, X, y_top)
    assert loss == 0.0
    np.testing.assert_array_equal(dW, 0.0)
    assert losses.accuracy(W_met, X, y_top) == 1.0


@FAST
@given(problems(), st.floats(0.0, 10.0))
def test_losses_are_non_negative_and_reg_adds_exactly_its_term(problem, reg):
    W, X, y = problem
    for loss_grad in (losses.svm_loss_grad, losses.softmax_loss_grad):
        loss0, dW0 = loss_grad(W, X, y, 0.0)
        loss, dW = loss_grad(W, X, y, reg)
        assert loss0 >= 0.0 and loss >= loss0
        assert loss - loss0 == pytest.approx(0.5 * reg * np.sum(W * W), rel=1e-9, abs=1e-9)
        np.testing.assert_allclose(dW - dW0, reg * W, atol=1e-9)


@FAST
@given(problems())
def test_softmax_at_zero_weights_is_log_c(problem):
    W, X, y = problem
    loss, dW = losses.softmax_loss_grad(np.zeros_like(W), X, y)
    assert loss == pytest.approx(np.log(W.shape[0]), rel=1e-12)
    # the gradient's rows sum to zero: probabilities and one-hot rows both sum to one
    np.testing.assert_allclose(dW.sum(axis=0), 0.0, atol=1e-12)


@FAST
@given(problems(), st.data())
def test_relabelling_classes_permutes_predictions(problem, data):
    W, X, y = problem
    perm = np.array(data.draw(st.permutations(range(W.shape[0]))))
    assume(np.all(np.diff(np.sort(X @ W.T, axis=1), axis=1)[:, -1] > 1e-9))   # no ties
    # class k of the new W is class perm[k] of the old one
    assert np.array_equal(np.argsort(perm)[losses.predict(W, X)], losses.predict(W[perm], X))
    for loss in (losses.svm_loss, losses.softmax_loss):
        assert loss(W[perm], X, np.argsort(perm)[y]) == pytest.approx(loss(W, X, y), rel=1e-12)


@FAST
@given(st.sampled_from(["bowl", "ravine", "mountain"]), st.tuples(finite, finite))
def test_landscape_gradients_match_numerical(name, point):
    landscape = landscapes.get_landscape(name)
    w = np.array(point)
    num = gradients.numerical_gradient(landscape.loss, w)
    assert agree(num, landscape.grad(w)) or np.abs(num - landscape.grad(w)).max() < 1e-7


def same_shape_pairs(max_size=6):
    """Two float arrays of one shared shape (drawn together: no examples thrown away)."""
    return st.integers(1, max_size).flatmap(
        lambda n: st.tuples(arrays(np.float64, n, elements=finite), arrays(np.float64, n, elements=finite)))


@FAST
@given(same_shape_pairs())
def test_relative_error_is_symmetric_and_zero_on_equal_arrays(pair):
    a, b = pair
    assert gradients.relative_error(a, a) == 0.0
    assert gradients.relative_error(a, b) == gradients.relative_error(b, a)
    assert 0.0 <= gradients.relative_error(a, b) <= 1.0


@FAST
@given(arrays(np.float64, st.integers(1, 6), elements=finite),
       st.floats(1e-4, 10.0), st.sampled_from(["sgd", "momentum", "adam"]))
def test_update_rules_step_against_the_gradient_and_leave_inputs_alone(g, lr, rule):
    assume(np.all(np.abs(g) > 1e-6))
    w = np.zeros_like(g)
    config = {"learning_rate": lr}
    next_w, next_config = updates.UPDATE_RULES[rule](w, g, config)
    assert np.all(np.sign(next_w) == -np.sign(g))        # downhill, entry by entry
    assert config == {"learning_rate": lr} and np.all(w == 0.0)
    if rule == "adam":    # Adam's first step moves every entry by lr (bias-corrected)
        np.testing.assert_allclose(np.abs(next_w), lr, rtol=1e-6)
    else:
        np.testing.assert_allclose(next_w, -lr * g)


@FAST
@given(st.floats(1e-4, 10.0), st.integers(0, 10_000), st.integers(1, 1000),
       st.floats(1e-6, 1.0, exclude_max=True))
def test_decaying_schedules_are_positive_and_never_increase(lr0, k, every, drop):
    # every drop step_decay accepts (0 < drop < 1) decays: a drop >= 1 is refused
    for schedule in (schedules.constant(lr0), schedules.step_decay(lr0, drop, every),
                     schedules.inverse_time(lr0, 0.01), schedules.exponential(lr0, 1e-3),
                     schedules.linear_decay(lr0, lr0 / 100, every)):
        assert 0.0 < schedule(k + 1) <= schedule(k) <= lr0 * (1 + 1e-12)
