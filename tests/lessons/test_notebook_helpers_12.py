"""What notebooks 01 and 02 teach, checked against the helpers they then use.

Each notebook first writes a loop inline (the lecture's random search, the one-entry-at-a-
time nudge, the per-example losses) and then switches to optim_helpers. These tests
re-implement the loops here and check that the helpers agree with them, plus the facts the
notebooks' prose relies on (losses at W = 0, blank pixels, kinks at a trained W).
"""
import numpy as np
import pytest

from optim_helpers import data, gradients, losses, optimizers


# ---------------------------------------------------------------- notebook 01


def lecture_random_search(loss_fn, shape, n_tries, scale, rng):
    # the lecture's loop, in Python 3 with an explicit generator
    best_loss, best_w, seen = float("inf"), None, []
    for _ in range(n_tries):
        w = rng.standard_normal(shape) * scale
        loss = loss_fn(w)
        seen.append(loss)
        if loss < best_loss:
            best_loss, best_w = loss, w
    return best_w, best_loss, np.array(seen)


def lecture_local_search(loss_fn, w0, n_tries, step_size, rng):
    w, best = w0.copy(), loss_fn(w0)
    seen = [best]
    for _ in range(n_tries):
        candidate = w + rng.standard_normal(w.shape) * step_size
        loss = loss_fn(candidate)
        seen.append(loss)
        if loss < best:
            w, best = candidate, loss
    return w, best, np.array(seen)


def test_random_search_replays_the_lecture_loop(small):
    X, y = small.X_train, small.y_train
    f = lambda W: losses.svm_loss(W, X, y)          # noqa: E731
    best_w, best_loss, seen = lecture_random_search(f, (10, 65), 200, 1e-4, np.random.default_rng(1))
    result = optimizers.random_search(f, (10, 65), n_tries=200, scale=1e-4, rng=np.random.default_rng(1),
                                      keep_tries=True)
    np.testing.assert_array_equal(result.losses, seen)
    np.testing.assert_array_equal(result.best_w, best_w)
    assert result.best_loss == best_loss
    assert result.tries.shape == (200, 10, 65)
    np.testing.assert_array_equal(result.best_so_far, np.minimum.accumulate(seen))


def test_random_local_search_replays_the_loop(small):
    X, y = small.X_train, small.y_train
    f = lambda W: losses.svm_loss(W, X, y)          # noqa: E731
    w0 = np.random.default_rng(7).standard_normal((10, 65)) * 1e-4
    before = w0.copy()
    w, best, seen = lecture_local_search(f, w0, 150, 0.01, np.random.default_rng(2))
    result = optimizers.random_local_search(f, w0, n_tries=150, step_size=0.01, rng=np.random.default_rng(2))
    np.testing.assert_array_equal(result.losses, seen)
    np.testing.assert_array_equal(result.best_w, w)
    assert result.best_loss == best
    np.testing.assert_array_equal(w0, before)        # the start point is not changed


def test_local_search_beats_random_search_at_equal_budget(digits):
    # the comparison notebook 01 plots: 1000 loss evaluations each
    f = lambda W: losses.svm_loss(W, digits.X_train, digits.y_train)    # noqa: E731
    pure = optimizers.random_search(f, (10, 65), n_tries=1000, scale=1e-4, rng=np.random.default_rng(1))
    local = optimizers.random_local_search(f, np.zeros((10, 65)), n_tries=999, step_size=0.01,
                                           rng=np.random.default_rng(2))
    assert len(pure.losses) == len(local.losses) == 1000
    assert local.best_loss < 0.5 * pure.best_loss
    assert pure.best_loss > 8.99                     # scale 1e-4: every W is practically 0


def per_example_svm(W, x, label):
    s = W @ x
    margins = np.maximum(0.0, s - s[label] + 1.0)
    margins[label] = 0.0
    return margins.sum()


def per_example_softmax(W, x, label):
    s = W @ x
    s = s - s.max()
    return -(s[label] - np.log(np.exp(s).sum()))


def test_training_set_loss_is_the_mean_of_per_example_losses(small):
    X, y = small.X_train, small.y_train
    W = np.random.default_rng(3).standard_normal((10, 65)) * 0.1
    svm_mean = np.mean([per_example_svm(W, x, t) for x, t in zip(X, y)])
    softmax_mean = np.mean([per_example_softmax(W, x, t) for x, t in zip(X, y)])
    assert np.isclose(svm_mean, losses.svm_loss(W, X, y), rtol=1e-12)
    assert np.isclose(softmax_mean, losses.softmax_loss(W, X, y), rtol=1e-12)


@pytest.mark.parametrize("which", ["digits", "blobs"])
def test_losses_at_zero_weights(digits, which):
    if which == "digits":
        X, y, C = digits.X_train, digits.y_train, 10
    else:
        X, y = data.make_blobs(20, rng=np.random.default_rng(0))
        C = 3
    zero = np.zeros((C, X.shape[1]))
    assert losses.svm_loss(zero, X, y) == pytest.approx(C - 1)
    assert losses.softmax_loss(zero, X, y) == pytest.approx(np.log(C))


# ---------------------------------------------------------------- notebook 02


def nudge_slopes(f, W, n_entries, h):
    # the lecture's table: nudge entry k of W (row-major), forward difference
    base = f(W)
    slopes = []
    for k in range(n_entries):
        nudged = W.copy()
        nudged.flat[k] += h
        slopes.append((f(nudged) - base) / h)
    return np.array(slopes)


def test_numerical_gradient_is_the_nudge_table_for_every_entry(small):
    X, y = small.X_train, small.y_train
    W = np.random.default_rng(4).standard_normal((10, 65)) * 0.1
    before = W.copy()
    f = lambda w: losses.svm_loss(w, X, y)           # noqa: E731
    table = nudge_slopes(f, W, W.size, 1e-4)
    helper = gradients.numerical_gradient(f, W, h=1e-4, method="forward")
    np.testing.assert_allclose(helper.ravel(), table, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(W, before)


def test_blank_pixels_have_exactly_zero_gradient(digits):
    X, y = digits.X_train, digits.y_train
    blank = np.flatnonzero(np.all(digits.images_train.reshape(len(y), -1) == 0, axis=0))
    assert len(blank) > 0
    W = np.random.default_rng(5).standard_normal((10, 65)) * 0.1
    for loss_grad in (losses.svm_loss_grad, losses.softmax_loss_grad):
        _, dW = loss_grad(W, X, y)
        assert np.all(dW[:, blank] == 0.0)
    numerical = gradients.numerical_gradient(lambda w: losses.svm_loss(w, X, y), W, h=1e-4, method="forward")
    assert np.all(numerical[:, blank] == 0.0)


def test_analytic_gradients_pass_the_check_at_a_small_random_W(digits):
    X, y = digits.X_train, digits.y_train
    W = np.random.default_rng(6).standard_normal((10, 65)) * 0.01
    for loss, loss_grad in ((losses.svm_loss, losses.svm_loss_grad),
                            (losses.softmax_loss, losses.softmax_loss_grad)):
        _, analytic = loss_grad(W, X, y)
        numerical = gradients.numerical_gradient(lambda w: loss(w, X, y), W)
        rel = np.abs(analytic - numerical) / np.maximum(1e-8, np.abs(analytic) + np.abs(numerical))
        assert np.median(rel) < 1e-7
        assert rel.max() < 1e-4
        # what is left is round-off: about eps * L / h in absolute terms
        assert np.max(np.abs(analytic - numerical)) < 10 * np.finfo(float).eps * loss(W, X, y) / 1e-5


def test_svm_kinks_spoil_the_check_at_a_trained_W_softmax_does_not(digits):
    X, y = digits.X_train, digits.y_train
    n_failing = {}
    for name, loss, loss_grad in (("svm", losses.svm_loss, losses.svm_loss_grad),
                                  ("softmax", losses.softmax_loss, losses.softmax_loss_grad)):
        W = optimizers.gradient_descent(lambda w: loss_grad(w, X, y), np.zeros((10, 65)), lr=1.0,
                                        n_steps=20, keep_path=False).w
        _, analytic = loss_grad(W, X, y)
        numerical = gradients.numerical_gradient(lambda w: loss(w, X, y), W, h=1e-5)
        rel = np.abs(analytic - numerical) / np.maximum(1e-8, np.abs(analytic) + np.abs(numerical))
        n_failing[name] = int(np.sum(rel > 1e-4))
        if name == "svm":
            # every failing entry has a hinge term switching between W - h and W + h
            rows = np.arange(len(y))
            for ix in zip(*np.nonzero(rel > 1e-4)):
                active = []
                for sign in (1, -1):
                    Wn = W.copy()
                    Wn[ix] += sign * 1e-5
                    s = X @ Wn.T
                    m = s - s[rows, y][:, None] + 1.0
                    m[rows, y] = -1.0
                    active.append(m > 0)
                assert np.any(active[0] != active[1]), f"entry {ix} fails without crossing a kink"
    assert n_failing["svm"] > 0
    assert n_failing["softmax"] == 0


@pytest.mark.parametrize("loss_grad", [losses.svm_loss_grad, losses.softmax_loss_grad])
def test_a_small_step_against_the_gradient_lowers_the_loss(small, loss_grad):
    X, y = small.X_train, small.y_train
    for seed in range(3):
        W = np.random.default_rng(seed).standard_normal((10, 65)) * 0.1
        loss, dW = loss_grad(W, X, y)
        new_loss, _ = loss_grad(W - 1e-3 * dW, X, y)
        assert new_loss < loss
        # to first order the change is -eta * |dW|^2
        assert new_loss - loss == pytest.approx(-1e-3 * np.sum(dW ** 2), rel=0.2)


def test_finite_difference_error_orders(digits):
    # notebook 02's log-log plot: forward error O(h), centered O(h^2), on the softmax loss
    X, y = digits.X_train, digits.y_train
    W = np.random.default_rng(0).standard_normal((10, 65)) * 0.5
    _, dW = losses.softmax_loss_grad(W, X, y)
    f = lambda w: losses.softmax_loss(w, X, y)       # noqa: E731
    entry = (0, 64)

    def errors(h):
        plus, minus = W.copy(), W.copy()
        plus[entry] += h
        minus[entry] -= h
        forward = (f(plus) - f(W)) / h
        centered = (f(plus) - f(minus)) / (2 * h)
        return abs(forward - dW[entry]), abs(centered - dW[entry])

    (f1, c1), (f2, c2) = errors(1e-2), errors(1e-1)
    assert 8 < f2 / f1 < 12          # 10x larger h: 10x larger forward error
    assert 80 < c2 / c1 < 120        # and 100x larger centered error
