"""Sliders: a pure update function per figure, and a thin ipywidgets wrapper around it.

Introduced in 03_gradient_descent.ipynb (the learning-rate sliders) and
04_stochastic_gradient_descent.ipynb (the learning-rate and batch-size pair).

Each interactive figure comes in two layers, so that tests can drive it without a
browser:

* a *view* (``LandscapeLRView``, ``ClassifierLRView``, ``SGDView``) builds its figure
  once (a ``matplotlib.figure.Figure``, not registered with pyplot, so nothing leaks
  into the notebook) and has ``update(...) -> dict``: it reruns the optimizer, moves
  the lines' data in place, rewrites the title, and returns the numbers it shows;
* a *wrapper* (``lr_slider_landscape``, ``lr_slider_classifier``, ``sgd_sliders``)
  wires sliders to ``update`` and shows the figure as a PNG in an ``ipywidgets.Image``
  (so the saved widget state holds the first frame, and nothing flickers or stacks),
  with a one-line text readout below it (CSS class ``optim-readout``) written by
  ``format_readout``.

The wrappers return a ``SliderPanel``: a VBox with ``.sliders`` (name -> slider),
``.view``, ``.image``, ``.readout`` and ``.result`` (the last update's dict). Setting
``panel.sliders["lr"].value = x`` runs the update synchronously.
Importing this module changes no matplotlib setting.
"""
import io
import math

import ipywidgets
import matplotlib
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._checks import as_float_array, check_int, check_labels, check_positive
from .landscapes import Landscape, get_landscape
from .losses import softmax_loss, softmax_loss_grad
from .optimizers import gradient_descent, sgd
from .plots import plot_contour

READOUT_CLASS = "optim-readout"
DIVERGED_COLOR = "tab:red"


# --------------------------------------------------------------------------- readout

def format_loss(value):
    """A loss as the readout prints it: 4 decimals, scientific from 1e4, 'inf'/'nan' as such."""
    try:
        value = float(value)
    except (TypeError, ValueError) as err:
        raise ValueError(f"value must be a number, got {value!r}") from err
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else "inf"
    return f"{value:.3e}" if abs(value) >= 1e4 else f"{value:.4f}"


def format_readout(result):
    """The one-line text shown under every slider figure, from an update's result dict.

    Format (fields in this order, those in brackets only when the dict has the key)::

        lr = {lr:.3g}[ | batch = {batch_size}] | status: {status} | final loss: {final_loss}
        [ | val acc: {val_acc:.3f}][ | steps: {n_steps}]

    joined on one line, where final_loss is printed by ``format_loss`` and
    ``steps`` appears only for landscape results (those without ``val_acc``). Example:
    ``lr = 0.0316 | status: max_steps | final loss: 0.2934 | val acc: 0.956``.
    """
    for key in ("lr", "status", "final_loss"):
        if key not in result:
            raise ValueError(f"result must have the key {key!r}, got keys {sorted(result)}")
    parts = [f"lr = {float(result['lr']):.3g}"]
    if "batch_size" in result:
        parts.append(f"batch = {int(result['batch_size'])}")
    parts.append(f"status: {result['status']}")
    parts.append(f"final loss: {format_loss(result['final_loss'])}")
    if "val_acc" in result:
        acc = float(result["val_acc"])
        parts.append("val acc: nan" if math.isnan(acc) else f"val acc: {acc:.3f}")
    elif "n_steps" in result:
        parts.append(f"steps: {int(result['n_steps'])}")
    return " | ".join(parts)


# --------------------------------------------------------------------------- shared bits

FONT = {"font.size": 12, "axes.titlesize": 12, "legend.fontsize": 10}


def _new_figure(figsize, ncols, dpi):
    """A Figure with its own Agg canvas (never shown by pyplot) and ncols Axes.

    Fonts are set for a projector through a local rc_context: the global settings stay.
    """
    with matplotlib.rc_context(FONT):
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, ncols)
    return fig, axes


def figure_png(fig):
    """Render a Figure at its own dpi to PNG bytes (what the Image widget shows).

    The first render fixes the layout (constrained layout is switched off afterwards),
    so later frames do not jump around and render faster.
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    fig.canvas.draw()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels).save(buffer, format="png", compress_level=3)
    return buffer.getvalue()


def _check_split(X_train, y_train, X_val, y_val):
    """Check training and validation data for a classifier view.

    X_train (N, D) and X_val (M, D) finite; y_train (N,) and y_val (M,) integer labels
    in [0, C) with C = 1 + the largest label. Returns the four as float/int arrays and C.
    """
    X_train = as_float_array("X_train", X_train, ndim=2)
    X_val = as_float_array("X_val", X_val, ndim=2)
    if X_val.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_val must have X_train's {X_train.shape[1]} columns, got {X_val.shape[1]}")
    labels = {"y_train": (np.asarray(y_train), len(X_train)), "y_val": (np.asarray(y_val), len(X_val))}
    for name, (y, n) in labels.items():
        if y.dtype.kind not in "iu" or y.shape != (n,):
            raise ValueError(f"{name} must be {n} integer class labels, got dtype {y.dtype} shape {y.shape}")
    n_classes = 1 + int(max(y.max() for y, _ in labels.values()))
    y_train = check_labels(y_train, len(X_train), n_classes, "y_train")
    y_val = check_labels(y_val, len(X_val), n_classes, "y_val")
    return X_train, y_train, X_val, y_val, n_classes


def _status_text(status, n_steps):
    if status == "diverged":
        return f"DIVERGED after {n_steps} steps"
    if status == "converged":
        return f"converged in {n_steps} steps"
    return f"{n_steps} steps"


def _finite_floor(values, floor=1e-8):
    """Values for a log-scale plot: non-finite dropped (NaN), tiny ones raised to ``floor``."""
    values = np.asarray(values, dtype=np.float64).copy()
    values[~np.isfinite(values)] = np.nan
    return np.maximum(values, floor, where=np.isfinite(values), out=values)


def _rescale(ax, log=True):
    ax.relim()
    ax.autoscale_view()
    if log:
        ax.set_yscale("log")


def _safe_accuracy(W, X, y):
    """Accuracy of W on (X, y), or NaN when W is not finite (a diverged run)."""
    if not np.isfinite(W).all():
        return float("nan")
    with np.errstate(over="ignore", invalid="ignore"):
        scores = X @ W.T
    if not np.isfinite(scores).all():
        return float("nan")
    return float(np.mean(scores.argmax(axis=1) == y))


def _safe_loss(W, X, y, reg):
    """softmax_loss, or inf when W is too large to score (a diverged run)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.isfinite(W).all() or not np.isfinite(X @ W.T).all():
            return float("inf")
        return softmax_loss(W, X, y, reg)


# --------------------------------------------------------------------------- 2-D landscape

class LandscapeLRView:
    """Gradient descent on a 2-D landscape: path on the contour map + loss curve.

    Inputs: landscape (a Landscape or its name), n_steps >= 1, start (2,) (default:
    the landscape's own start), figsize. The contour background is drawn once; each
    ``update(lr)`` reruns ``optimizers.gradient_descent`` from ``start`` and moves the
    path and loss lines. Introduced in 03_gradient_descent.ipynb.
    """

    def __init__(self, landscape="mountain", n_steps=50, start=None, figsize=(11, 4.4), dpi=80):
        self.landscape = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
        self.n_steps = check_int("n_steps", n_steps, 1)
        self.start = np.array(self.landscape.start if start is None else start, dtype=np.float64)
        if self.start.shape != (2,) or not np.isfinite(self.start).all():
            raise ValueError(f"start must be 2 finite numbers (w1, w2), got {start!r}")
        self.fig, (self.ax_map, self.ax_loss) = _new_figure(figsize, 2, dpi)
        plot_contour(self.landscape, ax=self.ax_map, n=120, levels=20)
        self.ax_map.set_autoscale_on(False)
        self.ax_map.plot(*self.start, marker="o", markersize=10, markerfacecolor="none",
                         markeredgecolor="tab:red", linestyle="none")
        (self.path_line,) = self.ax_map.plot([], [], marker="o", markersize=3, color="tab:red")
        (self.end_marker,) = self.ax_map.plot([], [], marker="X", markersize=11, color="tab:red",
                                              markeredgecolor="white", linestyle="none")
        (self.loss_line,) = self.ax_loss.plot([], [], color="tab:red", marker=".")
        self.ax_loss.set(xlabel="step", ylabel="loss (log scale)", yscale="log",
                         title="Loss at each step")
        self.ax_loss.grid(True, alpha=0.3)

    def run(self, lr):
        """The descent itself: a History from gradient_descent(landscape.loss_grad, start, lr)."""
        lr = check_positive("lr", lr)
        return gradient_descent(self.landscape.loss_grad, self.start, lr, n_steps=self.n_steps)

    def update(self, lr):
        """Rerun at learning rate lr, redraw the lines; returns
        {"lr", "status", "final_loss", "n_steps", "landscape"}."""
        history = self.run(lr)
        path = history.path
        inside = np.isfinite(path).all(axis=1) & (np.abs(path).max(axis=1) < 1e6)
        self.path_line.set_data(path[inside, 0], path[inside, 1])
        self.end_marker.set_data(path[inside][-1:, 0], path[inside][-1:, 1])
        steps = np.arange(len(history.losses))
        self.loss_line.set_data(steps, _finite_floor(history.losses))
        self.ax_loss.set_xlim(0, self.n_steps)
        _rescale(self.ax_loss)
        diverged = history.status == "diverged"
        final = float(history.losses[-1])
        self.ax_loss.set_title(f"lr = {lr:.3g}: {_status_text(history.status, history.n_steps)}, "
                               f"final loss {format_loss(final)}",
                               color=DIVERGED_COLOR if diverged else "black")
        self.ax_map.set_title(f"Gradient descent on the {self.landscape.name}",
                              color=DIVERGED_COLOR if diverged else "black")
        return {"lr": float(lr), "status": history.status, "final_loss": final,
                "n_steps": int(history.n_steps), "landscape": self.landscape.name}


# --------------------------------------------------------------------------- digits, full batch

class ClassifierLRView:
    """Full-batch gradient descent of a softmax classifier: loss and accuracy curves.

    Inputs: X_train (N, D), y_train (N,), X_val (M, D), y_val (M,), reg >= 0 (the L2
    strength; with reg > 0 every lr above 2 / reg diverges, because the penalty's step
    multiplies W by 1 - lr * reg), n_steps >= 1, figsize. W starts at zeros (C, D)
    with C = max label + 1. Introduced in 03_gradient_descent.ipynb.
    """

    def __init__(self, X_train, y_train, X_val, y_val, reg=0.05, n_steps=60, figsize=(11, 4.4),
                 dpi=80):
        self.X_train, self.y_train, self.X_val, self.y_val, n_classes = _check_split(
            X_train, y_train, X_val, y_val)
        self.reg = check_positive("reg", reg, allow_zero=True)
        self.n_steps = check_int("n_steps", n_steps, 1)
        self.w0 = np.zeros((n_classes, self.X_train.shape[1]))
        self.fig, (self.ax_loss, self.ax_acc) = _new_figure(figsize, 2, dpi)
        (self.train_line,) = self.ax_loss.plot([], [], color="tab:blue", label="training loss")
        (self.val_line,) = self.ax_loss.plot([], [], color="tab:orange", linestyle="--",
                                             label="validation loss")
        self.ax_loss.set(xlabel="step (one full pass over the training set)",
                         ylabel="loss (log scale)", yscale="log", title="Loss")
        self.ax_loss.legend(loc="upper right")
        self.ax_loss.grid(True, alpha=0.3)
        (self.train_acc_line,) = self.ax_acc.plot([], [], color="tab:blue", label="training")
        (self.val_acc_line,) = self.ax_acc.plot([], [], color="tab:orange", linestyle="--",
                                                label="validation")
        self.ax_acc.set(xlabel="step", ylabel="accuracy", ylim=(0, 1), xlim=(0, self.n_steps),
                        title="Accuracy")
        self.ax_acc.legend(loc="lower right")
        self.ax_acc.grid(True, alpha=0.3)

    def loss_grad(self, W):
        """Training loss and gradient at W: softmax_loss_grad(W, X_train, y_train, reg)."""
        return softmax_loss_grad(W, self.X_train, self.y_train, self.reg)

    def run(self, lr):
        """The descent itself: gradient_descent(self.loss_grad, zeros, lr, n_steps)."""
        lr = check_positive("lr", lr)
        return gradient_descent(self.loss_grad, self.w0, lr, n_steps=self.n_steps)

    def update(self, lr):
        """Rerun at learning rate lr, redraw; returns {"lr", "status", "final_loss",
        "n_steps", "val_loss", "train_acc", "val_acc"} (accuracies of the last W; NaN
        when the run diverged, since weights that blew up are no classifier)."""
        history = self.run(lr)
        steps = np.arange(len(history.losses))
        path = history.path
        val_losses = np.array([_safe_loss(W, self.X_val, self.y_val, self.reg) for W in path])
        train_acc = np.array([_safe_accuracy(W, self.X_train, self.y_train) for W in path])
        val_acc = np.array([_safe_accuracy(W, self.X_val, self.y_val) for W in path])
        self.train_line.set_data(steps, _finite_floor(history.losses))
        self.val_line.set_data(steps, _finite_floor(val_losses))
        self.ax_loss.set_xlim(0, self.n_steps)
        _rescale(self.ax_loss)
        self.train_acc_line.set_data(steps, train_acc)
        self.val_acc_line.set_data(steps, val_acc)
        diverged = history.status == "diverged"
        if diverged:            # weights that blew up are not a classifier: no accuracy
            train_acc[-1] = val_acc[-1] = np.nan
        final = float(history.losses[-1])
        color = DIVERGED_COLOR if diverged else "black"
        self.ax_loss.set_title(f"lr = {lr:.3g}, reg = {self.reg:g}: "
                               f"{_status_text(history.status, history.n_steps)}", color=color)
        self.ax_acc.set_title(f"Accuracy (final validation: {val_acc[-1]:.3f})", color=color)
        return {"lr": float(lr), "status": history.status, "final_loss": final,
                "n_steps": int(history.n_steps), "val_loss": float(val_losses[-1]),
                "train_acc": float(train_acc[-1]), "val_acc": float(val_acc[-1])}


# --------------------------------------------------------------------------- digits, minibatches

class SGDView:
    """Minibatch SGD against full-batch gradient descent on a softmax classifier.

    Inputs as ClassifierLRView, plus n_steps updates for both methods, eval_every
    (how often SGD's full training loss is measured) and seed: every update draws
    its minibatches from ``np.random.default_rng(seed)``, so the same (lr, batch_size)
    always gives the same curve. Left: loss against update step; right: against
    training examples seen (log scale). The loss axis is fixed at [0, 1.5 * initial loss]:
    a run that blows up leaves the top of the plot and its title says so. Introduced in 04_stochastic_gradient_descent.ipynb.
    """

    def __init__(self, X_train, y_train, X_val, y_val, reg=0.05, n_steps=100, eval_every=10,
                 seed=0, figsize=(11, 4.4), dpi=80):
        self.X_train, self.y_train, self.X_val, self.y_val, n_classes = _check_split(
            X_train, y_train, X_val, y_val)
        self.reg = check_positive("reg", reg, allow_zero=True)
        self.n_steps = check_int("n_steps", n_steps, 1)
        self.eval_every = check_int("eval_every", eval_every, 1)
        self.seed = check_int("seed", seed, 0)
        self.w0 = np.zeros((n_classes, self.X_train.shape[1]))
        self._gd_cache = {}
        self.fig, (self.ax_step, self.ax_seen) = _new_figure(figsize, 2, dpi)
        self.lines = {}
        for ax in (self.ax_step, self.ax_seen):
            self.lines[ax, "batch"] = ax.plot([], [], color="tab:orange", linewidth=0.8, alpha=0.7,
                                              label="SGD: minibatch loss")[0]
            self.lines[ax, "full"] = ax.plot([], [], color="tab:red", marker="o", markersize=3,
                                             label="SGD: full training loss")[0]
            self.lines[ax, "gd"] = ax.plot([], [], color="black", linewidth=2,
                                           label="GD: full training loss")[0]
            ax.set(ylabel="loss", ylim=(0, 1.5 * self.full_loss(self.w0)))
            ax.grid(True, alpha=0.3)
        self.ax_step.set(xlabel="update step", xlim=(0, self.n_steps))
        self.ax_seen.set(xlabel="training examples seen (log scale)", xscale="log",
                         title="Same runs against examples seen")
        self.ax_step.legend(loc="lower left", fontsize=9)

    def loss_grad(self, W, X_batch, y_batch):
        """Minibatch loss and gradient: softmax_loss_grad(W, X_batch, y_batch, reg)."""
        return softmax_loss_grad(W, X_batch, y_batch, self.reg)

    def full_loss(self, W):
        """Full training loss at W (inf if W is too large to score)."""
        return _safe_loss(W, self.X_train, self.y_train, self.reg)

    def run_sgd(self, lr, batch_size):
        """sgd(loss_grad, zeros, X_train, y_train, lr, batch_size, n_steps=n_steps,
        rng=np.random.default_rng(seed), eval_fn=full_loss, eval_every=eval_every)."""
        lr = check_positive("lr", lr)
        batch_size = check_int("batch_size", batch_size, 1, len(self.y_train))
        return sgd(self.loss_grad, self.w0, self.X_train, self.y_train, lr, batch_size,
                   n_steps=self.n_steps, rng=np.random.default_rng(self.seed),
                   eval_fn=self.full_loss, eval_every=self.eval_every)

    def run_gd(self, lr):
        """Full-batch gradient_descent with the same lr and n_steps (cached per lr)."""
        lr = check_positive("lr", lr)
        if lr not in self._gd_cache:
            self._gd_cache[lr] = gradient_descent(
                lambda W: softmax_loss_grad(W, self.X_train, self.y_train, self.reg),
                self.w0, lr, n_steps=self.n_steps, keep_path=False)
        return self._gd_cache[lr]

    def update(self, lr, batch_size):
        """Rerun both at (lr, batch_size), redraw; returns {"lr", "batch_size", "status",
        "final_loss" (SGD's last full training loss, inf if diverged), "n_steps",
        "last_batch_loss", "gd_final_loss", "val_acc" (SGD's final W; NaN if diverged)}."""
        run = self.run_sgd(lr, batch_size)
        gd = self.run_gd(lr)
        n_train = len(self.y_train)
        batch_x = np.arange(1, len(run.losses) + 1)
        gd_x = np.arange(len(gd.losses))
        curves = {
            "batch": (batch_x, run.examples, run.losses),
            "full": (run.eval_steps, run.eval_steps * batch_size, run.eval_losses),
            "gd": (gd_x, gd_x * n_train, gd.losses),
        }
        for name, (x_step, x_seen, values) in curves.items():
            values = np.where(np.isfinite(values), values, np.nan)
            self.lines[self.ax_step, name].set_data(x_step, values)
            seen = x_seen > 0                       # a log axis has no place for 0 examples
            self.lines[self.ax_seen, name].set_data(x_seen[seen], values[seen])
        self.ax_step.set_xlim(0, self.n_steps)
        self.ax_seen.set_xlim(batch_size * 0.8, self.n_steps * n_train * 1.25)
        diverged = run.status == "diverged"
        final = float(run.eval_losses[-1]) if not diverged else float("inf")
        self.ax_step.set_title(f"lr = {lr:.3g}, batch = {batch_size}: "
                               f"{_status_text(run.status, run.n_steps)}",
                               color=DIVERGED_COLOR if diverged else "black")
        return {"lr": float(lr), "batch_size": int(batch_size), "status": run.status,
                "final_loss": final, "n_steps": int(run.n_steps),
                "last_batch_loss": float(run.losses[-1]), "gd_final_loss": float(gd.losses[-1]),
                "val_acc": float("nan") if diverged else _safe_accuracy(run.w, self.X_val, self.y_val)}


# --------------------------------------------------------------------------- wrappers

class SliderPanel(ipywidgets.VBox):
    """The widget a slider cell shows: controls, the figure as an image, a text readout.

    ``call(values) -> (view, result)`` runs the update for a dict of control values.
    Attributes: sliders (dict name -> control), view, image (ipywidgets.Image),
    readout (ipywidgets.HTML with CSS class "optim-readout"), result (last update's dict).
    ``refresh()`` reruns the view with the controls' current values.
    """

    def __init__(self, sliders, call):
        self.view, self.sliders, self._call = None, dict(sliders), call
        self.image = ipywidgets.Image(format="png")
        self.readout = ipywidgets.HTML()
        self.readout.add_class(READOUT_CLASS)
        self.result = None
        super().__init__([ipywidgets.HBox(list(self.sliders.values())), self.image, self.readout])
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, change):
        self.refresh()

    def refresh(self):
        """Update the view from the controls, re-render the image and the readout."""
        values = {name: control.value for name, control in self.sliders.items()}
        self.view, self.result = self._call(values)
        self.image.value = figure_png(self.view.fig)
        self.readout.value = format_readout(self.result)
        return self.result


def _lr_slider(lr, lr_min, lr_max, description="learning rate"):
    lr = check_positive("lr", lr)
    lo, hi = math.log10(check_positive("lr_min", lr_min)), math.log10(check_positive("lr_max", lr_max))
    if not lo < hi:
        raise ValueError(f"lr_min must be below lr_max, got {lr_min} and {lr_max}")
    if not lr_min <= lr <= lr_max:
        raise ValueError(f"lr must lie in [lr_min, lr_max] = [{lr_min}, {lr_max}], got {lr}")
    return ipywidgets.FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=0.125,
                                     description=description, continuous_update=False,
                                     readout_format=".3g", style={"description_width": "initial"},
                                     layout=ipywidgets.Layout(width="420px"))


def lr_slider_landscape(landscape="mountain", lr=0.1, lr_min=1e-3, lr_max=30.0, n_steps=50,
                        start=None, choose_landscape=True, dpi=80):
    """Learning-rate slider (log scale) over gradient descent on a 2-D landscape.

    Builds one LandscapeLRView per landscape (on first use) and a SliderPanel with
    sliders {"lr": FloatLogSlider} (plus {"landscape": Dropdown} if choose_landscape).
    The readout is format_readout(LandscapeLRView(name, n_steps, start).update(lr));
    a landscape picked from the dropdown starts from its own ``start``.
    Introduced in 03_gradient_descent.ipynb.
    """
    first = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
    views = {first.name: LandscapeLRView(first, n_steps=n_steps, start=start, dpi=dpi)}
    sliders = {"lr": _lr_slider(lr, lr_min, lr_max)}
    if choose_landscape:
        sliders["landscape"] = ipywidgets.Dropdown(options=["mountain", "bowl", "ravine"],
                                                   value=first.name if first.name in
                                                   ("mountain", "bowl", "ravine") else "mountain",
                                                   description="landscape")

    def call(values):
        name = values.get("landscape", first.name)
        if name not in views:
            views[name] = LandscapeLRView(name, n_steps=n_steps, dpi=dpi)
        return views[name], views[name].update(values["lr"])

    return SliderPanel(sliders, call)


def lr_slider_classifier(X_train, y_train, X_val, y_val, reg=0.05, lr=1.0, lr_min=1e-3,
                         lr_max=100.0, n_steps=60, dpi=80):
    """Learning-rate slider over full-batch gradient descent on a softmax classifier.

    sliders {"lr": FloatLogSlider}; the readout is
    format_readout(ClassifierLRView(X_train, y_train, X_val, y_val, reg, n_steps).update(lr)).
    Keep lr_max above 2 / reg so the top of the range really diverges.
    Introduced in 03_gradient_descent.ipynb.
    """
    view = ClassifierLRView(X_train, y_train, X_val, y_val, reg=reg, n_steps=n_steps, dpi=dpi)
    return SliderPanel({"lr": _lr_slider(lr, lr_min, lr_max)},
                       lambda values: (view, view.update(values["lr"])))


BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


def sgd_sliders(X_train, y_train, X_val, y_val, reg=0.05, lr=0.3, batch_size=32, lr_min=1e-3,
                lr_max=100.0, n_steps=100, eval_every=10, seed=0, batch_sizes=BATCH_SIZES, dpi=80):
    """A learning-rate slider and a batch-size slider over SGDView.

    sliders {"lr": FloatLogSlider, "batch_size": SelectionSlider over batch_sizes};
    the readout is format_readout(SGDView(X_train, y_train, X_val, y_val, reg, n_steps,
    eval_every, seed).update(lr, batch_size)). Introduced in
    04_stochastic_gradient_descent.ipynb.
    """
    n = len(np.asarray(y_train))
    options = [int(b) for b in batch_sizes if 1 <= int(b) <= n]
    if batch_size not in options:
        raise ValueError(f"batch_size must be one of {options}, got {batch_size!r}")
    view = SGDView(X_train, y_train, X_val, y_val, reg=reg, n_steps=n_steps,
                   eval_every=eval_every, seed=seed, dpi=dpi)
    sliders = {"lr": _lr_slider(lr, lr_min, lr_max),
               "batch_size": ipywidgets.SelectionSlider(options=options, value=batch_size,
                                                        description="batch size",
                                                        continuous_update=False)}
    return SliderPanel(sliders,
                       lambda values: (view, view.update(values["lr"], values["batch_size"])))
