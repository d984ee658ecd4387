"""Slider figures: the drawing of one run record of ``optim_helpers.sliders``.

Introduced in 03_gradient_descent.ipynb (``LandscapeFigure``, ``ClassifierFigure``) and
04_stochastic_gradient_descent.ipynb (``SGDFigure``).

A figure is built once for a slider (``frames.new_figure``: ``ROOM_STYLE``, 1200 x 500 px,
never registered with pyplot), with its layout fixed for good. ``draw(run)`` moves its
lines' data to the record's curves, rescales the axes and writes the titles; ``png()``
renders the whole figure as PNG bytes. A figure names the artists ``draw`` changes
(``dynamic``) and the Axes whose limits it may change (``rescaled``): the slider panels
draw everything else once, as a background, and only these per setting, as SVG
(``svg_frames.FrameLayers``). Nothing is computed here: the same record always gives the
same picture. This module never imports ipywidgets or pyplot.
"""
import matplotlib
import numpy as np
from matplotlib.patheffects import withStroke

from .frames import (HALF_DECADES, ROOM_STYLE, figure_png, fit_log_y, log_floor, new_figure, nice_tick,
                     plain_log_axis)
from .landscapes import Landscape, get_landscape
from .plots import plot_contour
from .readout import format_loss
from .sliders import gd_run

DIVERGED_COLOR = "tab:red"      # titles of a diverged run only (never a curve beside orange)
WIDEST_LOG_RANGE = (1e-5, 1e6)  # a log loss axis's widest tick labels, to lay the figure out
TRAIN_STYLE = {"color": "tab:blue", "linestyle": "-"}
VAL_STYLE = {"color": "tab:orange", "linestyle": "--"}


def _status_text(status, n_steps):
    """'DIVERGED after 7 steps', 'converged in 12 steps' or '50 steps'."""
    if status == "diverged":
        return f"DIVERGED after {n_steps} steps"
    if status == "converged":
        return f"converged in {n_steps} steps"
    return f"{n_steps} steps"


class SliderFigure:
    """What the three figures share: the Figure, its style, status titles, one legend, PNG.

    A subclass makes its artists in ``__init__`` inside ``with self.styled():``, ends it
    with ``fix_layout``, and defines ``draw(run)``, which sets its artists from the record.
    """

    style = ROOM_STYLE

    def __init__(self, ncols, figsize=None, dpi=None):
        with self.styled():
            self.fig, self.axes = new_figure(ncols, figsize, dpi, self.style)
        self.dynamic, self.rescaled = [], []

    def styled(self):
        """The figure's style as an rc_context, for the artists a figure makes or restyles."""
        return matplotlib.rc_context(self.style)

    def fix_layout(self, dynamic, rescaled=()):
        """End of a subclass's __init__, with its axes at their widest limits: lay the
        figure out once for good and name the artists that change between frames and the
        Axes whose limits may change (everything else is drawn once, as the background)."""
        untitled = [ax for ax in self.axes if not ax.get_title()]
        with self.styled():
            for ax in untitled:                # room for the titles that draw() writes
                ax.set_title("Title")
            self.fig.canvas.draw()
            for ax in untitled:
                ax.set_title("")
        self.fig.set_layout_engine("none")
        self.dynamic, self.rescaled = list(dynamic), list(rescaled)

    def png(self):
        """The figure as drawn now, as PNG bytes."""
        with self.styled():
            return figure_png(self.fig)

    @staticmethod
    def show_status(ax, text, diverged=False):
        """Set ax's title to text, in red for a diverged run, at a fixed height (y=1)."""
        ax.set_title(text, color=DIVERGED_COLOR if diverged else "black", y=1.0)

    def add_legend(self, ncols):
        """One legend for the whole figure, above the panels, so that it covers no curve."""
        handles, labels = [], []
        for ax in self.axes:
            for handle, label in zip(*ax.get_legend_handles_labels()):
                if label not in labels:
                    handles.append(handle)
                    labels.append(label)
        return self.fig.legend(handles, labels, loc="outside upper center", ncols=ncols, frameon=False)


class LandscapeFigure(SliderFigure):
    """A LandscapeRun drawn: its path on the contour map, its loss per step (log scale).

    landscape: a Landscape or a built-in's name; n_steps: the loss axis's length; start
    (2,): the start marker, default the landscape's start. A path that leaves the map
    ends in a marker clipped to the map's border, labelled "left the map".
    """

    def __init__(self, landscape="mountain", n_steps=50, start=None, figsize=None, dpi=None):
        self.landscape = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
        start = np.asarray(self.landscape.start if start is None else start, dtype=float)
        super().__init__(2, figsize, dpi)
        self.ax_map, self.ax_loss = self.axes
        with self.styled():
            ax = self.ax_map
            plot_contour(self.landscape, ax=ax, n=120, levels=20)
            ax.set_autoscale_on(False)
            outline = [withStroke(linewidth=4, foreground="black")]
            ax.plot(*start, marker="o", markersize=14, markerfacecolor="none", markeredgecolor="white",
                    markeredgewidth=2.5, linestyle="none", label="start", path_effects=outline)
            (self.path_line,) = ax.plot([], [], color="white", linewidth=1.5, path_effects=outline,
                                        label="path (a dot per step)")
            # the dots apart from the stroked line: a path effect on markers draws them one by one
            (self.path_dots,) = ax.plot([], [], color="white", marker="o", markersize=5,
                                        markeredgecolor="black", linestyle="none")
            (self.end_marker,) = ax.plot([], [], marker="X", markersize=16, color="tab:orange",
                                         markeredgecolor="black", linestyle="none", label="end",
                                         clip_on=False, zorder=5)
            self.exit_label = ax.annotate("left the map", (0, 0), textcoords="offset points",
                                          xytext=(0, 0), fontsize=14, visible=False, zorder=6,
                                          bbox={"boxstyle": "round", "fc": "white", "alpha": 0.9})
            (self.loss_line,) = self.ax_loss.plot([], [], color="tab:blue", marker=".")
            plain_log_axis(self.ax_loss)
            self.ax_loss.set(xlabel="step", ylabel="loss (log scale)", xlim=(0, n_steps),
                             ylim=WIDEST_LOG_RANGE)
            self.ax_loss.grid(True, alpha=0.3)
            self.add_legend(ncols=4)
        self.fix_layout([self.path_line, self.path_dots, self.end_marker, self.exit_label,
                         self.ax_map.title, self.loss_line, self.ax_loss.title], rescaled=[self.ax_loss])

    def _show_end(self, path):
        """End marker at the last finite point; if that is off the map, the marker sits
        just inside the border on its side, labelled "left the map". Returns whether it left."""
        end = path[np.isfinite(path).all(axis=1)][-1]
        sides, clipped = [], []                # per axis: -1 below the map, +1 above, 0 on it
        for value, (low, high) in zip(end, (self.landscape.xlim, self.landscape.ylim)):
            margin = 0.03 * (high - low)
            sides.append(-1 if value < low else 1 if value > high else 0)
            clipped.append(min(max(value, low + margin), high - margin) if sides[-1] else value)
        self.end_marker.set_data([clipped[0]], [clipped[1]])
        left = any(sides)
        self.exit_label.set_visible(left)
        if left:                               # the label sits on the map's side of the marker
            self.exit_label.xy = tuple(clipped)
            self.exit_label.xyann = (-14 * sides[0], -14 * sides[1])
            self.exit_label.set_horizontalalignment({-1: "left", 0: "center", 1: "right"}[sides[0]])
            self.exit_label.set_verticalalignment({-1: "bottom", 0: "center", 1: "top"}[sides[1]])
        return left

    def draw(self, run):
        """Set the path, the end marker, the loss line, the loss axis and both titles from
        a LandscapeRun. Returns self."""
        with self.styled():
            path = run.path
            near = np.isfinite(path).all(axis=1) & (np.abs(path).max(axis=1) < 1e6)
            self.path_line.set_data(path[near, 0], path[near, 1])
            self.path_dots.set_data(path[near, 0], path[near, 1])
            self._show_end(path)
            self.loss_line.set_data(np.arange(len(run.losses)), log_floor(run.losses))
            fit_log_y(self.ax_loss, run.losses)
            diverged = run.status == "diverged"
            self.show_status(self.ax_map, f"Gradient descent on the {self.landscape.name}, lr = {run.lr:.3g}")
            status = _status_text(run.status, run.n_steps)
            self.show_status(self.ax_loss, status if diverged else
                             f"{status}, final loss {format_loss(run.final_loss)}", diverged)
        return self


class ClassifierFigure(SliderFigure):
    """A ClassifierRun drawn: training and validation loss (log scale) and accuracy per step.

    setup: the ClassifierSetup the runs come from (for the axes' length and the title's reg).
    """

    def __init__(self, setup, figsize=None, dpi=None):
        self.reg, n_steps = setup.reg, setup.n_steps
        super().__init__(2, figsize, dpi)
        self.ax_loss, self.ax_acc = self.axes
        with self.styled():
            (self.train_line,) = self.ax_loss.plot([], [], label="training set", **TRAIN_STYLE)
            (self.val_line,) = self.ax_loss.plot([], [], label="validation set", **VAL_STYLE)
            plain_log_axis(self.ax_loss)
            self.ax_loss.set(xlabel="step (one pass over the training set)", ylabel="loss (log scale)",
                             xlim=(0, n_steps), ylim=WIDEST_LOG_RANGE)
            (self.train_acc_line,) = self.ax_acc.plot([], [], **TRAIN_STYLE)
            (self.val_acc_line,) = self.ax_acc.plot([], [], **VAL_STYLE)
            self.ax_acc.set(xlabel="step", ylabel="accuracy", ylim=(0, 1), xlim=(0, n_steps))
            for ax in self.axes:
                ax.grid(True, alpha=0.3)
            self.add_legend(ncols=2)
        self.fix_layout([self.train_line, self.val_line, self.ax_loss.title, self.train_acc_line,
                         self.val_acc_line, self.ax_acc.title], rescaled=[self.ax_loss])

    def draw(self, run):
        """Set both panels' lines, the loss axis and the titles from a ClassifierRun. Returns self."""
        with self.styled():
            steps = np.arange(len(run.train_losses))
            self.train_line.set_data(steps, log_floor(run.train_losses))
            self.val_line.set_data(steps, log_floor(run.val_losses))
            fit_log_y(self.ax_loss, np.concatenate([run.train_losses, run.val_losses]))
            self.train_acc_line.set_data(steps, run.train_accs)
            self.val_acc_line.set_data(steps, run.val_accs)
            diverged = run.status == "diverged"
            self.show_status(self.ax_loss, f"lr = {run.lr:.3g}, reg = {self.reg:g}: "
                             f"{_status_text(run.status, run.n_steps)}", diverged)
            self.show_status(self.ax_acc, "Accuracy: none, the weights blew up" if diverged else
                             f"Accuracy (final validation: {run.val_acc:.3f})", diverged)
        return self


class SGDFigure(SliderFigure):
    """An SGDRun drawn: SGD's minibatch and full losses and GD's loss, against update step
    (left) and training examples seen (right, log scale, the same range for every batch
    size, so moving the batch slider moves the curves, not the axis).

    setup: the sgd_setup the runs come from. The loss axis runs from ``bottom``, a tick
    just below 90 % of the lowest loss gradient descent reaches at lr = 1 (so the curves
    fill the height), to one of two tops, ``tops``: a tick just above the initial loss,
    or, when a full-loss curve climbs above that, a tick just above twice the initial
    loss. Ticks are multiples of half a power of ten, and the axis takes only these two
    states, so most settings share one of two loss axes (drawn once
    for all of them by ``svg_frames``). A run that blows up leaves the top and
    its title says so; minibatch losses below the bottom leave it too.
    """

    def __init__(self, setup, figsize=None, dpi=None):
        initial = setup.full_loss(setup.w0)
        self.tops = (nice_tick(1.05 * initial, True, HALF_DECADES), nice_tick(2 * initial, True, HALF_DECADES))
        reached = gd_run(setup, 1.0).losses
        reached = reached[np.isfinite(reached)]
        self.bottom = (min(nice_tick(0.9 * reached.min(), False, HALF_DECADES), 0.8 * self.tops[0])
                       if reached.min() > 0 else 0.0)
        self.n_train = len(setup.y_train)
        super().__init__(2, figsize, dpi)
        self.ax_step, self.ax_seen = self.axes
        self.lines = {}
        with self.styled():
            for ax in self.axes:
                self.lines[ax, "batch"] = ax.plot([], [], color="tab:orange", linewidth=1, alpha=0.8,
                                                  label="SGD: minibatch loss")[0]
                self.lines[ax, "full"] = ax.plot([], [], color="tab:blue", marker="o", markersize=6,
                                                 linewidth=2.5, label="SGD: full training loss")[0]
                self.lines[ax, "gd"] = ax.plot([], [], color="black", linewidth=2.5, linestyle="--",
                                               label="GD: full training loss")[0]
                ax.set(ylabel="loss")
                ax.grid(True, alpha=0.3)
            self.ax_step.set(xlabel="update step", xlim=(0, setup.n_steps))
            plain_log_axis(self.ax_seen, "x")
            self.ax_seen.set(xlabel="training examples seen (log scale)",
                             title="The same runs against examples seen",
                             xlim=(0.8, setup.n_steps * self.n_train * 1.25))
            self.add_legend(ncols=3)
        self.fix_layout([*self.lines.values(), self.ax_step.title], rescaled=self.axes)

    def draw(self, run):
        """Set both panels' lines, the loss axis's top and the title from an SGDRun. Returns self."""
        with self.styled():
            gd_x = np.arange(len(run.gd_losses))
            curves = {"batch": (np.arange(1, len(run.batch_losses) + 1), run.examples, run.batch_losses),
                      "full": (run.eval_steps, run.eval_steps * run.batch_size, run.eval_losses),
                      "gd": (gd_x, gd_x * self.n_train, run.gd_losses)}
            for name, (x_step, x_seen, values) in curves.items():
                values = np.where(np.isfinite(values), values, np.nan)
                self.lines[self.ax_step, name].set_data(x_step, values)
                seen = x_seen > 0                   # a log axis has no place for 0 examples
                self.lines[self.ax_seen, name].set_data(x_seen[seen], values[seen])
            full = np.concatenate([run.eval_losses, run.gd_losses])   # minibatch spikes may leave the top
            climbs = not np.all(full <= self.tops[0])                  # NaN and inf climb too
            for ax in self.axes:
                ax.set_ylim(self.bottom, self.tops[climbs])
            self.show_status(self.ax_step, f"lr = {run.lr:.3g}, batch = {run.batch_size}: "
                             f"{_status_text(run.status, run.n_steps)}", run.status == "diverged")
        return self
