"""The lectures' static site (tools/build_site.py: Sphinx + MyST-NB, site/).

The site is built once per run, into a temporary folder, from the stored outputs, with any
network connection from the build refused and recorded (there must be none), and with one
extra page: a probe notebook (made here) whose saved state holds a kernel-free slider, an
IntSlider jslinked to Stacks of frames and readouts (tests/delivery/saved_sliders.py).

Without a browser:
- the build works: the landing page, the four English and four Korean lecture pages, the
  search page and its index; the landing page and the navigation reach every lecture, and
  every lecture page links to the same lecture in the other language (and Korean pages say
  lang="ko");
- no page loads anything from the network: no http(s) or protocol-relative URL in any
  script, link or img tag, and every local file they name exists;
- every saved widget carries its static rendering (the saved figure: its image and SVG
  overlay, and the readout) for readers without JavaScript, with a note in the page's language.

In headless Chromium (marked `browser`), pages opened from file:// with every request that
does not stay on the disk aborted and recorded:
- no request leaves the disk; no script error; formulas typeset (MathJax, local);
- the saved widgets of 03 and 04 are drawn from their saved state (the images are the
  saved ones); the Korean pages show Hangul with a font that has it;
- search works from file:// (English and Korean); the language switch opens the other
  language; without JavaScript the saved figure (the background image with the saved
  setting's SVG overlay exactly on top) and the readout show, and so they do, with a note
  saying why, on a page copied away from its _static/ folder;
- the probe's kernel-free slider moves its image and readout, and every kernel-free slider
  of the lectures its SVG overlay (on an unchanged background) and readout, each to the
  saved ones of the position reached (test_lecture_sliders_move_on_the_site).
Screenshots (a slider figure without JavaScript, and after a move) go to artifacts/.
"""
import contextlib
import html.parser
import json
import re
import shutil
import socket
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import browser_support as bs
import saved_sliders

ROOT = bs.ROOT
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import build_slides  # noqa: E402

NAMES = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
PAGES = [f"{lang}/{name}.html" for lang in ("en", "ko") for name in NAMES]
# Pages whose notebook has saved widget state (the tests read the copies the site was built
# from, in its src/ folder: a notebook regenerated meanwhile does not confuse them).
WIDGET_PAGES = [f"{lang}/{p.stem}.html" for lang, folder in (("en", ROOT / "notebooks"), ("ko", ROOT / "notebooks" / "ko"))
                for p in sorted(folder.glob("[0-9]*.ipynb")) if saved_sliders.saved_state(p)]
PROBE_PAGE = "probe/kernel_free.html"
pytestmark = pytest.mark.filterwarnings("ignore:.*HandleFootnoteTransform.app")  # the theme, on Sphinx 9
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


# --------------------------------------------------------------------------- the build

@pytest.fixture(scope="module")
def site(tmp_path_factory, require):
    """The built site's html/ folder (built once, with the probe page)."""
    assert len(NAMES) == 4 and all((ROOT / "notebooks" / "ko" / f"{n}.ipynb").is_file() for n in NAMES), \
        f"expected the four lectures in notebooks/ and notebooks/ko/, found {NAMES}"
    tmp = tmp_path_factory.mktemp("site")
    probe = saved_sliders.write_probe_notebook(tmp / "kernel_free.ipynb")
    try:
        build_slides.ensure_vendor()  # npm, once (a subprocess: the only network the build may use)
    except build_slides.BuildError as exc:
        require(False, f"building the site needs npm once (the pinned widget and MathJax assets): {exc}")
    attempts = []

    def no_network(sock, address, *args):
        attempts.append(address)
        raise OSError(f"the site build tried to connect to {address}")

    start = time.perf_counter()
    with pytest.MonkeyPatch.context() as mp:  # the build itself runs in this process
        mp.setattr(socket.socket, "connect", no_network)
        mp.setattr(socket.socket, "connect_ex", no_network)
        try:
            index = build_site.build(tmp / "build", extra_pages=[(probe, PROBE_PAGE.replace(".html", ".ipynb"))])
        except build_site.BuildError as exc:
            pytest.fail(f"the site does not build: {exc} (network attempts: {attempts})")
    print(f"site built in {time.perf_counter() - start:.1f} s")
    assert attempts == [], f"the site build tried to reach the network: {attempts}"
    return index.parent


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def source(site, rel):
    """The notebook copy that page `rel` was built from."""
    return site.parent / "src" / rel.replace(".html", ".ipynb")


def parse(path):
    parser = _Tags()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def local_target(page, href):
    """The file a relative href of `page` names (fragment and query dropped), or None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (Path(page).parent / unquote(parts.path)).resolve()


def links(page, selector=lambda tag, attrs: tag == "a"):
    return [attrs["href"] for tag, attrs in parse(page).tags if selector(tag, attrs) and attrs.get("href")]


def test_every_lecture_page_is_built(site):
    for rel in ["index.html", "search.html", "searchindex.js", *PAGES]:
        assert (site / rel).is_file(), f"{rel} was not built"
    for rel in PAGES:
        text = "".join(parse(site / rel).text)
        assert len(text) > 5000, f"{rel} has almost no text ({len(text)} characters)"
        hangul = len(HANGUL.findall(text))
        assert (hangul > 1000) == rel.startswith("ko/"), f"{rel}: {hangul} Hangul syllables"


def test_landing_page_reaches_every_lecture(site):
    targets = {local_target(site / "index.html", h) for h in links(site / "index.html")}
    missing = [rel for rel in PAGES if (site / rel).resolve() not in targets]
    assert not missing, f"the landing page does not link to {missing}"


@pytest.mark.parametrize("rel", PAGES)
def test_navigation_and_language_switch(site, rel):
    page = site / rel
    hrefs = links(page)
    broken = [h for h in hrefs if local_target(page, h) is not None and not local_target(page, h).is_file()]
    assert not broken, f"{rel} links to missing files: {broken}"
    sidebar = {local_target(page, h) for h in hrefs} | {page.resolve()}  # its own entry is "#"
    assert all((site / p).resolve() in sidebar for p in PAGES), f"{rel} does not link to every lecture"
    assert (site / "index.html").resolve() in sidebar, f"{rel} does not link to the landing page"
    lang, name = rel.split("/")
    other = "ko" if lang == "en" else "en"
    switch = links(page, lambda tag, a: tag == "a" and "language-switch-link" in a.get("class", ""))
    assert len(switch) == 1, f"{rel}: expected one language switch, found {switch}"
    assert local_target(page, switch[0]) == (site / other / name).resolve(), \
        f"{rel}: the language switch goes to {switch[0]}, not to {other}/{name}"
    nav = links(page, lambda tag, a: tag == "a" and re.search(r"\b(left-prev|right-next)\b", a.get("class", "")))
    assert nav, f"{rel} has no previous/next link"
    html_tag = next(attrs for tag, attrs in parse(page).tags if tag == "html")
    assert html_tag.get("lang") == lang, f"{rel} says lang={html_tag.get('lang')!r}, not {lang!r}"


def test_search_index_covers_both_languages(site):
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    for rel in PAGES:
        assert f'"{rel[:-len(".html")]}"' in index, f"{rel} is not in the search index"
    assert json.dumps("학습률")[1:-1] in index and '"gradient"' in index  # Korean words are indexed too


def site_pages(site):
    """The site's pages (not the theme's template fragments copied into _static/)."""
    return sorted(p for p in site.rglob("*.html") if not {"_static", "_sources"} & set(p.relative_to(site).parts))


def test_no_page_loads_anything_from_the_network(site):
    pages = site_pages(site)
    assert len(pages) >= len(PAGES) + 3
    remote, missing = [], []
    for page in pages:
        for tag, attrs in parse(page).tags:
            url = {"script": attrs.get("src"), "img": attrs.get("src"),
                   "link": attrs.get("href"), "source": attrs.get("src"),
                   "iframe": attrs.get("src")}.get(tag)
            if not url or url.startswith("data:"):
                continue
            if REMOTE.match(url):
                remote.append(f"{page.relative_to(site)}: <{tag}> {url}")
            elif local_target(page, url) is not None and not local_target(page, url).is_file():
                missing.append(f"{page.relative_to(site)}: <{tag}> {url}")
    assert not remote, "pages load from the network:\n" + "\n".join(remote[:20])
    assert not missing, "pages name local files that are not there:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_saved_widgets_have_a_static_rendering(site, rel):
    """For readers without JavaScript: the saved figure (a data: image, so it shows even
    without the site's folders, with the saved setting's SVG overlay) and the readout text,
    and a note in the page's language."""
    notebook, lang, page = source(site, rel), rel.split("/")[0], site / rel
    text = page.read_text(encoding="utf-8")
    state = saved_sliders.saved_state(notebook)
    views = saved_sliders._view_ids(notebook)
    assert views, f"{notebook.name} has saved widget state but no widget output"
    for view in views:
        start = text.index(f'<div class="saved-widget" data-model-id="{view}">')
        block = text[start:text.index('type="application/vnd.jupyter.widget-view+json"', start)]
        images, readouts, figures = saved_sliders._content(state, view)
        readouts = [r for r in readouts if r]  # not the HTML of the shared SVG parts
        assert images and all(f"base64,{img}" in block for img in images), f"{view}: saved figure missing"
        drawn = saved_sliders.figure_prints(block)
        assert all(f in drawn for f in figures), f"{view}: the saved SVG overlay is missing"
        plain = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(block)).split())
        assert readouts and all(r in plain for r in readouts), f"{view}: readout {readouts} missing"
        note = "자바스크립트" if lang == "ko" else "JavaScript is off"
        assert f"<noscript>" in block and note in block


# --------------------------------------------------------------------------- in a browser

@pytest.fixture(scope="module")
def browser(require):
    yield from bs.required_chromium(require)


class Offline:
    """A browser context that aborts and records every request that leaves the disk, and
    records script errors; both also per page (`page_off_disk`, `page_errors`)."""

    def __init__(self, browser, **options):
        self.off_disk, self.errors = [], []
        self.page_off_disk, self.page_errors = {}, {}
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.context.route("**/*", self._only_files)

    def _only_files(self, route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
            return
        self.off_disk.append(route.request.url)
        with contextlib.suppress(Exception):  # a request without a page (a worker)
            self.page_off_disk[route.request.frame.page].append(route.request.url)
        route.abort()

    def open(self, path, wait_until="load"):
        page = self.context.new_page()
        self.page_off_disk[page], self.page_errors[page] = [], []
        page.on("pageerror", lambda exc: (self.errors.append(str(exc)), self.page_errors[page].append(str(exc))))
        page.goto(Path(path).resolve().as_uri(), wait_until=wait_until)
        return page


@pytest.fixture(scope="module")
def offline(browser):
    ctx = Offline(browser)
    yield ctx
    ctx.context.close()


DRAWN_JS = """(el) => {
    const area = el.querySelector('.widget-subarea');
    const imgs = area ? Array.from(area.querySelectorAll('img')) : [];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
}"""


def wait_drawn(page, timeout=20000):
    """Wait until every saved widget of the page is drawn with its images loaded."""
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('.saved-widget'))
        .every({DRAWN_JS})""", timeout=timeout)


TYPESET = ["en/03_gradient_descent.html", "ko/03_gradient_descent.html"]  # formulas and widgets
UNTYPESET_JS = r"""() => Array.from(document.querySelectorAll('span.math'))
    .filter((s) => !s.querySelector('.mjx-chtml')).length"""


@pytest.fixture(scope="module")
def opened(site, offline):
    """Every page opened once from file:// and kept open for the tests that only look:
    {rel: (page, formulas, formulas left untypeset)} after the load, once every saved widget
    is drawn and, on the TYPESET pages, every formula typeset (or 20 s)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pages = {}
    for rel in ["index.html", "search.html", *PAGES]:
        page = offline.open(site / rel)
        n_math = page.locator("span.math").count() if rel in TYPESET else 0
        if n_math:
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(f"() => ({UNTYPESET_JS})() === 0", timeout=20000)
        if page.locator(".saved-widget").count():
            wait_drawn(page)
        pages[rel] = (page, n_math, page.evaluate(UNTYPESET_JS) if n_math else 0)
    yield pages
    for page, _, _ in pages.values():
        page.close()


@pytest.mark.browser
def test_pages_from_disk(opened, offline):
    """Every page from file://: nothing leaves the disk, no script error, the widgets drawn;
    on the two 03 pages (formulas next to widgets, require.js next to MathJax) every formula
    is typeset."""
    for rel, (page, n_math, raw) in opened.items():
        assert offline.page_off_disk[page] == [], f"{rel} sent requests off the disk: {offline.page_off_disk[page]}"
        assert offline.page_errors[page] == [], f"{rel}: script errors {offline.page_errors[page]}"
        assert n_math or rel not in TYPESET, f"{rel} has no formula to typeset"
        assert raw == 0, f"{rel}: {raw} of {n_math} formulas not typeset"
    assert offline.off_disk == []


@pytest.mark.browser
@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_saved_widgets_are_drawn(site, opened, rel):
    """The HTML manager draws each saved widget from the notebook's state: the images shown
    are the saved ones, the static rendering is hidden, no note is shown."""
    notebook = source(site, rel)
    page = opened[rel][0]
    page.bring_to_front()  # a page behind others draws its frames seldom
    state = saved_sliders.saved_state(notebook)
    for view_id in saved_sliders._view_ids(notebook):
        widget = page.locator(f'.saved-widget[data-model-id="{view_id}"]')
        view = widget.locator(".widget-subarea")
        view.scroll_into_view_if_needed()
        images, readouts, figures = saved_sliders._content(state, view_id)
        readouts = [r for r in readouts if r]  # not the HTML of the shared SVG parts
        got = saved_sliders.shown(view)
        assert got["images"] == images, f"{view_id}: the drawn images are not the saved ones"
        assert got["figures"] == figures, f"{view_id}: the drawn SVG overlays are not the saved ones"
        assert all(r in got["texts"] for r in readouts), f"{view_id}: readout {readouts} not shown"
        assert not widget.locator(".saved-widget-fallback").is_visible()
        assert widget.locator(".widget-slider").count() >= 1


@pytest.mark.browser
@pytest.mark.parametrize("name", NAMES)
def test_korean_pages_show_hangul(opened, offline, name):
    """A font with Hangul draws the Korean text (Chromium's own record of the fonts it used),
    and a Hangul syllable is not drawn as the missing-glyph box."""
    page = opened[f"ko/{name}.html"][0]
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.evaluate(r"""() => {
        const walker = document.createTreeWalker(document.querySelector('article') || document.body,
                                                 NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (/[\uac00-\ud7a3]{4}/.test(n.textContent)) { n.parentElement.id = 'hangul-probe'; return; }
        }
    }""")
    text = page.locator("#hangul-probe").inner_text()
    cdp = offline.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#hangul-probe"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = [f for f in fonts if re.search(r"CJK|Hangul|Korean|\bKR\b|Nanum|Gothic|Malgun|Batang|Gulim",
                                         f["familyName"], re.I)]
    assert cjk and sum(f["glyphCount"] for f in cjk) >= len(set(HANGUL.findall(text))), (
        f"ko/{name}: Hangul drawn with {fonts} (install a CJK font: apt-get install fonts-noto-cjk)")
    family = page.evaluate("getComputedStyle(document.querySelector('#hangul-probe')).fontFamily")
    tofu = page.evaluate("""(family) => {
        const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = 64; c.height = 64;
            const g = c.getContext('2d'); g.font = '40px ' + family; g.fillText(ch, 4, 48);
            return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
        };
        return draw('학') === draw('\\u{10FFFD}');
    }""", family)
    assert not tofu, f"ko/{name}: '학' is drawn as the missing-glyph box"
    cdp.detach()


@pytest.mark.browser
def test_search_from_disk(site, offline):
    for query, expect in [("learning rate", "en/03_gradient_descent.html"), ("학습률", "ko/03_gradient_descent.html")]:
        page = offline.open(site / "search.html")
        page.goto(page.url + f"?q={query}")
        page.wait_for_selector("#search-results .search-summary", timeout=15000)
        hrefs = page.locator("#search-results ul.search li a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        page.close()
        assert any(h.split("#")[0].endswith(expect) for h in hrefs), f"search {query!r}: {hrefs}"


@pytest.mark.browser
def test_language_switch_in_the_browser(site, offline):
    page = offline.open(site / "en" / "01_random_search.html", wait_until="domcontentloaded")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("a.language-switch-link").click()
    assert page.url.endswith("/ko/01_random_search.html")
    assert HANGUL.search(page.locator("h1").first.inner_text())
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("a.language-switch-link").click()
    assert page.url.endswith("/en/01_random_search.html")
    page.close()


LAYERS_JS = """(root) => {
    // The boxes of the visible images and of the visible SVG drawings with a viewBox.
    const box = (e) => { const b = e.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; };
    const visible = (e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
    return {images: Array.from(root.querySelectorAll('img')).filter(visible).map(box),
            svgs: Array.from(root.querySelectorAll('svg[viewBox]')).filter(visible).map(box)};
}"""


def misaligned(root):
    """The visible SVG overlays of `root` (a Playwright locator) that do not cover one of its
    visible images (the figure's background) exactly, to a pixel: [] when every overlay sits
    on its background."""
    boxes = root.evaluate(LAYERS_JS)
    return [svg for svg in boxes["svgs"]
            if not any(all(abs(a - b) <= 1 for a, b in zip(svg, img)) for img in boxes["images"])]


NOTES = {("en", "noscript"): "JavaScript is off", ("ko", "noscript"): "자바스크립트가 꺼져",
         ("en", "missing"): "_static/ folder was not found", ("ko", "missing"): "_static/ 폴더가"}


def _check_saved_rendering(site, page, rel, reason):
    """Every kernel-free slider figure of page `rel` shows its saved rendering: visible, with
    the background image loaded, the saved setting's SVG overlay exactly on top of it, the
    readout text, and the note of `reason` ("noscript", "missing"). Returns the problems."""
    sliders = saved_sliders.kernel_free_sliders(source(site, rel))
    if not sliders:
        return [f"{rel}: no kernel-free slider to look at"]
    note = NOTES[rel.split("/")[0], reason]
    problems = []
    for view_id in dict.fromkeys(s.view_id for s in sliders):
        slider = next(s for s in sliders if s.view_id == view_id)
        images, texts, figures = slider.expected(slider.index)
        fallback = page.locator(f'.saved-widget[data-model-id="{view_id}"] > .saved-widget-fallback')
        label = f"{rel} {slider.description!r}"
        if not fallback.is_visible():
            problems.append(f"{label}: the saved rendering is hidden")
            continue
        img = fallback.locator("img.saved-widget-image").first
        if not (img.is_visible() and img.evaluate("i => i.naturalWidth") > 0):
            problems.append(f"{label}: the background image does not show")
        got = saved_sliders.shown(fallback, ".saved-widget-html")
        if not figures or got["figures"] != figures:
            problems.append(f"{label}: the SVG overlay shown is not the saved setting's")
        if not texts or not all(t in got["texts"] for t in texts):
            problems.append(f"{label}: readout {texts} not shown (shown: {got['texts']})")
        if misaligned(fallback):
            problems.append(f"{label}: overlay {misaligned(fallback)} is not on the background "
                            f"{fallback.evaluate(LAYERS_JS)['images']}")
        if note not in " ".join(fallback.inner_text().split()):
            problems.append(f"{label}: the note {note!r} is not shown")
    return problems


@pytest.mark.browser
def test_without_javascript_the_saved_figure_shows(site, browser):
    """Without JavaScript each slider figure shows its saved setting: the background image,
    the setting's SVG overlay exactly on top of it, the readout, and the note saying why it
    does not move (a screenshot of each page's first one goes to artifacts/)."""
    ctx = Offline(browser, java_script_enabled=False)
    bs.ARTIFACTS.mkdir(exist_ok=True)
    try:
        problems = []
        for rel in ["en/03_gradient_descent.html", "ko/04_stochastic_gradient_descent.html"]:
            page = ctx.open(site / rel)
            problems += _check_saved_rendering(site, page, rel, "noscript")
            first = page.locator(".saved-widget-fallback").first
            first.scroll_into_view_if_needed()
            first.screenshot(path=str(bs.ARTIFACTS / f"site_nojs_{rel.replace('/', '_')[:-5]}.png"))
            page.close()
        assert not problems, "\n".join(problems)
        assert ctx.off_disk == []
    finally:
        ctx.context.close()


@pytest.mark.browser
def test_page_without_its_folders_says_so(site, offline, tmp_path):
    """A page copied away from the site: the saved figure (background and overlay) and the
    readout show, with the note that the _static/ folder is missing (not a blank spot)."""
    problems = []
    for rel in ["en/03_gradient_descent.html", "ko/03_gradient_descent.html"]:
        lonely = tmp_path / rel.replace("/", "_")
        shutil.copy(site / rel, lonely)
        page = offline.open(lonely)
        note = page.locator('.saved-widget-failed-note[data-reason="missing"]').first
        note.wait_for(state="visible", timeout=10000)
        assert "_static/" in note.inner_text()
        problems += _check_saved_rendering(site, page, rel, "missing")
        page.close()
    assert not problems, "\n".join(problems)


def _move_every_slider(site, offline, notebook, rel, screenshot=None, page=None):
    """Move each kernel-free slider of `notebook` on page `rel` one step and back: each time
    the figure (the images and SVG overlays shown) and the readout change, to exactly the
    saved ones of the position reached, and every overlay stays on its background image.
    `screenshot`: a file for a picture of the first slider's view after its first move.
    `page`: the page `rel` already open with its widgets drawn (left open), else it is opened
    here. Returns (the sliders, the problems found)."""
    sliders = saved_sliders.kernel_free_sliders(notebook)
    own = page is None
    if own:
        page = offline.open(site / rel)
        wait_drawn(page)
    else:
        page.bring_to_front()  # a page behind others draws its frames seldom
    problems = []
    for slider in sliders:
        view = page.locator(f'.saved-widget[data-model-id="{slider.view_id}"] .widget-subarea')
        view.scroll_into_view_if_needed()
        new = saved_sliders.neighbour(slider)
        if slider.expected(new) == slider.expected(slider.index):
            problems.append(f"{rel} slider {slider.description!r}: positions {slider.index} and {new} "
                            "have the same saved frame and readout; a move cannot be seen")
            continue
        for frm, to in [(slider.index, new), (new, slider.index)]:
            label = f"{rel} slider {slider.description!r} {frm} -> {to}"
            images_from, texts_from, figures_from = slider.expected(frm)
            images, texts, figures = slider.expected(to)
            before, after = saved_sliders.move(page, view, slider, frm, to)
            if not (set(images_from) <= set(before["images"]) and before["figures"] == figures_from
                    and all(t in before["texts"] for t in texts_from)):
                problems.append(f"{label}: before the move the page did not show position {frm}")
            if not set(images) <= set(after["images"]) or after["figures"] != figures:
                problems.append(f"{label}: the figure is not the saved frame of position {to}")
            if not all(t in after["texts"] for t in texts):
                problems.append(f"{label}: readout {after['texts']} is not {texts}")
            if ((after["images"], after["figures"]) == (before["images"], before["figures"])
                    or after["texts"] == before["texts"]):
                problems.append(f"{label}: the figure or the readout did not change")
            if misaligned(view):
                problems.append(f"{label}: overlay {misaligned(view)} is not on the background image")
            if screenshot and slider is sliders[0] and to == new:
                view.screenshot(path=str(screenshot))
    if offline.page_errors[page]:
        problems.append(f"{rel}: script errors {offline.page_errors[page]}")
    if own:
        page.close()
    return sliders, problems


@pytest.mark.browser
def test_probe_slider_moves_on_the_site(site, offline):
    """The site's widget plumbing moves a kernel-free slider with no kernel (the probe page)."""
    probe = site.parent / "src" / PROBE_PAGE.replace(".html", ".ipynb")
    sliders, problems = _move_every_slider(site, offline, probe, PROBE_PAGE)
    assert len(sliders) == 1
    assert not problems, "\n".join(problems)
    assert offline.off_disk == []


@pytest.mark.browser
def test_lecture_sliders_move_on_the_site(site, offline, opened):
    """Every kernel-free slider of the lectures (03 and 04, English and Korean) moves its
    figure and readout on the site, to the saved frame and readout of its new position.

    It skips, saying so, only while no lecture notebook's saved widget state has a
    kernel-free slider (a slider jslinked to the selected_index of a Stack). As soon as one
    has, it runs on every such slider, in every run, CI included, and fails on any slider
    that does not move both its figure and its readout to the saved ones. It moves them on
    the pages opened once for the other tests, each slider one step and back to its saved
    position.
    """
    found = {rel: saved_sliders.kernel_free_sliders(source(site, rel)) for rel in WIDGET_PAGES}
    if not any(found.values()):
        pytest.skip("no kernel-free slider (a slider jslinked to a Stack's selected_index) in the "
                    "saved widget state of the notebooks of " + ", ".join(WIDGET_PAGES))
    problems = []
    bs.ARTIFACTS.mkdir(exist_ok=True)
    for rel, sliders in found.items():
        if sliders:
            shot = bs.ARTIFACTS / f"site_moved_{rel.replace('/', '_')[:-5]}.png"
            problems += _move_every_slider(site, offline, source(site, rel), rel, screenshot=shot,
                                           page=opened[rel][0])[1]
    assert not problems, "\n".join(problems)
    assert offline.off_disk == []
