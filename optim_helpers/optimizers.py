"""Optimizers: random search, random local search, gradient descent and SGD.

Introduced in 01_random_search.ipynb (the searches), 03_gradient_descent.ipynb
(gradient descent) and 04_stochastic_gradient_descent.ipynb (SGD).

They share one contract: the function to minimize is passed in, nothing is read from
globals, the caller's arrays are never changed, randomness comes from a required keyword
argument ``rng``, a numpy Generator (``np.random.default_rng(seed)``), and the result
records the whole run. An exception raised inside the function passed in reaches the
caller unchanged. Both descents take the same conventions: the function, the starting
point (and for SGD the data), the learning rate and the length of the run by position or
keyword; every other setting by keyword only; ``keep_path=True`` records every w (pass
``keep_path=False`` for long runs whose path you do not need: it costs one copy of w per
step). The learning rate is ``lr`` alone, a number or a schedule: a ``learning_rate`` in
``config`` is refused (ValueError naming ``config``) rather than silently overridden.
Divergence is an outcome, not a crash: a run whose loss stops being finite or grows
above ``max_loss`` ends with ``status == "diverged"`` and no overflow warnings.
"""
import numbers
import time
from dataclasses import dataclass, field

import numpy as np

from ._checks import (as_float_array, call_function, call_loss, call_loss_grad, check_callable,
                      check_int, check_labels, check_nonnegative, check_positive, check_rng, check_X)
from .schedules import as_schedule
from .updates import sgd_update


@dataclass
class SearchResult:
    """What a random search found.

    best_w: the best parameters tried; best_loss: their loss;
    losses: (n_evaluations,) the loss of every evaluation, in order;
    tries: (n_evaluations, *shape) every point evaluated, when asked for, else None.
    """
    best_w: np.ndarray
    best_loss: float
    losses: np.ndarray
    tries: np.ndarray = None

    @property
    def best_so_far(self):
        """(n_evaluations,) the lowest loss seen up to each evaluation."""
        return np.minimum.accumulate(self.losses)


@dataclass
class History:
    """The record of a descent.

    w: the final parameters. losses: (n,) the loss at each recorded step (for gradient
    descent the full loss at w_0 ... w_n; for SGD the minibatch loss of each step).
    status: "converged" (gradient norm <= tol), "max_steps", or "diverged".
    path: (n, *w.shape) the parameters whose loss was recorded, or None if not kept.
    lrs: (steps,) the learning rate used by each step. seconds: (n,) optimizer time
    (evaluation time excluded) when each loss was recorded. examples: (n,) training
    examples used so far, for SGD only; None for gradient descent, whose black-box
    loss_grad_fn hides N (it uses N examples per step: k * N after step k).
    eval_steps, eval_losses: where and what eval_fn gave.
    """
    w: np.ndarray
    losses: np.ndarray
    status: str
    path: np.ndarray = None
    lrs: np.ndarray = None
    seconds: np.ndarray = None
    examples: np.ndarray = None
    eval_steps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    eval_losses: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def n_steps(self):
        """How many parameter updates were made."""
        return len(self.lrs)


def random_search(loss_fn, shape, n_tries=1000, scale=1e-4, *, rng, keep_tries=False):
    """The deck's method 1: draw W at random n_tries times and keep the best.

    W = rng.standard_normal(shape) * scale, each try independent of the others.
    Inputs: loss_fn (W -> number), shape (e.g. (10, 65)), n_tries >= 1, scale > 0,
    rng a numpy Generator (required, keyword-only); keep_tries=True also returns every W tried.
    Returns a SearchResult with losses of shape (n_tries,).
    """
    rng = check_rng(rng)
    n_tries = check_int("n_tries", n_tries, 1)
    scale = check_positive("scale", scale)
    shape = _check_shape(shape)
    losses = np.empty(n_tries)
    tries = np.empty((n_tries, *shape)) if keep_tries else None
    best_w, best_loss = None, np.inf
    with np.errstate(over="ignore", invalid="ignore"):   # an overflowing try is just a bad try
        for k in range(n_tries):
            w = rng.standard_normal(shape) * scale
            losses[k] = call_loss("loss_fn", loss_fn, w)
            if keep_tries:
                tries[k] = w
            if losses[k] < best_loss or (best_w is None and not np.isnan(losses[k])):
                best_w, best_loss = w, losses[k]      # (the second case: every try so far is inf)
    if best_w is None:
        raise ValueError("loss_fn returned NaN for every try")
    return SearchResult(best_w, float(best_loss), losses, tries)


def random_local_search(loss_fn, w0, n_tries=1000, step_size=1e-3, *, rng, keep_tries=False):
    """CS231n's strategy 2: from the best W so far, try a small random step; keep it if better.

    Inputs: loss_fn (W -> number), w0 (any shape), n_tries >= 1 candidate steps,
    step_size > 0 (the step is rng.standard_normal(w0.shape) * step_size), rng a numpy
    Generator (required, keyword-only).
    Returns a SearchResult with losses of shape (n_tries + 1,): w0's loss, then each try's.
    """
    rng = check_rng(rng)
    w = as_float_array("w0", w0).copy()
    n_tries = check_int("n_tries", n_tries, 1)
    step_size = check_positive("step_size", step_size)
    losses = np.empty(n_tries + 1)
    losses[0] = best_loss = call_loss("loss_fn", loss_fn, w)
    tries = np.empty((n_tries + 1, *w.shape)) if keep_tries else None
    if keep_tries:
        tries[0] = w
    with np.errstate(over="ignore", invalid="ignore"):   # an overflowing try is just a bad try
        for k in range(1, n_tries + 1):
            candidate = w + rng.standard_normal(w.shape) * step_size
            losses[k] = call_loss("loss_fn", loss_fn, candidate)
            if keep_tries:
                tries[k] = candidate
            if losses[k] < best_loss:
                w, best_loss = candidate, losses[k]
    return SearchResult(w, float(best_loss), losses, tries)


def gradient_descent(loss_grad_fn, w0, lr, n_steps=100, *, update=sgd_update, config=None,
                     tol=0.0, max_loss=1e8, keep_path=True):
    """Full-batch gradient descent: w_{k+1} = w_k - lr * grad L(w_k), for n_steps steps.

    Inputs: loss_grad_fn (w -> (loss, grad with w's shape)); w0 (any shape); lr a
    number > 0 or a schedule k -> lr (optim_helpers.schedules); n_steps >= 0;
    keyword-only: update, a rule from optim_helpers.updates (default: the vanilla step),
    with ``config`` its settings other than the learning rate (which is ``lr``); tol >= 0:
    stop ("converged") when the gradient's norm is at most tol; max_loss: a loss above it,
    or not finite, means "diverged"; keep_path: record every w in ``path``.
    Returns a History with losses of shape (steps + 1,): the loss at w_0 ... w_last,
    and path (steps + 1, *w0.shape) or None.
    """
    w = as_float_array("w0", w0).copy()
    schedule = as_schedule(lr)
    n_steps = check_int("n_steps", n_steps, 0)
    tol = check_nonnegative("tol", tol)
    max_loss = check_positive("max_loss", max_loss)
    config = _check_update(update, config)
    losses, path, lrs, seconds = [], [], [], []
    status, clock = "max_steps", 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps + 1):
            start = time.perf_counter()
            loss, grad = call_loss_grad("loss_grad_fn", loss_grad_fn, w)
            clock += time.perf_counter() - start
            losses.append(loss)
            seconds.append(clock)
            if keep_path:
                path.append(w)
            if not np.isfinite(loss) or abs(loss) > max_loss:
                status = "diverged"
                break
            if np.linalg.norm(grad) <= tol:
                status = "converged"
                break
            if k == n_steps:
                break
            start = time.perf_counter()
            lrs.append(check_positive("lr", call_function("lr", schedule, k)))
            w, config = _apply_update(update, w, grad, {**config, "learning_rate": lrs[-1]})
            clock += time.perf_counter() - start
            if not np.isfinite(w).all():
                losses.append(np.inf)
                seconds.append(clock)
                if keep_path:
                    path.append(w)
                status = "diverged"
                break
    return History(w, np.array(losses), status, np.array(path) if keep_path else None,
                   np.array(lrs), np.array(seconds))


def sgd(loss_grad_fn, w0, X, y, lr, batch_size, n_epochs=None, n_steps=None, *, rng,
        update=sgd_update, config=None, max_loss=1e8, keep_path=True, eval_fn=None,
        eval_every=None):
    """Minibatch stochastic gradient descent, the deck's loop and Goodfellow's Algorithm 8.1.

    Each epoch shuffles the N examples with ``rng`` and cuts them into N // batch_size
    minibatches (sampling without replacement within an epoch; the N % batch_size
    examples left over are skipped that epoch). Each step: loss and gradient on the
    minibatch, then one update.

    Inputs: loss_grad_fn (w, X_batch, y_batch) -> (loss, grad); w0 (any shape);
    X (N, D) real numbers; y (N,) integer labels >= 0; lr a number > 0 or a schedule;
    1 <= batch_size <= N; exactly one of n_epochs >= 1 or n_steps >= 1; keyword-only:
    rng a numpy Generator (required); update, config, max_loss and keep_path as in
    gradient_descent; eval_fn (w -> number), called every eval_every steps and at the
    end (e.g. the full training loss), its time not counted in ``seconds``.
    Returns a History with losses of shape (steps,), the minibatch loss of each step,
    and path (steps, *w0.shape) or None: the w each minibatch loss was computed at.
    """
    rng = check_rng(rng)
    w = as_float_array("w0", w0).copy()
    X = check_X(X)
    if X.dtype.kind == "f" and not np.isfinite(X).all():
        raise ValueError("X must be finite (no NaN or inf)")
    n = X.shape[0]
    y = check_labels(y, n)
    batch_size = check_int("batch_size", batch_size, 1, n)
    total = _count_steps(n_epochs, n_steps, n // batch_size)
    schedule = as_schedule(lr)
    max_loss = check_positive("max_loss", max_loss)
    if eval_fn is not None:
        eval_every = check_int("eval_every", eval_every if eval_every is not None else n // batch_size, 1)
    config = _check_update(update, config)
    losses, path, lrs, seconds, examples, eval_steps, eval_losses = [], [], [], [], [], [], []
    status, clock, k = "max_steps", 0.0, 0
    with np.errstate(over="ignore", invalid="ignore"):
        while k < total and status == "max_steps":
            order = rng.permutation(n)
            for start_row in range(0, n - batch_size + 1, batch_size):
                if k == total:
                    break
                if eval_fn is not None and k % eval_every == 0:
                    eval_steps.append(k)
                    eval_losses.append(call_loss("eval_fn", eval_fn, w))
                start = time.perf_counter()
                batch = order[start_row:start_row + batch_size]
                loss, grad = call_loss_grad("loss_grad_fn", loss_grad_fn, w, X[batch], y[batch])
                if keep_path:
                    path.append(w)
                losses.append(loss)
                if not np.isfinite(loss) or abs(loss) > max_loss:
                    clock += time.perf_counter() - start
                    seconds.append(clock)
                    examples.append((k + 1) * batch_size)
                    status = "diverged"
                    break
                lrs.append(check_positive("lr", call_function("lr", schedule, k)))
                w, config = _apply_update(update, w, grad, {**config, "learning_rate": lrs[-1]})
                clock += time.perf_counter() - start
                seconds.append(clock)
                k += 1
                examples.append(k * batch_size)
                if not np.isfinite(w).all():
                    status = "diverged"
                    break
        if eval_fn is not None and status == "max_steps":
            eval_steps.append(k)
            eval_losses.append(call_loss("eval_fn", eval_fn, w))
    return History(w, np.array(losses), status, np.array(path) if keep_path else None,
                   np.array(lrs), np.array(seconds), np.array(examples, dtype=int),
                   np.array(eval_steps, dtype=int), np.array(eval_losses))


def _check_update(update, config):
    """Check an update rule and its settings; return a fresh dict of the settings.

    The learning rate comes from ``lr`` only: a config that sets one too is refused,
    since the optimizer would otherwise override it without a word.
    """
    check_callable("update", update)
    if config is not None and not isinstance(config, dict):
        raise TypeError(f"config must be a dict of the update rule's settings, got {type(config).__name__}")
    if config and "learning_rate" in config:
        raise ValueError(f"config must not set 'learning_rate' (got {config['learning_rate']!r}): "
                         "pass the learning rate as lr, a number or a schedule")
    return dict(config or {})


def _apply_update(update, w, grad, config):
    """One step of an update rule; its exceptions pass through, a malformed result is refused."""
    result = update(w, grad, config)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
        raise TypeError(f"update must return a pair (next_w, next_config dict), got {type(result).__name__}")
    next_w = np.asarray(result[0])
    if next_w.dtype.kind not in "biuf":
        raise TypeError(f"update must return next_w of real numbers, got dtype {next_w.dtype}")
    if next_w.shape != w.shape:
        raise ValueError(f"update must return next_w of w's shape {w.shape}, got {next_w.shape}")
    return next_w, result[1]


def _count_steps(n_epochs, n_steps, steps_per_epoch):
    if (n_epochs is None) == (n_steps is None):
        raise ValueError("give exactly one of n_epochs or n_steps")
    if n_epochs is not None:
        return check_int("n_epochs", n_epochs, 1) * steps_per_epoch
    return check_int("n_steps", n_steps, 1)


def _check_shape(shape):
    dims = np.atleast_1d(np.asarray(shape, dtype=object))
    if dims.ndim != 1 or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool)
                                 for s in dims):
        raise TypeError(f"shape must be a tuple of positive integers, got {shape!r}")
    shape = tuple(int(s) for s in dims)
    if not shape or min(shape) < 1:
        raise ValueError(f"shape must be a tuple of positive integers, got {shape!r}")
    return shape
