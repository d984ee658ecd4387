"""Frames for a projector: figures that live off pyplot, their look, and their PNG bytes.

Introduced in 03_gradient_descent.ipynb (the slider figures); ``ROOM_STYLE`` is also
what a notebook's Setup cell may apply to its own figures::

    plt.rcParams.update(plots.ROOM_STYLE)

This module imports matplotlib's object API only (never pyplot, never ipywidgets), and
importing it changes no matplotlib setting: ``new_figure`` applies ``ROOM_STYLE`` through
a local ``rc_context``.

* ``new_figure(ncols)`` -> (Figure, Axes array): a Figure with its own Agg canvas, never
  registered with pyplot (so nothing leaks into a notebook's output);
* ``figure_png(fig)`` -> PNG bytes of the figure at its own dpi;
* ``plain_log_axis(ax, "y")``: a log axis whose ticks read 0.2, 1, 5, 1e+08 instead of
  2x10^-1; ``nice_tick`` rounds a value to a tick of a ladder (1-2-5, or half decades),
  ``fit_log_y`` sets a log axis's limits to such ticks, ``log_floor`` readies values for it;
"""
import math
import struct
import zlib

import matplotlib
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, LogLocator

from ._checks import as_float_array, check_int, check_positive

# Colour-blind-safe colours, in the order the curves of a figure use them: blue, orange
# and black first (never orange beside red), then Okabe and Ito's bluish green, reddish
# purple and sky blue.
COLORS = ("tab:blue", "tab:orange", "black", "#009E73", "#CC79A7", "#56B4E9")

# One look for a room: 1200 x 500 px at 100 dpi, text 14 pt (ticks, legends) and 16 pt
# (axis labels, titles), thick lines, the colours above.
ROOM_STYLE = {
    "figure.figsize": (12.0, 5.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 16,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "legend.title_fontsize": 14,
    "figure.titlesize": 16,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=list(COLORS)),
}

PNG_COMPRESS_LEVEL = 1   # zlib level: fast, for a picture drawn on demand (a background drawn once uses 9)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def new_figure(ncols, figsize=None, dpi=None, style=ROOM_STYLE):
    """A Figure of ncols panels side by side, with its own Agg canvas, drawn in ``style``.

    figsize (inches) and dpi default to the style's (12 x 5 at 100 dpi: 1200 x 500 px).
    Each panel is one Axes in its own subfigure of equal width, so that each gets the
    margins its own labels and colour bar need. The style is applied through a local
    rc_context: artists made now get it, the global settings stay as they are.
    Returns (fig, axes), axes a list of ncols Axes.
    """
    ncols = check_int("ncols", ncols, 1)
    with matplotlib.rc_context(style):
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        axes = [panel.subplots() for panel in np.atleast_1d(fig.subfigures(1, ncols))]
    return fig, axes


def figure_png(fig, compress_level=None):
    """Render a Figure at its own dpi to PNG bytes (what a slider's Image widget shows).

    The first render fixes the layout (the layout engine is switched off afterwards),
    so later frames of the same figure do not jump around, and render faster.
    compress_level: zlib level 0 (none) ... 9 (smallest, slowest); None: PNG_COMPRESS_LEVEL.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")
    return rgba_png(fig.canvas.buffer_rgba(), compress_level)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgba_png(rgba, compress_level=None):
    """PNG bytes of an (H, W, 4) RGBA pixel buffer, alpha dropped: 8-bit RGB, each row
    stored unfiltered, deflated at compress_level (as in figure_png). NumPy and zlib only:
    the package does not depend on PIL.
    """
    if compress_level is None:
        compress_level = PNG_COMPRESS_LEVEL
    compress_level = check_int("compress_level", compress_level, 0, 9)
    pixels = np.asarray(rgba)
    if pixels.dtype != np.uint8:
        raise TypeError(f"rgba must hold uint8 pixels, got dtype {pixels.dtype}")
    if pixels.ndim != 3 or pixels.shape[2] != 4 or 0 in pixels.shape:
        raise ValueError(f"rgba must have shape (H, W, 4), got {pixels.shape}")
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)    # column 0: filter type 0 (none)
    rows[:, 1:].reshape(height, width, 3)[...] = pixels[..., :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (PNG_SIGNATURE + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows, compress_level))
            + _png_chunk(b"IEND", b""))


class PlainLogLabels(Formatter):
    """Tick labels for a log axis as plain numbers, never 2x10^-1, in one form per axis:
    decimals (0.001, 0.2, 1, 30) while the view lies within [1e-4, 1e6), else all in
    e-notation (1e-5, 0.001 -> 1e-3, 1e+2), so that one axis never mixes the two.

    For the major ticks (``minor=False``) every tick is labelled. For the minor ticks:
    none when the view spans 2 decades or more, those at 2 and 5 times a power of ten
    when it spans less, all of them when it spans less than half a decade.
    """

    def __init__(self, minor=False):
        self.minor = minor

    def _text(self, value, low, high):
        if low < 1e-4 or high >= 1e6:
            return np.format_float_scientific(value, precision=2, trim="-", exp_digits=1)
        return f"{value:g}"

    def __call__(self, value, pos=None):
        low, high = sorted(self.axis.get_view_interval())
        if not self.minor or value <= 0:
            return self._text(value, low, high)
        decades = math.log10(high / low) if low > 0 else math.inf
        if decades >= 2:
            return ""
        mantissa = value / 10 ** math.floor(math.log10(value) + 1e-9)
        if decades < 0.5 or min(abs(mantissa - 2), abs(mantissa - 5)) < 1e-6:
            return self._text(value, low, high)
        return ""


def plain_log_axis(ax, which="y"):
    """Put ax's x or y axis on a log scale whose ticks read as plain numbers.

    Minor ticks at 2 and 5 times each power of ten; see PlainLogLabels for which ticks
    get a label. Returns the Axes.
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    if which not in ("x", "y"):
        raise ValueError(f"which must be 'x' or 'y', got {which!r}")
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis.set_minor_locator(LogLocator(base=10.0, subs=(2.0, 5.0)))
    axis.set_major_formatter(PlainLogLabels())
    axis.set_minor_formatter(PlainLogLabels(minor=True))
    return ax


LADDER_125 = (1, 2, 5)                                    # 0.1, 0.2, 0.5, 1, 2, 5, 10, ...
HALF_DECADES = tuple(k / 2 for k in range(2, 20))        # 1, 1.5, 2, ..., 9.5: multiples of 10^e / 2


def nice_tick(value, up, mantissas=LADDER_125):
    """The nearest tick at or above (up) or at or below (not up) a value > 0, the ticks
    being m * 10**e for m in mantissas (sorted, in [1, 10)). The 1-2-5 ladder:
    3.2 -> 5 up, 2 down; HALF_DECADES: 2.42 -> 2.5 up, 0.83 -> 0.8 down."""
    value = check_positive("value", value)
    if not isinstance(up, bool):
        raise TypeError(f"up must be True or False, got {type(up).__name__}")
    exponent = math.floor(math.log10(value))
    ticks = [m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1) for m in mantissas]
    if up:
        return min(t for t in ticks if t >= value * (1 - 1e-9))
    return max(t for t in ticks if t <= value * (1 + 1e-9))


def log_floor(values, floor=1e-8):
    """Values for a log-scale plot: non-finite ones NaN (left out), tiny ones raised to floor.
    Returns a new float array; values is not changed."""
    values = as_float_array("values", values, finite=False, allow_empty=True).copy()
    floor = check_positive("floor", floor)
    values[~np.isfinite(values)] = np.nan
    return np.maximum(values, floor, where=np.isfinite(values), out=values)


def fit_log_y(ax, values, floor=1e-8):
    """Set a log axis's y limits to the 1-2-5 ticks around the finite values (raised to
    floor), with 5 % to spare: moving a slider changes them only when a curve crosses a
    tick, so the axis stays readable. Returns the Axes."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    values = log_floor(values, floor)
    values = values[np.isfinite(values)]
    if len(values):
        low, high = nice_tick(values.min() / 1.05, up=False), nice_tick(values.max() * 1.05, up=True)
        ax.set_ylim(low, high if high > low else nice_tick(low * 1.5, up=True))
    return ax
