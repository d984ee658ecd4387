"""What each lecture slider computes for one setting: pure functions and their result records.

Introduced in 03_gradient_descent.ipynb (the learning-rate sliders) and
04_stochastic_gradient_descent.ipynb (the learning-rate and batch-size pair).

A slider shows one run per setting. Here is that run, apart from any drawing:

* ``landscape_run(landscape, lr)`` -> ``LandscapeRun``: gradient descent on a 2-D landscape;
* ``classifier_run(setup, lr)`` -> ``ClassifierRun``: full-batch gradient descent of the
  digit classifier, ``setup`` made once by ``classifier_setup(X_train, ...)``;
* ``sgd_run(setup, lr, batch_size)`` -> ``SGDRun``: minibatch SGD beside full-batch
  gradient descent, ``setup`` made once by ``sgd_setup(X_train, ..., rng=rng)``.

Each is a pure function of its arguments: the same setting always gives the same record
(SGD replays the same minibatches: every run draws them from a copy of the setup's own
random stream), and no argument is changed. A record holds the numbers a slider's readout
shows (``readout.format_readout(record)``) and the curves its figure draws
(``slider_figures``). The learning rates a slider can reach are the grid ``lr_grid``:
10 ** (k / 8), eight steps per decade. This module imports NumPy and threadpoolctl only
(never matplotlib).

Words used the same way in every record: ``final_loss`` is the training loss (data loss
plus the L2 penalty) after the last step, and ``inf`` for a run that diverged; a
validation loss is the same loss (with the penalty) on the validation images.
"""
import contextlib
import copy
import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from ._checks import as_float_array, check_int, check_labels, check_nonnegative, check_positive, check_rng
from .landscapes import Landscape, get_landscape
from .losses import softmax_loss_grad
from .optimizers import gradient_descent, sgd
from .safe_metrics import accuracy_or_nan, path_accuracies, softmax_loss_or_inf, softmax_path_metrics

STEPS_PER_DECADE = 8          # a learning-rate slider moves by a factor 10 ** (1/8), about 1.33
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


# --------------------------------------------------------------------------- the lr grid

def snap_lr(lr, name="lr"):
    """The grid learning rate 10 ** (k / STEPS_PER_DECADE) that lr names.

    A value within 1 % of a grid point names it (0.316 and 0.3162 both name 10 ** -0.5);
    any other value is not one a slider can reach: ValueError naming the argument.
    Returns the grid value as a float.
    """
    lr = check_positive(name, lr)
    k = round(math.log10(lr) * STEPS_PER_DECADE)
    on_grid = 10 ** (k / STEPS_PER_DECADE)
    if abs(lr / on_grid - 1) > 0.01:
        raise ValueError(f"{name} must be a value the slider can reach, 10 ** (k/{STEPS_PER_DECADE}) "
                         f"(e.g. {on_grid:.3g} or {10 ** ((k + 1) / STEPS_PER_DECADE):.3g}), got {lr}")
    return on_grid


def lr_grid(lr_min, lr_max):
    """Every learning rate a slider from lr_min to lr_max can reach, smallest first.

    lr_min < lr_max, both on the grid (see snap_lr). Returns (n,) floats 10 ** (k / 8).
    Example: lr_grid(0.1, 1) -> [0.1, 0.133, 0.178, 0.237, 0.316, 0.422, 0.562, 0.75, 1.0].
    """
    low, high = snap_lr(lr_min, "lr_min"), snap_lr(lr_max, "lr_max")
    if not low < high:
        raise ValueError(f"lr_min must be below lr_max, got {lr_min} and {lr_max}")
    ks = np.arange(round(math.log10(low) * STEPS_PER_DECADE), round(math.log10(high) * STEPS_PER_DECADE) + 1)
    return 10.0 ** (ks / STEPS_PER_DECADE)


class SettingCache:
    """Results already computed, keyed by a slider's setting; the least recently used goes first.

    ``get(key)`` -> the stored value or None; ``put(key, value)`` stores it (and returns it)
    and drops the oldest entries beyond ``maxsize``; maxsize 0 stores nothing. An SGD setup
    keeps its gradient-descent runs in one (every batch size asks for the same lr's run).
    """

    def __init__(self, maxsize=64):
        self.maxsize = check_int("maxsize", maxsize, 0)
        self._values = OrderedDict()

    def __len__(self):
        return len(self._values)

    def get(self, key):
        """The value stored under key (now the most recently used), or None."""
        value = self._values.get(key)
        if value is not None:
            self._values.move_to_end(key)
        return value

    def put(self, key, value):
        """Store value under key; return value."""
        if self.maxsize:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.maxsize:
                self._values.popitem(last=False)
        return value


@contextlib.contextmanager
def one_blas_thread():
    """BLAS limited to one thread: these products are too small to gain from a second,
    and on a busy laptop every product would wait for it."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _final(history):
    """The last recorded loss, or inf for a run that diverged."""
    return math.inf if history.status == "diverged" else float(history.losses[-1])


# --------------------------------------------------------------------------- 2-D landscape

@dataclass(frozen=True)
class LandscapeRun:
    """Gradient descent on a 2-D landscape at one learning rate.

    lr, landscape (its name), status ("converged", "max_steps" or "diverged"), n_steps
    (updates made), final_loss (inf if diverged), losses (n,) the loss at w_0 ... w_n,
    path (n, 2) those points.
    """
    lr: float
    landscape: str
    status: str
    n_steps: int
    final_loss: float
    losses: np.ndarray
    path: np.ndarray


def landscape_run(landscape, lr, n_steps=50, start=None):
    """gradient_descent(landscape.loss_grad, start, lr, n_steps) as a LandscapeRun.

    landscape: a Landscape (built-in or your own) or a built-in's name; lr > 0;
    n_steps >= 1; start (2,), default the landscape's own start.
    """
    landscape = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
    n_steps = check_int("n_steps", n_steps, 1)
    start = as_float_array("start", landscape.start if start is None else start)
    if start.shape != (2,):
        raise ValueError(f"start must be one point (w1, w2), got shape {start.shape}")
    history = gradient_descent(landscape.loss_grad, start, check_positive("lr", lr),
                               n_steps=n_steps, keep_path=True)
    return LandscapeRun(float(lr), landscape.name, history.status, history.n_steps,
                        _final(history), history.losses, history.path)


# --------------------------------------------------------------------------- digit classifier

@dataclass(frozen=True)
class ClassifierSetup:
    """What a classifier slider trains on, checked once: X_train (N, D), y_train (N,),
    X_val (M, D), y_val (M,), reg >= 0 (L2 strength), n_steps >= 1 and w0 = zeros (C, D),
    C = 1 + the largest label. For SGD also eval_every (steps between full-loss
    measurements), stream (the Generator every run copies) and gd_runs (a SettingCache of
    full-batch runs, by lr). Make one with classifier_setup or sgd_setup."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    reg: float
    n_steps: int
    w0: np.ndarray
    eval_every: int = 1
    stream: np.random.Generator = None
    gd_runs: SettingCache = field(default_factory=SettingCache, compare=False, repr=False)

    def loss_grad(self, W, X=None, y=None):
        """Softmax loss and gradient at W on (X, y), by default the training set."""
        return softmax_loss_grad(W, self.X_train if X is None else X,
                                 self.y_train if y is None else y, self.reg)

    def full_loss(self, W):
        """Training loss at W (inf if W is too large to score)."""
        return softmax_loss_or_inf(W, self.X_train, self.y_train, self.reg)


def classifier_setup(X_train, y_train, X_val, y_val, reg=0.05, n_steps=60):
    """A ClassifierSetup from the data, with every argument checked (the arrays are copied)."""
    X_train = as_float_array("X_train", X_train, ndim=2).copy()
    X_val = as_float_array("X_val", X_val, ndim=2).copy()
    if X_val.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_val must have X_train's {X_train.shape[1]} columns, got {X_val.shape[1]}")
    y_train = check_labels(y_train, len(X_train), name="y_train").copy()
    y_val = check_labels(y_val, len(X_val), name="y_val").copy()
    n_classes = 1 + int(max(y_train.max(), y_val.max()))
    return ClassifierSetup(X_train, y_train, X_val, y_val, check_nonnegative("reg", reg),
                           check_int("n_steps", n_steps, 1), np.zeros((n_classes, X_train.shape[1])))


@dataclass(frozen=True)
class ClassifierRun:
    """Full-batch gradient descent of the digit classifier at one learning rate.

    lr, status, n_steps, final_loss (training, inf if diverged), val_loss and val_acc
    (the last W's; inf and NaN if diverged), and per recorded W (n,): train_losses,
    val_losses, train_accs, val_accs (accuracies NaN once the weights blew up).
    """
    lr: float
    status: str
    n_steps: int
    final_loss: float
    val_loss: float
    val_acc: float
    train_losses: np.ndarray
    val_losses: np.ndarray
    train_accs: np.ndarray
    val_accs: np.ndarray


def classifier_run(setup, lr):
    """Gradient descent from zeros at lr on setup's training set, every W scored on both sets."""
    lr = check_positive("lr", lr)
    with one_blas_thread():
        history = gradient_descent(setup.loss_grad, setup.w0, lr, n_steps=setup.n_steps, keep_path=True)
        val_losses, val_accs = softmax_path_metrics(history.path, setup.X_val, setup.y_val, setup.reg)
        train_accs = path_accuracies(history.path, setup.X_train, setup.y_train)
    if history.status == "diverged":       # weights that blew up are no classifier
        train_accs[-1] = val_accs[-1] = np.nan
        val_losses[-1] = np.inf
    return ClassifierRun(float(lr), history.status, history.n_steps, _final(history),
                         float(val_losses[-1]), float(val_accs[-1]), history.losses, val_losses,
                         train_accs, val_accs)


# --------------------------------------------------------------------------- SGD beside GD

def sgd_setup(X_train, y_train, X_val, y_val, reg=0.05, n_steps=100, eval_every=10, *, rng):
    """A ClassifierSetup for sgd_run. rng: a numpy Generator (required, keyword-only); the
    setup takes one child stream from it (``rng.spawn(1)``), which every run copies."""
    setup = classifier_setup(X_train, y_train, X_val, y_val, reg, n_steps)
    return ClassifierSetup(setup.X_train, setup.y_train, setup.X_val, setup.y_val, setup.reg,
                           setup.n_steps, setup.w0, check_int("eval_every", eval_every, 1),
                           check_rng(rng).spawn(1)[0])


def gd_run(setup, lr):
    """Full-batch gradient descent at lr for setup.n_steps, without the path (a History).
    Kept in setup.gd_runs: the SGD slider asks for the same lr at every batch size."""
    lr = check_positive("lr", lr)
    run = setup.gd_runs.get(lr)
    if run is None:
        with one_blas_thread():
            run = setup.gd_runs.put(lr, gradient_descent(setup.loss_grad, setup.w0, lr,
                                                         n_steps=setup.n_steps, keep_path=False))
    return run


@dataclass(frozen=True)
class SGDRun:
    """Minibatch SGD at one (lr, batch_size), beside full-batch gradient descent at lr.

    lr, batch_size, status, n_steps; final_loss: SGD's last full training loss (inf if
    diverged); last_batch_loss; gd_final_loss (gradient descent's last loss, inf if it
    diverged); val_acc (SGD's final W, NaN if diverged). Curves: batch_losses (n,) each
    step's minibatch loss, examples (n,) examples used by then; eval_steps (k,) and
    eval_losses (k,) SGD's full training loss every eval_every steps; gd_losses (n_steps + 1,).
    """
    lr: float
    batch_size: int
    status: str
    n_steps: int
    final_loss: float
    last_batch_loss: float
    gd_final_loss: float
    val_acc: float
    batch_losses: np.ndarray
    examples: np.ndarray
    eval_steps: np.ndarray
    eval_losses: np.ndarray
    gd_losses: np.ndarray


def sgd_run(setup, lr, batch_size):
    """SGD from zeros at (lr, batch_size) with a copy of setup.stream, and gd_run(setup, lr).

    setup from sgd_setup; 1 <= batch_size <= N. The same (lr, batch_size) always draws
    the same minibatches, so it always gives the same SGDRun.
    """
    if setup.stream is None:
        raise ValueError("setup must come from sgd_setup (it has no random stream)")
    lr = check_positive("lr", lr)
    batch_size = check_int("batch_size", batch_size, 1, len(setup.y_train))
    with one_blas_thread():
        run = sgd(setup.loss_grad, setup.w0, setup.X_train, setup.y_train, lr, batch_size,
                  n_steps=setup.n_steps, rng=copy.deepcopy(setup.stream), keep_path=False,
                  eval_fn=setup.full_loss, eval_every=setup.eval_every)
        val_acc = math.nan if run.status == "diverged" else accuracy_or_nan(run.w, setup.X_val, setup.y_val)
    gd = gd_run(setup, lr)
    return SGDRun(float(lr), int(batch_size), run.status, run.n_steps,
                  math.inf if run.status == "diverged" else float(run.eval_losses[-1]),
                  float(run.losses[-1]), _final(gd), val_acc, run.losses, run.examples,
                  run.eval_steps, run.eval_losses, gd.losses)
