"""Frames that need no kernel: a slider figure as one PNG background plus a small SVG per setting.

Introduced in 03_gradient_descent.ipynb (the learning-rate sliders); used by every slider
panel of ``optim_helpers.widgets``.

A slider figure (``slider_figures``) has parts that never change (the contour map, the
frame, the legend) and parts that ``draw(run)`` sets: its ``dynamic`` artists (lines,
titles) and the y axis of each of its ``rescaled`` Axes. ``FrameLayers(figure)`` turns them
into what a web page can show without Python:

* ``background_png()``: the figure with every changing part hidden, as PNG bytes
  (1200 x 500 px, drawn once);
* ``add()``: records the changing parts as drawn now (after ``figure.draw(run)``) and
  returns the record's number; ``overlay(number)`` is that record as an ``<svg>`` of the
  figure's size (its viewBox is in points, 864 x 360 for 1200 x 500 px at 100 dpi), drawn
  by matplotlib's own SVG renderer, then made compact (positions rounded to 0.1 pt, path
  steps relative);
* ``shared_defs()``: the parts that more than one setting shows, each once. A part seen
  before (the same gradient-descent curve for every batch size, the same loss axis for
  many learning rates) is not copied into each overlay but referenced (``<use>``) from an
  ``<svg>`` of these shared parts, which the page shows once, next to the background.

Text in an overlay is SVG text in the figure's font ('DejaVu Sans', else the browser's
sans-serif). This module never imports pyplot or ipywidgets.
"""
import hashlib
import io
import re
from collections import Counter

import matplotlib
from matplotlib.axis import Axis
from matplotlib.backends.backend_svg import RendererSVG

from .frames import figure_png

SVG_DPI = 72                  # an SVG's unit is the point: the figure is drawn at 72 dpi
FONT = "font-family:DejaVu Sans,sans-serif"
_NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")
_PATH = re.compile(r'\bd="([^"]*)"')
_GROUP_ID = re.compile(r' id="(?!p[0-9a-f]{10}"|m[0-9a-f]{10}"|part-)[^"]*"')  # but clip paths, markers, parts
_PART = re.compile(r"<g id='part-(\d+)'>")
_DEFS = re.compile(r"<defs>(.*?)</defs>")
_ROUNDED = re.compile(r'\s(x|y|width|height|transform)="([^"]*)"')   # positions: to 0.1 pt
_MARKERS = re.compile(r'<g clip-path="([^"]*)">((?:<use [^>]*/>)+)</g>')  # a line's markers
_STYLE = re.compile(r' style="([^"]*)"')
ROOT_STYLE = "stroke-linejoin:round;stroke-linecap:butt"   # matplotlib's SVG style sheet


def _short(tenths):
    """'12.3', '-4', '0' for a whole number of tenths."""
    text = f"{tenths / 10:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _compact_path(d):
    """An SVG path of matplotlib's (absolute M and L steps) with coordinates rounded to
    0.1 pt and every step after the first relative ('M1 2l3 4 5 6'). Other paths: rounded only."""
    tokens = d.split()
    if not tokens or not set(t for t in tokens if t.isalpha()) <= {"M", "L"}:
        return _NUMBER.sub(lambda m: _short(round(float(m.group()) * 10)), " ".join(tokens))
    out, previous, x, y = [], None, 0, 0
    for i in range(0, len(tokens) - 2, 3):
        command, nx, ny = tokens[i], round(float(tokens[i + 1]) * 10), round(float(tokens[i + 2]) * 10)
        if not out:
            out.append(f"M{_short(nx)} {_short(ny)}")
        else:                              # after m or l, a bare pair of numbers is another l
            step = "m" if command == "M" else "l"
            out.append(("" if step == previous else step) + f"{_short(nx - x)} {_short(ny - y)}")
            previous = "l"
        x, y = nx, ny
    return " ".join(out).replace(" -", "-")


def compact_svg(svg):
    """matplotlib's SVG output without its prologue, metadata, style sheet, group ids and
    extra spaces, with positions to 0.1 pt and path steps relative (text is left as it is).
    Returns the <svg> element as a string."""
    if not isinstance(svg, str):
        raise TypeError(f"svg must be a str (matplotlib's SVG output), got {type(svg).__name__}")
    if "<svg" not in svg or "</svg>" not in svg:
        raise ValueError("svg must hold an <svg> element (matplotlib's SVG output)")
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<style type=\"text/css\">.*?</style>", "", svg, flags=re.S)
    svg = _GROUP_ID.sub("", svg)
    svg = _PATH.sub(lambda m: f'd="{_compact_path(m.group(1))}"', svg)
    svg = re.sub(r' transform="rotate\(-0 [^)]*\)"', "", svg)
    svg = _ROUNDED.sub(lambda m: f' {m.group(1)}="' + _NUMBER.sub(
        lambda n: _short(round(float(n.group()) * 10)), m.group(2)) + '"', svg)
    svg = re.sub(r"font-family: [^;\"]*", FONT, svg)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    svg = re.sub(r">\s+<", "><", svg).replace("xlink:href=", "href=")
    svg = _STYLE.sub(lambda m: ' style="' + re.sub(r"\s*([:;])\s*", r"\1", m.group(1)).strip(";") + '"', svg)
    svg = _MARKERS.sub(_hoist_marker_style, svg)
    svg = svg.replace("<defs></defs>", "").replace("<g></g>", "")
    return re.sub(r'="([^"\']*)"', r"='\1'", svg)     # ' needs no escape in JSON, " does


def _hoist_marker_style(match):
    """A line's markers (<use> elements) share one style: write it once, on their group."""
    styles = set(_STYLE.findall(match.group(2)))
    if len(styles) != 1:
        return match.group(0)
    return f'<g clip-path="{match.group(1)}" style="{styles.pop()}">{_STYLE.sub("", match.group(2))}</g>'


def _inner(svg):
    """The content of an <svg> element (what lies between its tags)."""
    return svg[svg.index(">") + 1:svg.rindex("</svg>")]


class FrameLayers:
    """A slider figure's background and per-setting overlays (see the module docstring).

    figure: a SliderFigure (its ``dynamic`` artists and ``rescaled`` Axes). For each
    setting call ``figure.draw(run)`` then ``add()``; then ``overlay(number)`` and
    ``shared_defs()``. A shared part's id is ``prefix`` and a hash of its content, so two
    panels in one page share an id only for the same drawing.
    """

    def __init__(self, figure, prefix="optim"):
        if not (hasattr(figure, "fig") and hasattr(figure, "dynamic") and hasattr(figure, "styled")):
            raise TypeError(f"figure must be a slider figure (slider_figures), got {type(figure).__name__}")
        if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z][\w-]*", prefix):
            raise ValueError(f"prefix must start an HTML id (a letter, then letters, digits, - or _), got {prefix!r}")
        self.figure = figure
        self.parts = [*[ax.yaxis for ax in figure.rescaled], *figure.dynamic]
        self.prefix = prefix
        self._overlays = []         # per overlay: its parts' SVG
        self._seen = Counter()      # part SVG -> in how many overlays
        self._defs = {}             # clip paths and markers the parts use (in order, once)
        self._axes = {}             # an axis part's limits -> its SVG
        width, height = figure.fig.get_size_inches() * SVG_DPI
        self.viewbox = f"0 0 {_short(round(width * 10))} {_short(round(height * 10))}"

    def background_png(self):
        """The figure without its changing parts (PNG bytes, at the figure's dpi)."""
        hidden = [a for a in self.parts if a.get_visible()]
        for artist in hidden:
            artist.set_visible(False)
        try:
            with self.figure.styled():
                return figure_png(self.figure.fig, compress_level=9)   # drawn once: worth it
        finally:
            for artist in hidden:
                artist.set_visible(True)

    def _render(self):
        """The visible parts as drawn now: a list of SVG strings (their defs kept apart)."""
        buffer, fig = io.StringIO(), self.figure.fig
        dpi = fig.dpi
        fig.dpi = SVG_DPI
        try:
            with self.figure.styled(), matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "optim"}):
                renderer = RendererSVG(*(fig.get_size_inches() * SVG_DPI), buffer, image_dpi=SVG_DPI)
                for number, artist in enumerate(self.parts):
                    renderer.open_group("part", gid=f"part-{number}")
                    if self._limits(artist) not in self._axes:
                        artist.draw(renderer)
                    renderer.close_group("part")
                renderer.finalize()
        finally:
            fig.dpi = dpi
        svg = _inner(compact_svg(buffer.getvalue()))
        for definition in _DEFS.findall(svg):
            self._defs.setdefault(definition, None)
        svg = _DEFS.sub("", svg)
        marks = list(_PART.finditer(svg))
        ends = [m.start() for m in marks[1:]] + [len(svg)]
        parts = {int(mark.group(1)): svg[mark.end():end][:-len("</g>")] for mark, end in zip(marks, ends)}
        for number, artist in enumerate(self.parts):
            key = self._limits(artist)
            if key is not None:        # an axis: drawn once for each pair of limits
                parts[number] = self._axes.setdefault(key, parts.get(number, ""))
        return [part for _, part in sorted(parts.items()) if part]

    @staticmethod
    def _limits(artist):
        """For an Axis part, what its drawing depends on (its Axes' limits); None otherwise."""
        if isinstance(artist, Axis):
            return id(artist), artist.axes.get_xlim(), artist.axes.get_ylim(), artist.get_visible()
        return None

    def add(self):
        """Record the figure's changing parts as drawn now; returns the overlay's number."""
        parts = self._render()
        self._seen.update(set(parts))
        self._overlays.append(parts)
        return len(self._overlays) - 1

    def _id(self, part):
        return f"{self.prefix}-{hashlib.sha1(part.encode()).hexdigest()[:10]}"

    def overlay(self, number):
        """The <svg> of overlay `number`: its own parts inline, the shared ones as <use>."""
        body = "".join(f"<use href='#{self._id(part)}'/>" if self._seen[part] > 1 else part
                       for part in self._overlays[number])
        return (f"<svg class='optim-overlay' viewBox='{self.viewbox}' "
                f"style='display:block;width:100%;height:auto;{ROOT_STYLE}'>{body}</svg>")

    def shared_defs(self):
        """An <svg> that draws nothing, holding the clip paths and markers of every overlay
        and each part that more than one overlay shows, once."""
        shared = sorted(part for part, n in self._seen.items() if n > 1)
        defs = "".join(self._defs) + "".join(f"<g id='{self._id(part)}'>{part}</g>" for part in shared)
        return (f"<svg class='optim-shared' width='0' height='0' style='position:absolute;{ROOT_STYLE}' "
                f"aria-hidden='true'><defs>{defs}</defs></svg>")
