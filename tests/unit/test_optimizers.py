"""Optimizers: they find known minima, report divergence, and are reproducible.

Which error each bad input raises, and that a student's own exception reaches them
unchanged, is tests/contracts/test_bad_input.py's table; this file keeps what the table
cannot say.
"""
import inspect
import warnings

import numpy as np
import pytest

from optim_helpers import losses, optimizers, schedules, updates
from optim_helpers.landscapes import BOWL, MOUNTAIN, RAVINE


def bowl_loss(w):
    return 0.5 * float(np.sum((w - 3.0) ** 2))


def test_random_search_keeps_the_best():
    rng = np.random.default_rng(0)
    res = optimizers.random_search(bowl_loss, (2,), n_tries=200, scale=3.0, rng=rng, keep_tries=True)
    assert res.losses.shape == (200,) and res.tries.shape == (200, 2)
    assert res.best_loss == res.losses.min()
    np.testing.assert_array_equal(res.best_w, res.tries[res.losses.argmin()])
    assert res.best_loss == pytest.approx(bowl_loss(res.best_w))
    assert (np.diff(res.best_so_far) <= 0).all() and res.best_so_far[-1] == res.best_loss


def test_random_search_is_reproducible():
    a = optimizers.random_search(bowl_loss, (3,), 50, 1.0, rng=np.random.default_rng(7))
    b = optimizers.random_search(bowl_loss, (3,), 50, 1.0, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.losses, b.losses)


def test_random_local_search_walks_downhill():
    w0 = np.zeros(2)
    res = optimizers.random_local_search(bowl_loss, w0, n_tries=2000, step_size=0.1,
                                         rng=np.random.default_rng(0))
    assert res.losses.shape == (2001,) and res.losses[0] == bowl_loss(w0)
    np.testing.assert_allclose(res.best_w, [3.0, 3.0], atol=0.1)
    np.testing.assert_array_equal(w0, 0.0)


@pytest.mark.parametrize("rule, lr", [("sgd", 0.05), ("momentum", 0.05), ("adam", 0.1)])
@pytest.mark.parametrize("landscape", [BOWL, RAVINE], ids=["bowl", "ravine"])
def test_every_rule_finds_the_minimum(landscape, rule, lr):
    hist = optimizers.gradient_descent(landscape.loss_grad, landscape.start, lr, n_steps=2000,
                                       update=updates.UPDATE_RULES[rule], tol=1e-6)
    np.testing.assert_allclose(hist.w, landscape.minimum, atol=1e-3)
    assert hist.status == "converged"


def test_gradient_descent_on_the_mountain_finds_a_valley():
    hist = optimizers.gradient_descent(MOUNTAIN.loss_grad, MOUNTAIN.start, 0.3, 3000, tol=1e-9)
    assert hist.status == "converged"
    np.testing.assert_allclose(hist.w, MOUNTAIN.minimum, atol=1e-4)


def test_gradient_descent_history_shapes_and_first_step():
    w0 = np.array([1.0, 2.0])
    hist = optimizers.gradient_descent(BOWL.loss_grad, w0, lr=0.25, n_steps=10)
    assert hist.status == "max_steps" and hist.n_steps == 10
    assert hist.losses.shape == (11,) and hist.path.shape == (11, 2)
    np.testing.assert_allclose(hist.path[1], w0 - 0.25 * w0)     # bowl gradient is w
    np.testing.assert_allclose(hist.path[-1], w0 * 0.75 ** 10)
    assert hist.losses[-1] == pytest.approx(BOWL.loss(hist.w))
    np.testing.assert_array_equal(w0, [1.0, 2.0])


def test_gradient_descent_reports_divergence_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = optimizers.gradient_descent(BOWL.loss_grad, BOWL.start, lr=2.5, n_steps=10_000)
    assert hist.status == "diverged"
    assert hist.n_steps < 100
    assert abs(hist.losses[-1]) > 1e8 or not np.isfinite(hist.losses[-1])


def test_gradient_descent_follows_a_schedule():
    sched = schedules.step_decay(0.5, drop=0.1, every=2)
    hist = optimizers.gradient_descent(BOWL.loss_grad, [1.0, 1.0], sched, n_steps=5)
    np.testing.assert_allclose(hist.lrs, [0.5, 0.5, 0.05, 0.05, 0.005])


def test_gradient_descent_trains_the_digit_classifier(digits):
    f = lambda w: losses.softmax_loss_grad(w, digits.X_train, digits.y_train, 1e-3)   # noqa: E731
    hist = optimizers.gradient_descent(f, np.zeros((10, 65)), lr=1.0, n_steps=100, keep_path=False)
    assert hist.path is None
    assert (np.diff(hist.losses) < 0).all()
    assert losses.accuracy(hist.w, digits.X_val, digits.y_val) > 0.9


def sgd_problem():
    rng = np.random.default_rng(3)
    X = np.hstack([rng.standard_normal((100, 2)), np.ones((100, 1))])
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, y, lambda w, Xb, yb: losses.softmax_loss_grad(w, Xb, yb, 1e-3)


def test_sgd_is_reproducible_for_a_fixed_rng():
    X, y, f = sgd_problem()
    a = optimizers.sgd(f, np.zeros((2, 3)), X, y, 0.5, 10, n_epochs=3, rng=np.random.default_rng(0))
    b = optimizers.sgd(f, np.zeros((2, 3)), X, y, 0.5, 10, n_epochs=3, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.w, b.w)
    c = optimizers.sgd(f, np.zeros((2, 3)), X, y, 0.5, 10, n_epochs=3, rng=np.random.default_rng(1))
    assert not np.array_equal(a.losses, c.losses)


def test_sgd_samples_without_replacement_within_an_epoch():
    X, y, _ = sgd_problem()
    X = X.copy()
    X[:, 0] = np.arange(100)          # feature 0 names the example
    seen = []

    def f(w, Xb, yb):
        seen.append(Xb[:, 0].astype(int))
        return 0.0, np.zeros_like(w)

    hist = optimizers.sgd(f, np.zeros((2, 3)), X, y, 0.1, 30, n_epochs=2, rng=np.random.default_rng(0))
    assert hist.n_steps == 6 and len(seen) == 6          # 100 // 30 = 3 batches per epoch
    for epoch in (seen[:3], seen[3:]):
        ids = np.concatenate(epoch)
        assert len(ids) == 90 and len(set(ids)) == 90     # no example twice in an epoch
    assert not np.array_equal(np.concatenate(seen[:3]), np.concatenate(seen[3:]))
    np.testing.assert_array_equal(hist.examples, 30 * np.arange(1, 7))


def test_sgd_learns_and_records_evaluations():
    X, y, f = sgd_problem()
    full = lambda w: losses.softmax_loss(w, X, y, 1e-3)      # noqa: E731
    hist = optimizers.sgd(f, np.zeros((2, 3)), X, y, 0.5, 20, n_steps=50,
                          rng=np.random.default_rng(0), eval_fn=full, eval_every=10, keep_path=True)
    assert hist.status == "max_steps" and hist.losses.shape == (50,)
    assert hist.path.shape == (50, 2, 3)
    np.testing.assert_array_equal(hist.eval_steps, [0, 10, 20, 30, 40, 50])
    assert hist.eval_losses[-1] < 0.5 * hist.eval_losses[0]
    assert (np.diff(hist.seconds) >= 0).all()


def test_sgd_reports_divergence_quietly():
    X, y, f = sgd_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = optimizers.sgd(lambda w, Xb, yb: losses.softmax_loss_grad(w, Xb, yb, 10.0),
                              np.ones((2, 3)), X, y, 1.0, 10, n_epochs=50, rng=np.random.default_rng(0))
    assert hist.status == "diverged"


def test_sgd_with_momentum_matches_manual_steps():
    X, y, f = sgd_problem()
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    hist = optimizers.sgd(f, np.zeros((2, 3)), X, y, 0.1, 25, n_steps=3, rng=rng_a,
                          update=updates.momentum_update)
    order = rng_b.permutation(100)
    w, config = np.zeros((2, 3)), {"learning_rate": 0.1}
    for k in range(3):
        batch = order[25 * k:25 * (k + 1)]
        _, g = f(w, X[batch], y[batch])
        w, config = updates.momentum_update(w, g, config)
    np.testing.assert_allclose(hist.w, w)


def test_random_searches_take_their_generator_by_keyword_only():
    # A missing or non-Generator rng is a row of tests/contracts/test_bad_input.py.
    for search, first in [(optimizers.random_search, (2,)),
                          (optimizers.random_local_search, np.zeros(2))]:
        with pytest.raises(TypeError, match=r"\bpositional argument"):
            search(bowl_loss, first, 10, 1.0, np.random.default_rng(0))


def test_gradient_descent_and_sgd_share_their_conventions():
    """The function, the start (and SGD's data), lr and the run's length by position; every
    other setting by keyword only, with the same defaults; the path kept by default."""
    gd = inspect.signature(optimizers.gradient_descent).parameters
    sgd = inspect.signature(optimizers.sgd).parameters
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert [n for n, p in gd.items() if p.kind is positional] == ["loss_grad_fn", "w0", "lr", "n_steps"]
    assert [n for n, p in sgd.items() if p.kind is positional] == [
        "loss_grad_fn", "w0", "X", "y", "lr", "batch_size", "n_epochs", "n_steps"]
    for name in ("update", "config", "max_loss", "keep_path"):
        assert gd[name].kind is sgd[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert gd[name].default is sgd[name].default, name
    assert gd["keep_path"].default is True
    with pytest.raises(TypeError, match=r"positional argument"):
        optimizers.gradient_descent(BOWL.loss_grad, np.ones(2), 0.1, 5, updates.momentum_update)


def test_sgd_keeps_the_w_of_every_step_by_default():
    X, y, f = sgd_problem()
    grads = []

    def recording(w, Xb, yb):
        loss, g = f(w, Xb, yb)
        grads.append(g)
        return loss, g

    w0 = np.zeros((2, 3))
    hist = optimizers.sgd(recording, w0, X, y, 0.5, 10, n_steps=5, rng=np.random.default_rng(0))
    assert hist.path.shape == (5, 2, 3)
    np.testing.assert_array_equal(hist.path[0], w0)
    steps = np.append(hist.path[1:], [hist.w], axis=0)             # w after each step
    np.testing.assert_allclose(steps, hist.path - 0.5 * np.array(grads))
    assert optimizers.sgd(f, w0, X, y, 0.5, 10, n_steps=5, rng=np.random.default_rng(0),
                          keep_path=False).path is None


@pytest.mark.parametrize("run", [
    lambda config: optimizers.gradient_descent(BOWL.loss_grad, np.ones(2), 0.1, n_steps=3,
                                               update=updates.momentum_update, config=config),
    lambda config: optimizers.sgd(sgd_problem()[2], np.zeros((2, 3)), *sgd_problem()[:2], 0.1, 10,
                                  n_steps=3, rng=np.random.default_rng(0),
                                  update=updates.momentum_update, config=config),
], ids=["gradient_descent", "sgd"])
def test_config_sets_the_rule_but_never_the_learning_rate(run):
    """The rule's own settings are honoured; a learning rate there is refused, not ignored
    (the refusal itself is a row of the bad-input table)."""
    slow, fast = run({"momentum": 0.1}), run({"momentum": 0.9})
    assert not np.array_equal(slow.w, fast.w)
    np.testing.assert_array_equal(slow.lrs, [0.1, 0.1, 0.1])
