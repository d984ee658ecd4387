"""The slide layer and the offline reveal.js decks (tools/build_slides.py).

Without a browser:
- every lecture notebook follows the rules of slides/AUTHORING.md (tools/check_slides.py's
  static check: slide types valid for both paths, code hidden in both paths, no test
  marker on a slide, short code, short prose, notes on every slide, the deck's shape);
- the rules accept a compliant notebook (a small "probe" deck made here) and catch each
  kind of mistake; nbval 0.11 honours the cell tag `nbval-ignore-output` that replaces
  the `# NBVAL_IGNORE_OUTPUT` comment;
- each deck loads nothing from the network (no remote URL in any src/href/srcset, inline
  CSS or inline script), and the cell tags and slide types took effect.

In headless Chromium (marked `browser`), from file:// with every non-file request aborted
and recorded:
- the probe deck: 16:9 (1280 x 720 reveal.js slides), body type >= 4.5 % of the slide
  height, pseudo-code keeps its line breaks, hidden code stays hidden, `s` opens the
  speaker view with the notes, every slide fits;
- every lecture deck, at 1280x720 and 1920x1080: every slide fits the screen, no code is
  cut at the right, no request leaves the disk; math is typeset and saved widgets drawn;
- the decks with kernel-free sliders (03 and 04, English and Korean): on each slider's
  slide, arrow keys on its handle move the figure (the SVG overlay) and the readout to the
  saved frame of the new position and back, with no kernel, the deck staying on the slide;
  Space and PageDown on the handle still move the deck and not the slider;
- faults: without JavaScript each of those decks reads as one page under a note, each
  slider shown at its saved setting (background image with the overlay laid on it, and the
  readout); a deck copied alone (no vendor/ beside it) says so in its own language and
  shows the same page, with no page error and no request off disk.
"""
import base64
import contextlib
import html.parser
import io
import json
import re
import sys

import nbformat
import pytest

import browser_support as bs
import saved_sliders

ROOT = bs.ROOT
sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402
import check_slides  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SLIDER_NOTEBOOKS = [ROOT / "notebooks" / lang / name for lang in ("", "ko")
                    for name in ("03_gradient_descent.ipynb", "04_stochastic_gradient_descent.ipynb")]
slider_ids = [f"{'ko' if build_slides.is_korean(nb) else 'en'}-{nb.stem[:2]}" for nb in SLIDER_NOTEBOOKS]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SLIDES = ROOT / "slides"
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
ids = [p.name for p in NOTEBOOKS]
PSEUDO = ["Require: learning rates e_1, e_2, ...", "Require: initial parameter theta", "k <- 1",
          "while stopping criterion not met do", "    theta <- theta - e_k * g", "end while"]


# --------------------------------------------------------------------------- a compliant probe deck

def _png(width_px=1200, height_px=500):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_px / 100, height_px / 100), dpi=100)
    ax.plot([0, 1, 2], [2, 0.5, 0.2])
    ax.set_title("PROBE FIGURE", fontsize=16)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def probe_notebook():
    """A small notebook that follows every rule of slides/AUTHORING.md."""
    nbf = nbformat.v4
    style = json.loads(check_slides.LIVE_STYLE_FILE.read_text(encoding="utf-8"))

    def md(source, kind=None):
        cell = nbf.new_markdown_cell(source)
        if kind:
            cell.metadata["slideshow"] = {"slide_type": kind}
        return cell

    def code(source, kind=None, hidden=False, tags=(), outputs=()):
        cell = nbf.new_code_cell(source, outputs=list(outputs), execution_count=1)
        if kind:
            cell.metadata["slideshow"] = {"slide_type": kind}
        if hidden:
            cell.metadata["jupyter"] = {"source_hidden": True}
        cell.metadata["tags"] = [*tags, *(["remove-input"] if hidden else [])]
        return cell

    figure = nbf.new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"})
    printed = nbf.new_output("stream", name="stdout", text="SHOWN_OUTPUT 42\n")
    cells = [
        code("print('colab only')", "skip", tags=["remove-cell"]),
        md("# Probe deck\n\n*Lecture 0 of 0*: a deck that follows the rules.", "slide"),
        md("## Agenda\n\n1. Pseudo-code\n2. A figure\n3. Code that is the lesson", "slide"),
        md("NOTES_AGENDA: what we will do today.", "notes"),
        md("## Pseudo-code\n\n```text\n" + "\n".join(PSEUDO) + "\n```", "slide"),
        md("NOTES_PSEUDO: read the loop line by line.", "notes"),
        md("## A figure\n\nThe loss falls.", "slide"),
        code("HIDDEN_SOURCE = 1\nprint('plumbing')", hidden=True, outputs=[figure]),
        md("NOTES_FIGURE: point at the first step.", "notes"),
        md("## Code that is the lesson", "slide"),
        code("total = 0\nfor k in range(3):\n    total += k\nprint('SHOWN_OUTPUT', 42)",
             tags=["nbval-ignore-output"], outputs=[printed]),
        md("And one more thing.", "fragment"),
        md("NOTES_CODE: the loop adds 0, 1 and 2.", "notes"),
        md("SKIPPED_TEXT: the full explanation for readers.", "skip"),
        md("## Summary\n\n- pseudo-code keeps its lines\n- figures fill their slide", "slide"),
        md("NOTES_SUMMARY: recap.", "notes"),
        md("## Exercises\n\n1. Change the loop.\n2. Plot another loss.", "slide"),
        md("NOTES_EXERCISES: homework.", "notes"),
        md("### Solutions\n\nSKIPPED_SOLUTION", "skip"),
    ]
    nb = nbf.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata[check_slides.LIVE_STYLE_KEY] = style
    return nb


@pytest.fixture(scope="module")
def probe_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("probe") / "00_probe.ipynb"
    nbformat.write(probe_notebook(), path)
    return path


# --------------------------------------------------------------------------- the rules, no browser

def test_rules_accept_a_compliant_notebook(probe_path):
    assert check_slides.static_problems(probe_path) == []


def _problems_after(tmp_path, change):
    nb = probe_notebook()
    change(nb)
    path = tmp_path / "mutant.ipynb"
    nbformat.write(nb, path)
    return "\n".join(check_slides.static_problems(path))


def _set_kind(index, kind):
    def change(nb):
        nb.cells[index].metadata["slideshow"] = {"slide_type": kind}
    return change


@pytest.mark.parametrize("change, expected", [
    (_set_kind(7, "-"), r'explicit "-" is never shown'),
    (_set_kind(4, "subslide"), r'no "subslide"'),
    (lambda nb: nb.cells[7].metadata.pop("jupyter"), r"code hidden in one path only"),
    (lambda nb: nb.cells[7].metadata.update(tags=[]), r"code hidden in one path only"),
    (lambda nb: setattr(nb.cells[10], "source", "# NBVAL_IGNORE_OUTPUT\n" + nb.cells[10].source),
     r"test marker comment is visible"),
    (lambda nb: setattr(nb.cells[10], "source", "\n".join(f"x{k} = {k}" for k in range(13))),
     r"13 lines of code on a slide"),
    (lambda nb: setattr(nb.cells[10], "source", "x = '" + "a" * 90 + "'"), r"longer than 80 characters"),
    (lambda nb: setattr(nb.cells[9], "source", "## Code that is the lesson\n\n" + "word " * 61),
     r"words of prose \(max 60\)"),
    (lambda nb: setattr(nb.cells[6], "source", "## A figure\n\n" + "word " * 31), r"max 30 beside a figure"),
    (lambda nb: nb.cells.pop(12), r"slide 5 .*no speaker notes"),
    (lambda nb: setattr(nb.cells[2], "source", "## Today"), r"second slide must be the agenda"),
    (lambda nb: setattr(nb.cells[14], "source", "## Recap"), r"summary slide"),
    (lambda nb: nb.cells.insert(18, nbformat.v4.new_markdown_cell(
        "## Solutions", metadata={"slideshow": {"slide_type": "slide"}})), r"solutions are not shown"),
    (lambda nb: nb.cells[0].metadata.pop("slideshow"), r"remove-cell without slide_type skip"),
    (lambda nb: nb.cells[11].metadata.update(slideshow={"slide_type": "fragment"}) or
     nb.cells.insert(11, nbformat.v4.new_markdown_cell("a", metadata={"slideshow": {"slide_type": "fragment"}})) or
     nb.cells.insert(11, nbformat.v4.new_markdown_cell("b", metadata={"slideshow": {"slide_type": "fragment"}})),
     r"3 fragments"),
    (lambda nb: setattr(nb.cells[7], "outputs", []), r"hidden code with no stored output"),
    (lambda nb: nb.metadata.pop(check_slides.LIVE_STYLE_KEY), r"live_deck_style.json"),
    (lambda nb: setattr(nb.cells[1], "source", "## Not a title"), r"level-1 heading"),
], ids=["dash", "subslide", "no-source-hidden", "no-remove-input", "marker", "long-code", "wide-code",
        "wordy", "wordy-figure", "no-notes", "no-agenda", "no-summary", "solutions", "remove-cell",
        "fragments", "empty-hidden", "live-style", "title"])
def test_rules_catch_each_mistake(tmp_path, change, expected):
    assert re.search(expected, _problems_after(tmp_path, change))


def test_word_count_ignores_markup_math_and_code():
    assert check_slides.count_words("## Two words\n\n$x^2 + y$ and [a link](http://x.y) `code`\n"
                                    "```text\nnot counted at all\n```") == 7


def test_nbval_honours_the_ignore_output_tag():
    """nbval 0.11 reads `nbval-ignore-output` from the cell's tags: the comment marker can go."""
    from nbval.plugin import find_metadata_tags

    assert dict(find_metadata_tags({"tags": ["nbval-ignore-output"]})) == {"check": False}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_notebook_follows_the_slide_rules(notebook):
    problems = check_slides.static_problems(notebook)
    shown = "\n".join(f"  - {p}" for p in problems[:40])
    more = f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else ""
    assert not problems, (f"{notebook.name} breaks {len(problems)} rule(s) of slides/AUTHORING.md "
                          f"(python tools/check_slides.py --static-only):\n{shown}{more}")


def test_build_runs_nbconvert_in_this_python():
    cmd = build_slides.nbconvert_command([NOTEBOOKS[0] if NOTEBOOKS else "x.ipynb"])
    assert cmd[:3] == [sys.executable, "-m", "nbconvert"]
    assert "--SlidesExporter.reveal_scroll=False" in cmd


# --------------------------------------------------------------------------- the built decks

def _ensure_vendor(require):
    """Vendor the decks' assets with npm once; without npm, skip (locally) or fail (under CI)."""
    try:
        build_slides.ensure_vendor()
    except build_slides.BuildError as exc:
        require(False, f"building the decks needs npm once (pinned reveal.js, require.js, jQuery, "
                       f"MathJax 2 and widget assets): {exc}")


@pytest.fixture(scope="module")
def decks(require):
    assert len(NOTEBOOKS) == 4, f"expected the four lectures in notebooks/, found {NOTEBOOKS}"
    _ensure_vendor(require)
    stale = [nb for nb in NOTEBOOKS if check_slides.stale(nb)]
    if stale:
        build_slides.build(stale)
    return {nb.name: build_slides.deck_path(nb) for nb in NOTEBOOKS}


@pytest.fixture(scope="module")
def probe_deck(probe_path, require):
    _ensure_vendor(require)
    out = probe_path.parent / "decks"
    out.mkdir(exist_ok=True)
    (out / "vendor").symlink_to(SLIDES / "vendor", target_is_directory=True)
    return build_slides.build([probe_path], output_dir=out)[0]


class _Refs(html.parser.HTMLParser):
    """Collects loaded URLs (attributes of every tag but <a>) and the text of <style>/<script>."""

    URL_ATTRS = {"src", "href", "srcset", "data-src", "poster", "action", "data", "background"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loaded, self.styles, self.scripts, self._in = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "a":
            for name in self.URL_ATTRS & set(attrs):
                for part in (attrs[name] or "").split(","):
                    self.loaded.append((tag, name, part.strip().split(" ")[0]))
        if tag in ("style", "script"):
            self._in = (tag, attrs.get("type", ""))
            (self.styles if tag == "style" else self.scripts).append([attrs.get("type", ""), ""])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._in = None

    def handle_data(self, data):
        if self._in:
            (self.styles if self._in[0] == "style" else self.scripts)[-1][1] += data


def _strip_comments(code):
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    return re.sub(r"(^|[\s;{}(),])//[^\n]*", r"\1", code)  # `//` comments, not `https://`


def _cell_chunks(text):
    """{cell id: the deck's HTML from that cell's element to the next cell's}."""
    marks = [(m.start(), m.group(1)) for m in re.finditer(r'id="cell-id=([^"]+)"', text)]
    return {cid: text[start:(marks[i + 1][0] if i + 1 < len(marks) else len(text))]
            for i, (start, cid) in enumerate(marks)}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_deck_loads_nothing_remote(decks, notebook):
    deck = decks[notebook.name]
    text = deck.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    remote = [ref for ref in parser.loaded if REMOTE.match(ref[2])]
    assert not remote, f"{deck.name} loads remote resources: {remote}"
    assert any(tag == "script" and "vendor/node_modules/requirejs/" in url for tag, _, url in parser.loaded)
    for _, css in parser.styles:
        bad = re.findall(r"(?:@import\s+|url\(\s*)['\"]?((?:https?:)?//[^'\")\s]+)", _strip_comments(css), re.I)
        assert not bad, f"{deck.name}: inline CSS loads {bad}"
    for kind, js in parser.scripts:
        if "json" in kind:
            continue  # saved widget state: data, not code
        bad = re.findall(r"['\"`]((?:https?:)?//[^'\"`]*)", _strip_comments(js), re.I)
        assert not bad, f"{deck.name}: an inline script references {bad}"
    assert "mermaid" not in text, f"{deck.name}: the mermaid import (a CDN module) is back"
    if '<script type="application/vnd.jupyter.widget-view+json">' in text:
        assert 'data-jupyter-widgets-cdn="vendor/no-cdn/"' in text, "the widget CDN fallback is not neutralised"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_deck_applies_tags_and_slide_types(decks, notebook):
    text = decks[notebook.name].read_text(encoding="utf-8")
    chunks = _cell_chunks(text)
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        if "remove-cell" in tags or slide_type == "skip":
            assert cell.id not in chunks, f"{cell.id} (tags {tags}, {slide_type}) should not be in the deck"
            continue
        assert cell.id in chunks, f"cell {cell.id} ({cell.cell_type}, {slide_type}) is missing from the deck"
        if cell.cell_type == "code" and "remove-input" in tags:
            chunk = chunks[cell.id]
            assert "jp-InputArea" not in chunk, f"remove-input cell {cell.id} still shows its code"
            if cell.outputs:
                assert "jp-OutputArea" in chunk, f"remove-input cell {cell.id} lost its output"
        if slide_type == "notes":
            start = text.index(f'id="cell-id={cell.id}"')
            assert text.rfind('<aside class="notes">', 0, start) > text.rfind("</aside>", 0, start), (
                f"notes cell {cell.id} is not inside the speaker notes")


# --------------------------------------------------------------------------- in a browser

@pytest.fixture(scope="module")
def browser(require):
    yield from bs.required_chromium(require)


@pytest.fixture(scope="module")
def measured(decks, browser):
    """{deck name: ({screen: rows}, off-disk URLs, page errors)} for every lecture deck."""
    results = {}
    off_disk, errors = [], []
    ctx = check_slides.offline_context(browser, *check_slides.SCREENS["720p"], off_disk)
    page = ctx.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    bs.ARTIFACTS.mkdir(exist_ok=True)
    for name, deck in decks.items():
        n_off, n_err = len(off_disk), len(errors)
        rows = check_slides.measure_deck(page, deck)
        results[name] = (rows, off_disk[n_off:], errors[n_err:])
        with_slider = [r for r in rows["1080p"] if r["sliders"]]
        if with_slider:  # a look at the first slider's slide, for people
            page.evaluate("([h, v]) => Reveal.slide(h, v)", [with_slider[0]["h"], with_slider[0]["v"]])
            page.screenshot(path=str(bs.ARTIFACTS / f"slides_{deck.name.split('.')[0]}_slider.png"))
    ctx.close()
    return results


def _over(rows_by_screen):
    """Slides over the screen: taller than one 720-px slide, or than the viewport once scaled."""
    over = []
    for screen, rows in rows_by_screen.items():
        for r in rows:
            if r["height"] > check_slides.SLIDE_HEIGHT + 1 or r["height"] * r["scale"] > r["viewport"] + 1:
                over.append(f"{screen} slide {r['h'] + 1} {r['title'][:40]!r}: {r['height']} px")
    return over


@pytest.mark.browser
def test_probe_deck_in_a_browser(probe_deck, browser):
    """The template's contract, on a deck that follows the rules: 16:9, room-size type,
    pseudo-code line breaks, hidden code hidden, speaker view with notes, everything fits,
    nothing off disk."""
    off_disk, errors = [], []
    ctx = check_slides.offline_context(browser, 1920, 1080, off_disk)
    page = ctx.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    rows = check_slides.measure_deck(page, probe_deck)
    assert [r["title"] for r in rows["720p"]] == ["Probe deck", "Agenda", "Pseudo-code", "A figure",
                                                   "Code that is the lesson", "Summary", "Exercises"]
    assert not _over(rows), _over(rows)
    assert not any(r["cut"] for r in rows["720p"] + rows["1080p"])
    config = page.evaluate("() => { const c = Reveal.getConfig(); return [c.width, c.height]; }")
    assert config == [1280, 720], f"slides are {config}, not 16:9 at 1280x720"
    body = page.evaluate("""() => parseFloat(getComputedStyle(
        document.querySelector('.reveal .jp-RenderedMarkdown p')).fontSize)""")
    assert body / 720 >= 0.045, f"body text is {body} px on a 720-px slide ({body / 7.2:.1f} %)"
    pre = page.evaluate("""() => { const p = document.querySelector('.reveal .jp-RenderedMarkdown pre');
        const cs = getComputedStyle(p);
        return [p.textContent.split('\\n').filter(l => l.trim()).length, cs.whiteSpace,
                p.getBoundingClientRect().height / Reveal.getScale() / parseFloat(cs.lineHeight)]; }""")
    assert pre[0] == len(PSEUDO) and pre[1] == "pre" and pre[2] >= len(PSEUDO) - 0.5, (
        f"pseudo-code lost its line breaks: {pre}")
    text = page.evaluate("() => document.querySelector('.reveal .slides').innerText")
    assert "HIDDEN_SOURCE" not in text and "SKIPPED_TEXT" not in text and "SKIPPED_SOLUTION" not in text
    assert "SHOWN_OUTPUT 42" in text
    assert page.locator(".reveal img").count() == 1
    page.evaluate("() => Reveal.slide(0, 0)")
    for expected in (1, 2):  # a clicker's "next" (PageDown) steps through the flat deck
        page.keyboard.press("PageDown")
        page.wait_for_function(f"() => Reveal.getIndices().h === {expected}", timeout=5_000)
    with ctx.expect_page(timeout=10_000) as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_function("() => document.body && document.body.innerText.includes('NOTES_PSEUDO')",
                              timeout=10_000)
    bs.ARTIFACTS.mkdir(exist_ok=True)
    speaker.screenshot(path=str(bs.ARTIFACTS / "slides_probe_speaker_view.png"))
    page.screenshot(path=str(bs.ARTIFACTS / "slides_probe_pseudocode.png"))
    ctx.close()
    assert not off_disk, f"the deck tried to reach the network: {off_disk}"
    assert not errors, f"page errors: {errors}"


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_deck_fits_the_screen(measured, notebook):
    rows, _, _ = measured[notebook.name]
    over = _over(rows)
    assert not over, f"{notebook.name}: {len(over)} slide view(s) over the screen:\n  " + "\n  ".join(over)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_deck_cuts_no_code(measured, notebook):
    rows, _, _ = measured[notebook.name]
    cut = [f"{screen} slide {r['h'] + 1} {r['title'][:40]!r}: {r['cut']} line(s)"
           for screen, screen_rows in rows.items() for r in screen_rows if r["cut"]]
    assert not cut, f"{notebook.name}: code cut at the right:\n  " + "\n  ".join(cut)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_deck_stays_on_disk_and_renders(measured, decks, notebook):
    """No request off disk, no page error; math typeset and saved sliders drawn offline."""
    rows, off_disk, errors = measured[notebook.name]
    assert not off_disk, f"{notebook.name}: requests off disk: {off_disk}"
    assert not errors, f"{notebook.name}: page errors offline: {errors}"
    nb = nbformat.read(notebook, 4)
    shown_md = [c.source for c in nb.cells if c.cell_type == "markdown"
                and c.metadata.get("slideshow", {}).get("slide_type") not in ("skip", "notes")]
    if any(re.search(r"\$[^$]+\$", src) for src in shown_md):
        assert sum(r["math"] for r in rows["720p"]) > 0, f"{notebook.name}: no math typeset offline"
    views = decks[notebook.name].read_text(encoding="utf-8").count(
        '<script type="application/vnd.jupyter.widget-view+json">')
    if views:
        assert sum(r["sliders"] for r in rows["720p"]) > 0, f"{notebook.name}: saved sliders not drawn offline"


# --------------------------------------------------------------------------- kernel-free sliders

@pytest.fixture(scope="module")
def slider_decks(require):
    """{notebook: deck} for the decks of 03 and 04 in English and Korean, built if stale."""
    missing = [str(nb) for nb in SLIDER_NOTEBOOKS if not nb.is_file()]
    assert not missing, f"missing notebooks: {missing}"
    _ensure_vendor(require)
    stale = [nb for nb in SLIDER_NOTEBOOKS if check_slides.stale(nb)]
    if stale:
        build_slides.build(stale)
    return {nb: build_slides.deck_path(nb) for nb in SLIDER_NOTEBOOKS}


def _sliders(notebook):
    sliders = saved_sliders.kernel_free_sliders(notebook)
    assert sliders, f"{notebook}: no kernel-free slider in its saved widget state"
    return sliders


def _go_to(page, element):
    """Show the slide that holds `element` (a locator); returns reveal.js's indices."""
    return page.evaluate("""(el) => { const i = Reveal.getIndices(el.closest('section'));
        Reveal.slide(i.h, i.v); return Reveal.getIndices(); }""", element.element_handle())


def _open_for_sliders(page, deck):
    """Open a deck and wait for reveal.js and for every widget view to be drawn (not for
    MathJax: the slider tests do not read formulas)."""
    page.goto(deck.resolve().as_uri())
    page.wait_for_function("""() => window.Reveal && document.querySelector('.reveal.ready') &&
        document.querySelectorAll('.widget-subarea:not(:empty)').length >=
        document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length""",
                           timeout=30_000)


@contextlib.contextmanager
def _offline_deck(browser, deck):
    """A page with `deck` opened from disk (see _open_for_sliders), every request that
    leaves the disk aborted; afterwards, no such request and no page error."""
    off_disk, errors = [], []
    ctx = check_slides.offline_context(browser, 1280, 720, off_disk)
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open_for_sliders(page, deck)
        yield page
    finally:
        ctx.close()
    assert not off_disk, f"{deck.name}: requests off disk: {off_disk}"
    assert not errors, f"{deck.name}: page errors: {errors}"


def _indices(page):
    return page.evaluate("() => Reveal.getIndices()")


@pytest.mark.browser
@pytest.mark.parametrize("notebook", SLIDER_NOTEBOOKS, ids=slider_ids)
def test_deck_sliders_move_without_a_kernel(slider_decks, browser, notebook):
    """Each kernel-free slider, one step to a neighbour and back by arrow keys on its handle:
    the overlay's drawing and the readout become the saved ones of that position, the deck
    stays on the slide, nothing leaves the disk. For the first slider also: End and Home
    show the ends of its range, a drag to the right end shows the last position, and Space,
    PageDown and PageUp on its handle move the deck, not the slider."""
    sliders = _sliders(notebook)
    with _offline_deck(browser, slider_decks[notebook]) as page:
        for slider in sliders:
            name = f"{notebook.name} {slider.description!r} ({slider.n_positions} positions)"
            view = page.locator(f'.jupyter-widgets[data-model-id="{slider.view_id}"] > .widget-subarea')
            assert view.count() == 1, f"{name}: its widget view is not drawn in the deck"
            at = _go_to(page, view)
            _, texts, figures = slider.expected(slider.index)
            assert texts and figures, f"{name}: its saved frames hold no readout or no drawing"
            to = saved_sliders.neighbour(slider)
            _, to_texts, to_figures = slider.expected(to)
            assert (texts, figures) != (to_texts, to_figures), f"{name}: positions {slider.index} and {to} look alike"
            before, after = saved_sliders.move(page, view, slider, slider.index, to)
            assert (before["texts"], before["figures"]) == (texts, figures), f"{name}: not at its saved frame"
            assert after["texts"] == to_texts, f"{name}: readout after one step: {after['texts']}, want {to_texts}"
            assert after["figures"] == to_figures, f"{name}: the figure is not the saved frame of position {to}"
            assert len(after["images"]) >= 1, f"{name}: the background image is not shown"
            assert _indices(page) == at, f"{name}: the arrow key moved the deck too"
            _, back = saved_sliders.move(page, view, slider, to, slider.index)
            assert (back["texts"], back["figures"]) == (texts, figures), f"{name}: not back at its saved frame"
        first = sliders[0]
        view = page.locator(f'.jupyter-widgets[data-model-id="{first.view_id}"] > .widget-subarea')
        handle = view.locator(".widget-slider .noUi-handle").nth(first.position_in_view)
        last = first.n_positions - 1
        at = _go_to(page, view)
        for key, position in (("End", last), ("Home", 0)):      # the ends of the range, by key
            handle.focus()
            handle.press(key)
            page.wait_for_timeout(300)
            shown = saved_sliders.shown(view)
            assert (shown["texts"], shown["figures"]) == first.expected(position)[1:], (
                f"{key} on the handle did not show position {position}")
            assert _indices(page) == at, f"{key} on the handle moved the deck"
        track = view.locator(".widget-slider .noUi-base").nth(first.position_in_view).bounding_box()
        knob = handle.bounding_box()                             # a drag to the right end
        page.mouse.move(knob["x"] + knob["width"] / 2, knob["y"] + knob["height"] / 2)
        page.mouse.down()
        page.mouse.move(track["x"] + track["width"] + 40, knob["y"] + knob["height"] / 2, steps=8)
        page.mouse.up()
        page.wait_for_timeout(300)
        shown = saved_sliders.shown(view)
        assert (shown["texts"], shown["figures"]) == first.expected(last)[1:], "a drag to the right end"
        saved_sliders.move(page, view, first, last, first.index)  # back to the saved setting
        for key in ("Space", "PageDown"):
            at = _go_to(page, view)
            handle.focus()
            handle.press(key)
            page.wait_for_function("(at) => JSON.stringify(Reveal.getIndices()) !== JSON.stringify(at)",
                                   arg=at, timeout=5_000)
            _go_to(page, view)
            shown = saved_sliders.shown(view)
            assert shown["texts"] == first.expected(first.index)[1], f"{key} on the handle moved the slider"
        at = _go_to(page, view)
        handle.focus()
        handle.press("PageUp")                                   # a clicker's "back"
        page.wait_for_function("(at) => JSON.stringify(Reveal.getIndices()) !== JSON.stringify(at)",
                               arg=at, timeout=5_000)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", [nb for nb in SLIDER_NOTEBOOKS if nb.name.startswith("03")],
                         ids=[i for i in slider_ids if i.endswith("-03")])
def test_deck_landscape_menu_moves_without_a_kernel(slider_decks, browser, notebook):
    """03's landscape menu is linked to its Stack of figures as the sliders are: choosing
    another landscape shows that landscape's saved background, drawing and readout."""
    menus = saved_sliders.kernel_free_sliders(notebook, kind="Dropdown")
    assert len(menus) == 1, f"{notebook.name}: {len(menus)} kernel-free menus, expected the landscape menu"
    (menu,) = menus
    with _offline_deck(browser, slider_decks[notebook]) as page:
        view = page.locator(f'.jupyter-widgets[data-model-id="{menu.view_id}"] > .widget-subarea')
        _go_to(page, view)
        for frm, to in [(menu.index, saved_sliders.neighbour(menu)), (saved_sliders.neighbour(menu), menu.index)]:
            images, texts, figures = menu.expected(to)
            before, after = saved_sliders.choose(page, view, menu, to)
            assert after["texts"] == texts, f"menu {frm} -> {to}: readout {after['texts']}, want {texts}"
            assert after["figures"] == figures, f"menu {frm} -> {to}: the drawing is not the saved one"
            assert set(images) <= set(after["images"]), f"menu {frm} -> {to}: not that landscape's background"
            assert after["images"] != before["images"], f"menu {frm} -> {to}: the background did not change"


STATIC_SHOWN_JS = """(root) => {
    // A saved rendering: its visible images, the texts of its HTML parts outside SVGs, what
    // each SVG drawing with a viewBox draws (its ids' prefix taken off), and the boxes of
    // the background image and of the overlays in page pixels.
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
    const text = (el) => { const c = el.cloneNode(true); c.querySelectorAll('svg').forEach((s) => s.remove());
        return c.textContent.split(/\\s+/).join(' ').trim(); };
    const images = Array.from(root.querySelectorAll('img')).filter(visible);
    const svgs = Array.from(root.querySelectorAll('.saved-html svg[viewBox]')).filter(visible);
    return {
        images: images.map((i) => i.naturalWidth),
        imageBoxes: images.map(box),
        texts: Array.from(root.querySelectorAll('.saved-html')).filter(visible).map(text).filter(Boolean),
        controls: Array.from(root.querySelectorAll('.saved-control')).filter(visible).map(text),
        figures: svgs.map((svg) => Array.from(svg.querySelectorAll('path, use'))
            .map((el) => (el.getAttribute(el.tagName === 'use' ? 'href' : 'd') || '')
                .replace(/^#SAVED_PREFIX/, '#')).join('|')),
        figureBoxes: svgs.map(box),
    };
}""".replace("SAVED_PREFIX", build_slides.STATIC_ID_PREFIX)


def _check_saved_renderings(page, notebook):
    """Every kernel-free slider's view shows its saved rendering: the saved frame's drawing
    and readout, laid over the background image, and the slider's saved value."""
    for slider in _sliders(notebook):
        name = f"{notebook.name} {slider.description!r}"
        fallback = page.locator(f'.jupyter-widgets[data-model-id="{slider.view_id}"] > .saved-figure')
        assert fallback.count() == 1 and fallback.is_visible(), f"{name}: no saved rendering shown"
        got = fallback.evaluate(STATIC_SHOWN_JS)
        _, texts, figures = slider.expected(slider.index)
        assert texts and figures, f"{name}: its saved frame holds no readout or no drawing"
        assert got["figures"] == figures, f"{name}: the drawing is not the saved frame"
        assert all(t in got["texts"] for t in texts), f"{name}: readout {texts} not in {got['texts']}"
        assert got["images"] and all(w > 0 for w in got["images"]), f"{name}: no background image"
        image = got["imageBoxes"][0]
        for overlay in got["figureBoxes"]:  # laid on the background: same left, top and width
            assert all(abs(a - b) <= 1 for a, b in zip(overlay[:3], image[:3])), (
                f"{name}: overlay {overlay} is not laid over the background {image}")
        assert any(slider.description in c for c in got["controls"]), f"{name}: {got['controls']}"


def _message(page, selector):
    return page.locator(selector).evaluate("(el) => getComputedStyle(el).display !== 'none' && el.innerText")


def _check_language(notebook, text):
    if build_slides.is_korean(notebook):
        assert HANGUL.search(text), f"the Korean deck's message is not in Korean: {text!r}"
    else:
        assert not HANGUL.search(text) and re.search(r"\bJavaScript\b|\bvendor/", text), (
            f"the English deck's message is not in English: {text!r}")


@pytest.mark.browser
@pytest.mark.parametrize("notebook", SLIDER_NOTEBOOKS, ids=slider_ids)
def test_deck_without_javascript_shows_saved_sliders(slider_decks, browser, notebook):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(slider_decks[notebook].resolve().as_uri())
        note = _message(page, ".deck-message-noscript")
        assert note and "JavaScript" in note.replace("자바스크립트", "JavaScript"), f"no JavaScript note: {note!r}"
        _check_language(notebook, note)
        assert page.locator(".reveal .slides h1").first.is_visible(), "the first slide is not shown"
        _check_saved_renderings(page, notebook)
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("notebook", SLIDER_NOTEBOOKS, ids=slider_ids)
def test_deck_without_its_assets_says_so(slider_decks, browser, notebook, tmp_path):
    """The deck's .html alone in a folder (no vendor/ beside it): a message in the deck's
    language, the slides as one page with each slider at its saved setting."""
    import shutil

    alone = tmp_path / slider_decks[notebook].name
    shutil.copy(slider_decks[notebook], alone)
    off_disk, errors = [], []
    ctx = check_slides.offline_context(browser, 1280, 720, off_disk)
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(alone.as_uri())
        page.wait_for_function("() => document.documentElement.classList.contains('deck-missing')",
                               timeout=10_000)
        message = _message(page, ".deck-message-missing")
        assert message and "vendor/" in message, f"no message about the missing assets: {message!r}"
        _check_language(notebook, message)
        assert page.evaluate("() => document.documentElement.lang") == (
            "ko" if build_slides.is_korean(notebook) else "en")
        assert page.locator(".reveal .slides h1").first.is_visible(), "the first slide is not shown"
        _check_saved_renderings(page, notebook)
    finally:
        ctx.close()
    assert not off_disk, f"requests off disk: {off_disk}"
    assert not errors, f"page errors: {errors}"
