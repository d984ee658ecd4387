"""Slider views: figures that rerun an optimizer for one setting of the controls and redraw.

Introduced in 03_gradient_descent.ipynb. This module holds ``SliderView``, the base of
every slider view, and ``LandscapeLRView``; the views on the digits (``ClassifierLRView``,
``SGDView``) build on the same base in ``optim_helpers.classifier_views``.

A view builds its figure once (``frames.new_figure``: ``ROOM_STYLE``, 1200 x 500 px,
never registered with pyplot) and then, for each setting of its controls,
``update(...) -> dict`` reruns the optimizer with BLAS limited to one thread, moves its
lines' data in place, rescales the axes, rewrites the titles, and returns the numbers
it shows. ``update`` is not pure: it changes the view's own figure (and SGDView keeps
the gradient-descent runs it has made, by lr), but the same controls always give the
same figure and the same dict. ``render()`` draws the figure as it is now into PNG bytes
(the parts that did not change are kept as pixels, see ``frames.BlitRenderer``), and
``readout(result)`` gives the text line under it. Tests drive views without a browser;
``optim_helpers.widgets`` wires them to sliders. This module never imports ipywidgets.
"""
import contextlib
import math

import matplotlib
import numpy as np
from matplotlib.patheffects import withStroke
from threadpoolctl import threadpool_limits

from ._checks import as_float_array, check_int, check_positive
from .frames import ROOM_STYLE, BlitRenderer, new_figure, plain_log_axis
from .landscapes import Landscape, get_landscape
from .optimizers import gradient_descent
from .plots import plot_contour
from .readout import format_loss, format_readout

DIVERGED_COLOR = "tab:red"      # titles of a diverged run only (never a curve beside orange)
WIDEST_LOG_RANGE = (1e-5, 1e6)  # a log loss axis's widest tick labels, to lay the figure out


class SliderView:
    """What the three views share: the figure, the drawing context, status titles,
    the result dict, the PNG and the readout.

    A subclass makes its artists in ``__init__`` (inside the style's rc_context), ends
    it with ``fix_layout``, and defines ``update(...) -> dict``: inside ``drawing()`` it
    reruns the optimizer, sets its lines' data, its axes' limits and its titles, and
    returns the numbers it shows. ``render()`` then draws that state as PNG bytes.
    """

    style = ROOM_STYLE

    def __init__(self, ncols, figsize=None, dpi=None):
        with matplotlib.rc_context(self.style):
            self.fig, self.axes = new_figure(ncols, figsize, dpi, self.style)
        self._frames = None

    def fix_layout(self, dynamic, rescaled=()):
        """End of a subclass's __init__, with its axes at their widest limits: lay the
        figure out once for good, and name the artists that change between frames and
        the Axes whose limits may change (frames.BlitRenderer: everything else is
        drawn once, as the background of every frame)."""
        untitled = [ax for ax in self.axes if not ax.get_title()]
        with matplotlib.rc_context(self.style):
            for ax in untitled:                # room for the titles that updates write
                ax.set_title("Title")
            self.fig.canvas.draw()
            for ax in untitled:
                ax.set_title("")
        self.fig.set_layout_engine("none")
        self._frames = BlitRenderer(self.fig, dynamic, rescaled)

    @contextlib.contextmanager
    def drawing(self):
        """Context for an update: the view's style for the artists it makes or restyles,
        and BLAS limited to one thread (these products are too small to gain from a
        second one, and on a busy laptop every product would wait for it)."""
        with matplotlib.rc_context(self.style), threadpool_limits(limits=1, user_api="blas"):
            yield

    def render(self):
        """The figure as it is now, as PNG bytes: the background drawn once, the
        rescaled Axes when their limits change, the dynamic artists every time."""
        with matplotlib.rc_context(self.style):
            return self._frames.png()

    @staticmethod
    def readout(result):
        """The text line under the figure: format_readout(result)."""
        return format_readout(result)

    @staticmethod
    def status_text(status, n_steps):
        """'DIVERGED after 7 steps', 'converged in 12 steps' or '50 steps'."""
        if status == "diverged":
            return f"DIVERGED after {n_steps} steps"
        if status == "converged":
            return f"converged in {n_steps} steps"
        return f"{n_steps} steps"

    @staticmethod
    def show_status(ax, text, diverged=False):
        """Set ax's title to text, in red for a diverged run. The title's height is fixed
        (y=1, above the Axes), so that it stays put when the background is redrawn."""
        ax.set_title(text, color=DIVERGED_COLOR if diverged else "black", y=1.0)

    @staticmethod
    def make_result(lr, history, final_loss, **extra):
        """The dict every update returns: lr, status, final_loss, n_steps, then extra."""
        return {"lr": float(lr), "status": history.status, "final_loss": float(final_loss),
                "n_steps": int(history.n_steps), **extra}

    def add_legend(self, ncols):
        """One legend for the whole figure, above the panels, so that it covers no curve."""
        handles, labels = [], []
        for ax in self.axes:
            for handle, label in zip(*ax.get_legend_handles_labels()):
                if label not in labels:
                    handles.append(handle)
                    labels.append(label)
        return self.fig.legend(handles, labels, loc="outside upper center", ncols=ncols,
                               frameon=False)


def _log_floor(values, floor=1e-8):
    """Values for a log-scale plot: non-finite ones NaN (left out), tiny ones raised to floor."""
    values = np.asarray(values, dtype=np.float64).copy()
    values[~np.isfinite(values)] = np.nan
    return np.maximum(values, floor, where=np.isfinite(values), out=values)


def _ladder(value, up):
    """The next number of the 1-2-5 ladder (..., 0.5, 1, 2, 5, 10, ...) at or above
    (up) or at or below (not up) a value > 0."""
    exponent = math.floor(math.log10(value))
    mantissa = value / 10 ** exponent
    if up:
        return next(s for s in (1, 2, 5, 10) if s >= mantissa * (1 - 1e-9)) * 10 ** exponent
    return max(s for s in (1, 2, 5) if s <= mantissa * (1 + 1e-9)) * 10 ** exponent


def _fit_log_y(ax, values, floor=1e-8):
    """Set a log axis's y limits to the 1-2-5 ladder steps around the finite values
    (raised to floor), with 5 % to spare: moving a slider changes them only when a
    curve crosses a step, so the axis stays readable (and its ticks stay drawn)."""
    values = np.asarray(values, dtype=np.float64)
    values = np.maximum(values[np.isfinite(values)], floor)
    if not len(values):
        return ax
    low, high = _ladder(values.min() / 1.05, up=False), _ladder(values.max() * 1.05, up=True)
    ax.set_ylim(low, high if high > low else _ladder(low * 1.5, up=True))
    return ax


# --------------------------------------------------------------------------- 2-D landscape

class LandscapeLRView(SliderView):
    """Gradient descent on a 2-D landscape: path on the contour map + loss curve.

    Inputs: landscape (a Landscape, built-in or your own, or a built-in's name),
    n_steps >= 1, start (2,) (default: the landscape's own start), figsize, dpi. The
    contour map and its colour bar are drawn once; each ``update(lr)`` reruns
    ``optimizers.gradient_descent`` from ``start`` and moves the path, the end marker
    and the loss line. A path that leaves the map ends in a marker clipped to the
    map's border, labelled "left the map". Introduced in 03_gradient_descent.ipynb.
    """

    def __init__(self, landscape="mountain", n_steps=50, start=None, figsize=None, dpi=None):
        self.landscape = landscape if isinstance(landscape, Landscape) else get_landscape(landscape)
        self.n_steps = check_int("n_steps", n_steps, 1)
        start = self.landscape.start if start is None else start
        self.start = as_float_array("start", start).copy()
        if self.start.shape != (2,):
            raise ValueError(f"start must be one point (w1, w2), got shape {self.start.shape}")
        super().__init__(2, figsize, dpi)
        self.ax_map, self.ax_loss = self.axes
        with matplotlib.rc_context(self.style):
            self._draw_map()
            (self.loss_line,) = self.ax_loss.plot([], [], color="tab:blue", marker=".")
            plain_log_axis(self.ax_loss)
            self.ax_loss.set(xlabel="step", ylabel="loss (log scale)", xlim=(0, self.n_steps),
                             ylim=WIDEST_LOG_RANGE)
            self.ax_loss.grid(True, alpha=0.3)
            self.add_legend(ncols=4)
        self.fix_layout([self.path_line, self.path_dots, self.end_marker, self.exit_label,
                         self.ax_map.title, self.loss_line, self.ax_loss.title],
                        rescaled=[self.ax_loss])

    def _draw_map(self):
        ax = self.ax_map
        plot_contour(self.landscape, ax=ax, n=120, levels=20)
        ax.set_autoscale_on(False)
        outline = [withStroke(linewidth=4, foreground="black")]
        ax.plot(*self.start, marker="o", markersize=14, markerfacecolor="none",
                markeredgecolor="white", markeredgewidth=2.5, linestyle="none", label="start",
                path_effects=outline)
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

    def run(self, lr):
        """The descent itself: a History from gradient_descent(landscape.loss_grad, start, lr)."""
        lr = check_positive("lr", lr)
        return gradient_descent(self.landscape.loss_grad, self.start, lr, n_steps=self.n_steps)

    def _show_end(self, path):
        """End marker at the last finite point; if that is off the map, the marker sits
        just inside the border on its side, labelled "left the map". Returns whether it left."""
        end = path[np.isfinite(path).all(axis=1)][-1]
        sides = []                             # per axis: -1 below the map, +1 above, 0 on it
        clipped = []
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

    def update(self, lr):
        """Rerun gradient descent at learning rate lr; set the path, the end marker (and
        "left the map"), the loss line, the loss axis's limits and both titles of the
        view's figure (render() draws them). Returns {"lr", "status", "final_loss",
        "n_steps", "landscape"}."""
        with self.drawing():
            history = self.run(lr)
            path = history.path
            near = np.isfinite(path).all(axis=1) & (np.abs(path).max(axis=1) < 1e6)
            self.path_line.set_data(path[near, 0], path[near, 1])
            self.path_dots.set_data(path[near, 0], path[near, 1])
            self._show_end(path)
            self.loss_line.set_data(np.arange(len(history.losses)), _log_floor(history.losses))
            _fit_log_y(self.ax_loss, history.losses)
            diverged = history.status == "diverged"
            final = float(history.losses[-1])
            self.show_status(self.ax_map, f"Gradient descent on the {self.landscape.name}, "
                                          f"lr = {lr:.3g}")
            status = self.status_text(history.status, history.n_steps)
            self.show_status(self.ax_loss, status if diverged else
                             f"{status}, final loss {format_loss(final)}", diverged)
        return self.make_result(lr, history, final, landscape=self.landscape.name)
