"""Tests for optim_helpers.svg_frames: a slider figure as a background plus SVG overlays.

No browser here (tests/delivery/test_browser.py draws overlays in Chromium): these check
the markup. Every overlay and the shared SVG parse as XML; every reference (<use href>,
clip-path url) resolves to an id of the shared SVG; the compact paths draw the same points
as matplotlib's, to 0.1 pt; the text is matplotlib's text, unrounded; the background
leaves out exactly the parts the overlays draw.
"""
import re
from xml.etree import ElementTree

import numpy as np
import pytest

from optim_helpers import slider_figures, sliders, svg_frames


def absolute_points(d):
    """The points of a path of only M/m/L/l steps (the compact form or matplotlib's)."""
    tokens = re.findall(r"[MmLl]|-?\d+(?:\.\d+)?", d)
    points, command, x, y, i = [], None, 0.0, 0.0, 0
    while i < len(tokens):
        if tokens[i] in "MmLl":
            command = tokens[i]
            i += 1
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        x, y = (dx, dy) if command in "ML" else (x + dx, y + dy)
        points.append((x, y))
        if command == "m":
            command = "l"
        elif command == "M":
            command = "L"
    return np.array(points)


@pytest.fixture(scope="module")
def layers(small):
    setup = sliders.sgd_setup(*small, n_steps=12, eval_every=4, rng=np.random.default_rng(0))
    figure = slider_figures.SGDFigure(setup)
    frames = svg_frames.FrameLayers(figure, prefix="test")
    settings = [(lr, b) for lr in (0.1, 1.0, 100.0) for b in (4, 16)]
    for lr, b in settings:
        figure.draw(sliders.sgd_run(setup, lr, b))
        frames.add()
    return frames, settings, figure, setup


def test_compact_path_draws_the_same_points():
    d = "M 104.503816 120.995398 \nL 109.224313 137.818223 \nL 113.94481 153.384211 \nM 50 60 \nL 49.96 -2.04 "
    compact = svg_frames._compact_path(d)
    assert compact.startswith("M104.5 121") and "l" in compact
    np.testing.assert_allclose(absolute_points(compact), absolute_points(d), atol=0.051)


def test_compact_svg_keeps_text_and_drops_the_rest():
    svg = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
           ' <metadata><rdf:RDF>creator</rdf:RDF></metadata>\n <g id="text_1">\n'
           '  <text style="font-size: 16px; font-family: \'DejaVu Sans\', \'Arial\', sans-serif" '
           'x="1.234567" y="2.345678" transform="rotate(-0 1.234567 2.345678)">lr = 0.00133, batch = 8</text>\n'
           ' </g>\n</svg>\n')
    out = svg_frames.compact_svg(svg)
    assert out.startswith("<svg") and "metadata" not in out and "text_1" not in out and "rotate" not in out
    assert ">lr = 0.00133, batch = 8</text>" in out            # numbers in text are not rounded
    assert "x='1.2'" in out and "y='2.3'" in out and '"' not in out
    assert "font-family:DejaVu Sans,sans-serif" in out
    ElementTree.fromstring(out)


def test_overlays_parse_and_every_reference_resolves(layers):
    frames, settings, _, _ = layers
    shared = ElementTree.fromstring(frames.shared_defs())
    ids = {el.get("id") for el in shared.iter() if el.get("id")}
    assert shared.get("width") == "0" and shared.get("height") == "0"
    for number in range(len(settings)):
        overlay = ElementTree.fromstring(frames.overlay(number))
        assert overlay.get("viewBox") == "0 0 864 360"           # 1200 x 500 px at 100 dpi, in points
        inline = {el.get("id") for el in overlay.iter() if el.get("id")}
        for el in overlay.iter():
            for ref in re.findall(r"#([\w-]+)", (el.get("href") or "") + (el.get("clip-path") or "")):
                assert ref in ids or ref in inline, f"overlay {number}: #{ref} is defined nowhere"


def test_parts_seen_twice_are_shared_once(layers):
    frames, settings, _, _ = layers
    overlays = [frames.overlay(n) for n in range(len(settings))]
    # gradient descent's curve depends on lr only: the two batch sizes of one lr share it
    for lr_first in range(0, len(settings), 2):
        a, b = (set(re.findall(r"href='#(test-[0-9a-f]+)'", overlays[lr_first + k])) for k in (0, 1))
        assert a & b, f"settings {settings[lr_first]} and {settings[lr_first + 1]} share no part"
    shared = frames.shared_defs()
    for part_id in set(re.findall(r"href='#(test-[0-9a-f]+)'", "".join(overlays))):
        assert shared.count(f"id='{part_id}'") == 1


def test_overlays_differ_and_say_their_setting(layers):
    frames, settings, _, _ = layers
    overlays = [frames.overlay(n) for n in range(len(settings))]
    assert len(set(overlays)) == len(overlays)
    for (lr, b), overlay in zip(settings, overlays):
        assert f"lr = {lr:.3g}, batch = {b}" in overlay + frames.shared_defs()


def test_the_same_record_gives_the_same_overlay(layers):
    frames, settings, figure, setup = layers
    figure.draw(sliders.sgd_run(setup, *settings[0]))
    lone = svg_frames.FrameLayers(figure, prefix="test")
    lone.add()
    first = frames.overlay(0)
    # the same parts, whether shared or inline: compare with references resolved
    assert resolve(lone.overlay(0), lone.shared_defs()) == resolve(first, frames.shared_defs())


def resolve(overlay, shared):
    parts = dict(re.findall(r"<g id='([\w-]+)'>(.*?)</g>(?=<g id=|</defs>)", shared))
    return re.sub(r"<use href='#([\w-]+)'/>", lambda m: parts.get(m.group(1), m.group(0)), overlay)


def test_the_background_leaves_out_what_the_overlays_draw(layers):
    frames, _, figure, _ = layers
    visible = [artist.get_visible() for artist in frames.parts]
    png = frames.background_png()
    assert png.startswith(b"\x89PNG") and [a.get_visible() for a in frames.parts] == visible
    assert png != figure.png()                                # the curves and titles are not in it
    assert all(ax.yaxis in frames.parts for ax in figure.rescaled)


def test_bad_input():
    with pytest.raises(TypeError, match=r"\bsvg\b"):
        svg_frames.compact_svg(b"<svg></svg>")
    with pytest.raises(ValueError, match=r"\bsvg\b"):
        svg_frames.compact_svg("<html></html>")
    with pytest.raises(TypeError, match=r"\bfigure\b"):
        svg_frames.FrameLayers(object())
