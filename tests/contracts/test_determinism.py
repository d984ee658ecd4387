"""Determinism that strict nbval does not already check.

nbval (the default pytest run includes notebooks/ with ``--nbval``) executes every lecture
notebook once in a fresh kernel and compares each cell's output with the stored one, after
notebooks/sanitize.cfg. That already shows that a fresh run reproduces the stored outputs,
and, since nothing fixes PYTHONHASHSEED for its kernels, that they do not depend on the
hash seed. (This file used to run every notebook twice more, side by side, and compare the
two runs: with the same environment as nbval's run, that repeated nbval's check for about
a minute of kernel time.)

What nbval cannot see, checked here on the computations the notebooks print:

* the BLAS thread count. The stored outputs are made with one BLAS thread
  (tools/regenerate_notebooks.sh, conftest.py); a student's kernel uses every core. The
  numbers must be the same, bit for bit, with one thread and with several;
* running a cell again in the same kernel (students do; nbval runs each cell once): the
  same numbers again, and numpy's global random state left alone.
"""
import os

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from optim_helpers import gradients, landscapes, losses, optimizers, schedules, updates

MANY_THREADS = max(2, min(4, os.cpu_count() or 2))


def lecture_numbers(digits):
    """What notebooks 01-04 compute and print, shortened: name -> array."""
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    W0 = np.zeros((10, 65))
    svm = lambda W: losses.svm_loss(W, X, y)                                # noqa: E731
    softmax_grad = lambda W: losses.softmax_loss_grad(W, X, y, 1e-3)        # noqa: E731
    batch_grad = lambda W, Xb, yb: losses.softmax_loss_grad(W, Xb, yb, 1e-3)  # noqa: E731
    out = {}
    search = optimizers.random_search(svm, (10, 65), n_tries=30, scale=1e-4, rng=np.random.default_rng(0))
    local = optimizers.random_local_search(svm, W0, n_tries=30, step_size=0.01, rng=np.random.default_rng(2))
    out.update(search=search.losses, local=local.losses)
    check = gradients.gradient_check(svm, local.best_w, losses.svm_loss_grad(local.best_w, X, y)[1],
                                     n_checks=10, rng=np.random.default_rng(4))
    out["gradient_check"] = check.rel_errors
    for name in ("sgd", "momentum", "adam"):
        run = optimizers.gradient_descent(softmax_grad, W0, 0.5 if name != "adam" else 0.01, n_steps=20,
                                          update=updates.UPDATE_RULES[name], keep_path=False)
        out[f"gd_{name}"] = np.append(run.losses, run.w.ravel())
    hinge = optimizers.gradient_descent(lambda W: losses.svm_loss_grad(W, X, y, 1e-3), W0, 0.5, n_steps=20,
                                        keep_path=False)
    out["gd_svm"] = np.append(hinge.losses, losses.accuracy(hinge.w, Xv, yv))
    run = optimizers.sgd(batch_grad, W0, X, y, schedules.step_decay(1.0, 0.5, 20), 32, n_steps=60,
                         rng=np.random.default_rng(0), eval_fn=lambda W: losses.softmax_loss(W, X, y),
                         eval_every=20)
    out["sgd"] = np.concatenate([run.losses, run.eval_losses, [losses.accuracy(run.w, Xv, yv)]])
    out["predict"] = losses.predict(run.w, Xv)
    mountain = landscapes.MOUNTAIN
    out["mountain"] = optimizers.gradient_descent(mountain.loss_grad, mountain.start, 0.3, n_steps=50).path
    return out


def blas_threads():
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


@pytest.fixture(scope="module")
def one_thread(digits):
    with threadpool_limits(1, user_api="blas"):
        assert blas_threads() == {1}
        return lecture_numbers(digits)


def test_the_numbers_do_not_depend_on_the_blas_thread_count(digits, one_thread):
    with threadpool_limits(MANY_THREADS, user_api="blas"):
        assert blas_threads() == {MANY_THREADS}, "could not change the BLAS thread count"
        many = lecture_numbers(digits)
    assert many.keys() == one_thread.keys()
    for name in one_thread:
        np.testing.assert_array_equal(many[name], one_thread[name], err_msg=name)


def test_running_the_cells_again_gives_the_same_numbers_and_leaves_global_state(digits, one_thread):
    state = np.random.get_state()
    with threadpool_limits(1, user_api="blas"):
        again = lecture_numbers(digits)
    for name in one_thread:
        np.testing.assert_array_equal(again[name], one_thread[name], err_msg=name)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]
