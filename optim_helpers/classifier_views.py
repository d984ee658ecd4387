"""Slider views on the digits: a softmax classifier trained by gradient descent or SGD.

Introduced in 03_gradient_descent.ipynb (``ClassifierLRView``, the learning-rate slider)
and 04_stochastic_gradient_descent.ipynb (``SGDView``, learning rate and batch size).
Both build on ``views.SliderView`` (see there what ``update``, ``render`` and
``readout`` do) and draw with matplotlib only: this module never imports ipywidgets.
"""
import copy
import math

import matplotlib
import numpy as np

from ._checks import as_float_array, check_int, check_labels, check_nonnegative, check_positive, check_rng
from .frames import plain_log_axis
from .losses import (accuracy_or_nan, path_accuracies, softmax_loss_grad, softmax_loss_or_inf,
                     softmax_path_metrics)
from .optimizers import gradient_descent, sgd
from .views import WIDEST_LOG_RANGE, SliderView, _fit_log_y, _log_floor

TRAIN_STYLE = {"color": "tab:blue", "linestyle": "-"}
VAL_STYLE = {"color": "tab:orange", "linestyle": "--"}


def _check_split(X_train, y_train, X_val, y_val):
    """Check training and validation data for a classifier view: X_train (N, D) and
    X_val (M, D) finite, y_train (N,) and y_val (M,) integer labels >= 0.
    Returns the four as float/int64 arrays and C = 1 + the largest label."""
    X_train = as_float_array("X_train", X_train, ndim=2)
    X_val = as_float_array("X_val", X_val, ndim=2)
    if X_val.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_val must have X_train's {X_train.shape[1]} columns, got {X_val.shape[1]}")
    y_train = check_labels(y_train, len(X_train), name="y_train")
    y_val = check_labels(y_val, len(X_val), name="y_val")
    return X_train, y_train, X_val, y_val, 1 + int(max(y_train.max(), y_val.max()))


class ClassifierLRView(SliderView):
    """Full-batch gradient descent of a softmax classifier: loss and accuracy curves.

    Inputs: X_train (N, D), y_train (N,), X_val (M, D), y_val (M,), reg >= 0 (the L2
    strength; with reg > 0 every lr above 2 / reg diverges, because the penalty's step
    multiplies W by 1 - lr * reg), n_steps >= 1, figsize, dpi. W starts at zeros (C, D)
    with C = max label + 1. Introduced in 03_gradient_descent.ipynb.
    """

    def __init__(self, X_train, y_train, X_val, y_val, reg=0.05, n_steps=60, figsize=None,
                 dpi=None):
        self.X_train, self.y_train, self.X_val, self.y_val, n_classes = _check_split(
            X_train, y_train, X_val, y_val)
        self.reg = check_nonnegative("reg", reg)
        self.n_steps = check_int("n_steps", n_steps, 1)
        self.w0 = np.zeros((n_classes, self.X_train.shape[1]))
        super().__init__(2, figsize, dpi)
        self.ax_loss, self.ax_acc = self.axes
        with matplotlib.rc_context(self.style):
            (self.train_line,) = self.ax_loss.plot([], [], label="training set", **TRAIN_STYLE)
            (self.val_line,) = self.ax_loss.plot([], [], label="validation set", **VAL_STYLE)
            plain_log_axis(self.ax_loss)
            self.ax_loss.set(xlabel="step (one pass over the training set)",
                             ylabel="loss (log scale)", xlim=(0, self.n_steps),
                             ylim=WIDEST_LOG_RANGE)
            (self.train_acc_line,) = self.ax_acc.plot([], [], **TRAIN_STYLE)
            (self.val_acc_line,) = self.ax_acc.plot([], [], **VAL_STYLE)
            self.ax_acc.set(xlabel="step", ylabel="accuracy", ylim=(0, 1), xlim=(0, self.n_steps))
            for ax in self.axes:
                ax.grid(True, alpha=0.3)
            self.add_legend(ncols=2)
        self.fix_layout([self.train_line, self.val_line, self.ax_loss.title, self.train_acc_line,
                         self.val_acc_line, self.ax_acc.title], rescaled=[self.ax_loss])

    def loss_grad(self, W):
        """Training loss and gradient at W: softmax_loss_grad(W, X_train, y_train, reg)."""
        return softmax_loss_grad(W, self.X_train, self.y_train, self.reg)

    def run(self, lr):
        """The descent itself: gradient_descent(self.loss_grad, zeros, lr, n_steps)."""
        lr = check_positive("lr", lr)
        return gradient_descent(self.loss_grad, self.w0, lr, n_steps=self.n_steps)

    def update(self, lr):
        """Rerun gradient descent at learning rate lr; set both panels' lines, the loss
        axis's limits and the titles of the view's figure (render() draws them). The whole
        path is scored with one matrix product per data set. Returns {"lr", "status",
        "final_loss", "n_steps", "val_loss", "train_acc", "val_acc"}: the last W's
        (accuracies NaN when the run diverged: weights that blew up are no classifier,
        and the accuracy lines end before that step)."""
        with self.drawing():
            history = self.run(lr)
            val_losses, val_acc = softmax_path_metrics(history.path, self.X_val, self.y_val, self.reg)
            train_acc = path_accuracies(history.path, self.X_train, self.y_train)
            diverged = history.status == "diverged"
            if diverged:                       # set before the lines: plot and title agree
                train_acc[-1] = val_acc[-1] = np.nan
            steps = np.arange(len(history.losses))
            self.train_line.set_data(steps, _log_floor(history.losses))
            self.val_line.set_data(steps, _log_floor(val_losses))
            _fit_log_y(self.ax_loss, np.concatenate([history.losses, val_losses]))
            self.train_acc_line.set_data(steps, train_acc)
            self.val_acc_line.set_data(steps, val_acc)
            self.show_status(self.ax_loss, f"lr = {lr:.3g}, reg = {self.reg:g}: "
                             f"{self.status_text(history.status, history.n_steps)}", diverged)
            self.show_status(self.ax_acc, "Accuracy: none, the weights blew up" if diverged else
                             f"Accuracy (final validation: {val_acc[-1]:.3f})", diverged)
        return self.make_result(lr, history, history.losses[-1], val_loss=float(val_losses[-1]),
                                train_acc=float(train_acc[-1]), val_acc=float(val_acc[-1]))


def _half_decade_tick(value, up):
    """The nearest multiple of half a power of ten at or above (up) or at or below (not up)
    a value > 0: 2.42 -> 2.5 and 4.6 -> 5 up; 1.37 -> 1 and 0.83 -> 0.8 down."""
    step = 10 ** math.floor(math.log10(value)) / 2
    return (math.ceil(value / step - 1e-9) if up else math.floor(value / step + 1e-9)) * step


class SGDView(SliderView):
    """Minibatch SGD against full-batch gradient descent on a softmax classifier.

    Inputs as ClassifierLRView, plus n_steps updates for both methods, eval_every (how
    often SGD's full training loss is measured) and rng, a numpy Generator (required,
    keyword-only): the view takes one child stream from it (``rng.spawn(1)``) and every
    update draws its minibatches from a fresh copy of that stream, so the same
    (lr, batch_size) always gives the same curve. Left: loss against update step;
    right: against training examples seen (log scale, the same range for every batch
    size, so moving the batch slider moves the curves, not the axis). The loss axis
    runs from ``bottom``, a tick just below 90 % of the lowest loss gradient descent
    reaches at lr = 1 (so the curves fill the height), to one of two tops, ``tops``: a
    tick just above the initial loss, or, when a full-loss curve (SGD's or gradient
    descent's) climbs above that, a tick just above twice the initial loss.
    Ticks are multiples of half a power of ten, and the axis takes only these two
    states, so most moves redraw only the curves. A run that blows up leaves the top
    and its title says so; minibatch losses below the bottom leave it too.
    Introduced in 04_stochastic_gradient_descent.ipynb.
    """

    def __init__(self, X_train, y_train, X_val, y_val, reg=0.05, n_steps=100, eval_every=10, *,
                 rng, figsize=None, dpi=None):
        self.X_train, self.y_train, self.X_val, self.y_val, n_classes = _check_split(
            X_train, y_train, X_val, y_val)
        self.reg = check_nonnegative("reg", reg)
        self.n_steps = check_int("n_steps", n_steps, 1)
        self.eval_every = check_int("eval_every", eval_every, 1)
        self.stream = check_rng(rng).spawn(1)[0]
        self.w0 = np.zeros((n_classes, self.X_train.shape[1]))
        initial = self.full_loss(self.w0)
        # the loss axis's two tops, and its bottom
        self.tops = (_half_decade_tick(1.05 * initial, up=True), _half_decade_tick(2 * initial, up=True))
        self._gd_runs = {}
        reached = self.run_gd(1.0).losses
        reached = reached[np.isfinite(reached)]
        self.bottom = (min(_half_decade_tick(0.9 * reached.min(), up=False), 0.8 * self.tops[0])
                       if reached.min() > 0 else 0.0)
        super().__init__(2, figsize, dpi)
        self.ax_step, self.ax_seen = self.axes
        self.lines = {}
        with matplotlib.rc_context(self.style):
            for ax in self.axes:
                self.lines[ax, "batch"] = ax.plot([], [], color="tab:orange", linewidth=1, alpha=0.8,
                                                  label="SGD: minibatch loss")[0]
                self.lines[ax, "full"] = ax.plot([], [], color="tab:blue", marker="o", markersize=6,
                                                 linewidth=2.5, label="SGD: full training loss")[0]
                self.lines[ax, "gd"] = ax.plot([], [], color="black", linewidth=2.5, linestyle="--",
                                               label="GD: full training loss")[0]
                ax.set(ylabel="loss")
                ax.grid(True, alpha=0.3)
            self.ax_step.set(xlabel="update step", xlim=(0, self.n_steps))
            plain_log_axis(self.ax_seen, "x")
            self.ax_seen.set(xlabel="training examples seen (log scale)",
                             title="The same runs against examples seen",
                             xlim=(0.8, self.n_steps * len(self.y_train) * 1.25))
            self.add_legend(ncols=3)
        self.fix_layout([*self.lines.values(), self.ax_step.title], rescaled=self.axes)

    def loss_grad(self, W, X_batch, y_batch):
        """Minibatch loss and gradient: softmax_loss_grad(W, X_batch, y_batch, reg)."""
        return softmax_loss_grad(W, X_batch, y_batch, self.reg)

    def full_loss(self, W):
        """Full training loss at W (inf if W is too large to score)."""
        return softmax_loss_or_inf(W, self.X_train, self.y_train, self.reg)

    def run_sgd(self, lr, batch_size):
        """sgd(loss_grad, zeros, X_train, y_train, lr, batch_size, n_steps=n_steps,
        rng=a copy of the view's stream, eval_fn=full_loss, eval_every=eval_every)."""
        lr = check_positive("lr", lr)
        batch_size = check_int("batch_size", batch_size, 1, len(self.y_train))
        return sgd(self.loss_grad, self.w0, self.X_train, self.y_train, lr, batch_size,
                   n_steps=self.n_steps, rng=copy.deepcopy(self.stream),
                   eval_fn=self.full_loss, eval_every=self.eval_every)

    def run_gd(self, lr):
        """Full-batch gradient_descent with the same lr and n_steps (kept per lr, 64 at most)."""
        lr = check_positive("lr", lr)
        if lr not in self._gd_runs:
            if len(self._gd_runs) >= 64:
                self._gd_runs.pop(next(iter(self._gd_runs)))
            self._gd_runs[lr] = gradient_descent(
                lambda W: softmax_loss_grad(W, self.X_train, self.y_train, self.reg),
                self.w0, lr, n_steps=self.n_steps, keep_path=False)
        return self._gd_runs[lr]

    def update(self, lr, batch_size):
        """Rerun SGD at (lr, batch_size) and take GD's run at lr (made on first use); set
        both panels' lines, the loss axis's top and the title of the view's figure
        (render() draws them). Returns {"lr", "batch_size", "status", "final_loss" (SGD's last
        full training loss, inf if diverged), "n_steps", "last_batch_loss",
        "gd_final_loss", "val_acc" (SGD's final W; NaN if diverged)}."""
        with self.drawing():
            run, gd = self.run_sgd(lr, batch_size), self.run_gd(lr)
            n_train = len(self.y_train)
            gd_x = np.arange(len(gd.losses))
            curves = {"batch": (np.arange(1, len(run.losses) + 1), run.examples, run.losses),
                      "full": (run.eval_steps, run.eval_steps * batch_size, run.eval_losses),
                      "gd": (gd_x, gd_x * n_train, gd.losses)}
            for name, (x_step, x_seen, values) in curves.items():
                values = np.where(np.isfinite(values), values, np.nan)
                self.lines[self.ax_step, name].set_data(x_step, values)
                seen = x_seen > 0                   # a log axis has no place for 0 examples
                self.lines[self.ax_seen, name].set_data(x_seen[seen], values[seen])
            curves = np.concatenate([run.eval_losses, gd.losses])         # minibatch spikes may leave the top
            climbs = not np.all(curves <= self.tops[0])                    # NaN and inf climb too
            for ax in self.axes:
                ax.set_ylim(self.bottom, self.tops[climbs])
            diverged = run.status == "diverged"
            self.show_status(self.ax_step, f"lr = {lr:.3g}, batch = {batch_size}: "
                             f"{self.status_text(run.status, run.n_steps)}", diverged)
        final = float("inf") if diverged else run.eval_losses[-1]
        val_acc = float("nan") if diverged else accuracy_or_nan(run.w, self.X_val, self.y_val)
        return self.make_result(lr, run, final, batch_size=int(batch_size),
                                last_batch_loss=float(run.losses[-1]),
                                gd_final_loss=float(gd.losses[-1]), val_acc=val_acc)
