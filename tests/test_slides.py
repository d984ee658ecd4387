"""The offline reveal.js decks that `bash tools/build_slides.sh` builds.

- Builds a deck per lecture notebook (reusing a deck that is newer than its notebook and
  the build inputs; the pinned npm assets in slides/vendor/ are fetched once). Without
  npm and without a cached slides/vendor/, the tests skip with that reason.
- Each deck loads nothing from the network: no remote URL in any src/href/srcset
  attribute (links in prose, <a href>, are the one exception: they are not loaded), in
  inline CSS (url(), @import) or in inline scripts (require paths, the widget renderer).
- The cell tags took effect: `remove-cell` cells and "skip" cells are absent,
  `remove-input` cells show their output but not their code, "notes" cells are speaker
  notes.
- In headless Chromium, from file:// with every non-file request aborted, the deck
  initialises reveal.js, typesets math, draws the saved widgets, and a screenshot of a
  slide goes to artifacts/ (marked `browser`).
"""
import html.parser
import re
import shutil
import subprocess
import tempfile

import nbformat
import pytest

import browser_support as bs

ROOT = bs.ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SLIDES = ROOT / "slides"
BUILD = ROOT / "tools" / "build_slides.sh"
BUILD_INPUTS = [BUILD, SLIDES / "package-lock.json", *sorted((SLIDES / "templates").rglob("*"))]
VENDOR_MARK = SLIDES / "vendor" / "node_modules" / "reveal.js" / "dist" / "reveal.js"
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
ids = [p.name for p in NOTEBOOKS]

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no lecture notebook in notebooks/ yet")


def deck_path(notebook):
    return SLIDES / f"{notebook.stem}.slides.html"


def _stale(notebook):
    deck = deck_path(notebook)
    if not deck.exists() or not VENDOR_MARK.exists():
        return True
    newest_input = max(p.stat().st_mtime for p in [notebook, *BUILD_INPUTS] if p.is_file())
    return deck.stat().st_mtime < newest_input


@pytest.fixture(scope="session")
def decks():
    stale = [nb for nb in NOTEBOOKS if _stale(nb)]
    if stale:
        if not VENDOR_MARK.exists() and shutil.which("npm") is None:
            pytest.skip("building the decks needs npm once (to fetch the pinned reveal.js, "
                        "require.js, jQuery, MathJax 2 and widget assets); npm is not installed")
        proc = subprocess.run(["bash", str(BUILD), *[str(nb.relative_to(ROOT)) for nb in stale]],
                              cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, f"build_slides.sh failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return {nb.name: deck_path(nb) for nb in NOTEBOOKS}


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
    assert deck.exists(), f"no deck for {notebook.name}"
    parser = _Refs()
    parser.feed(deck.read_text(encoding="utf-8"))
    remote = [ref for ref in parser.loaded if REMOTE.match(ref[2])]
    assert not remote, f"{deck.name} loads remote resources: {remote}"
    assert any(tag == "script" and "vendor/node_modules/requirejs/" in url for tag, _, url in parser.loaded)
    for _, css in parser.styles:
        css = _strip_comments(css)
        bad = re.findall(r"(?:@import\s+|url\(\s*)['\"]?((?:https?:)?//[^'\")\s]+)", css, re.I)
        assert not bad, f"{deck.name}: inline CSS loads {bad}"
    for kind, js in parser.scripts:
        if "json" in kind:
            continue  # saved widget state: data, not code
        bad = re.findall(r"['\"`]((?:https?:)?//[^'\"`]*)", _strip_comments(js), re.I)
        assert not bad, f"{deck.name}: an inline script references {bad}"
    assert "require.js" in deck.read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_deck_applies_tags_and_slide_types(decks, notebook):
    text = decks[notebook.name].read_text(encoding="utf-8")
    chunks = _cell_chunks(text)
    nb = nbformat.read(notebook, as_version=4)
    removed = kept_output = 0
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        if "remove-cell" in tags or slide_type == "skip":
            assert cell.id not in chunks, f"{cell.id} (tags {tags}, {slide_type}) should not be in the deck"
            removed += 1
            continue
        assert cell.id in chunks, f"cell {cell.id} ({cell.cell_type}, {slide_type}) is missing from the deck"
        if cell.cell_type == "code" and "remove-input" in tags:
            chunk = chunks[cell.id]
            assert "jp-InputArea" not in chunk, f"remove-input cell {cell.id} still shows its code"
            if cell.outputs:
                assert "jp-OutputArea" in chunk, f"remove-input cell {cell.id} lost its output"
                kept_output += 1
        if slide_type == "notes":
            start = text.index(f'id="cell-id={cell.id}"')
            assert text.rfind('<aside class="notes">', 0, start) > text.rfind("</aside>", 0, start), (
                f"notes cell {cell.id} is not inside the speaker notes")
    assert removed >= 1  # at least the Colab cell
    print(f"{notebook.name}: {removed} cells left out, {kept_output} shown without code")


@pytest.mark.browser
def test_deck_renders_offline_from_file(decks):
    """Open a deck from file:// with the network cut: reveal.js, MathJax and the widgets
    work from slides/vendor/ alone. Prefers a deck with sliders; screenshots two slides."""
    sync_playwright = bs.require_playwright()
    with_widgets = [nb for nb in NOTEBOOKS if "widgets" in nbformat.read(nb, 4).metadata]
    notebook = (with_widgets or NOTEBOOKS)[0]
    deck = decks[notebook.name]
    has_math = any("$" in c.source for c in nbformat.read(notebook, 4).cells if c.cell_type == "markdown")
    bs.ARTIFACTS.mkdir(exist_ok=True)
    blocked, errors = [], []
    with tempfile.TemporaryDirectory() as tmp, bs.chromium_context(sync_playwright, tmp) as ctx:
        def only_files(route):
            if route.request.url.startswith(("file:", "data:", "blob:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        ctx.route("**/*", only_files)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: errors.append(f"{req.url}: {req.failure}"))
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", state="attached", timeout=30_000)
        page.wait_for_timeout(800)
        assert page.locator(".reveal .slides > section.present").count() == 1, "not shown as slides"
        page.screenshot(path=str(bs.ARTIFACTS / f"slides_{notebook.stem}_first.png"))
        if has_math:
            page.wait_for_selector(".MathJax_CHTML", state="attached", timeout=20_000)
        if with_widgets:
            slider = page.locator(".widget-slider").first
            slider.wait_for(state="attached", timeout=20_000)
            h, v = page.evaluate("""(el) => {
                const sec = el.closest('.slides > section > section') || el.closest('.slides > section');
                const top = sec.parentElement.matches('.slides') ? sec : sec.parentElement;
                const h = [...top.parentElement.children].indexOf(top);
                const v = top === sec ? 0 : [...top.children].filter(e => e.tagName === 'SECTION').indexOf(sec);
                return [h, v];
            }""", slider.element_handle())
            page.evaluate("([h, v]) => { location.hash = `#/${h}/${v}`; }", [h, v])
            page.wait_for_timeout(1200)
            assert slider.is_visible(), "the slide with the first slider does not show it"
            page.screenshot(path=str(bs.ARTIFACTS / f"slides_{notebook.stem}_slider.png"))
    assert not blocked, f"the deck tried to reach the network: {blocked}"
    assert not errors, f"the deck had errors offline: {errors}"
