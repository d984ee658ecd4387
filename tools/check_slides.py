"""Check the lectures' slide layer, and measure the offline decks in a real browser.

Usage (from anywhere; no venv needs to be activated):

    .venv/bin/python tools/check_slides.py                # rules + measurement, report only
    .venv/bin/python tools/check_slides.py --strict       # exit 1 on any violation
    .venv/bin/python tools/check_slides.py --static-only  # the metadata rules alone, no browser
    .venv/bin/python tools/check_slides.py notebooks/03_gradient_descent.ipynb

Two parts:

1. The rules of slides/AUTHORING.md, read from each notebook's metadata (no browser, no
   build): slide types valid for both paths (no "subslide", never an explicit "-"),
   plumbing hidden in both paths (tag `remove-input` AND `jupyter.source_hidden`), no
   test marker on a slide, shown code <= 12 lines of <= 80 characters, <= 60 words of
   prose per slide, at most one figure and two fragments per slide, speaker notes on every
   slide, and the deck's shape: title, agenda, ..., summary, at most one closing exercises
   slide. `static_problems(path)` returns them as text; tests/delivery/test_slides.py runs it.
2. The measurement: builds stale decks (tools/build_slides.py), opens each one from
   file:// in headless Chromium (Debian's /usr/bin/chromium through Playwright) with
   every non-file request aborted, at 1280x720 and 1920x1080, visits every slide and
   prints per deck: slides, slides taller than the screen at each size, words per slide
   (max, median), code lines cut at the right, requests off disk, the smallest figure
   scale. `measure_deck(page, deck)` returns one deck's numbers; the browser tests use it.

Without --strict the exit status is 0 whatever was found (2 if a deck cannot be built).
"""
import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402  (tools/build_slides.py, next to this file)

NOTEBOOKS = ROOT / "notebooks"
LIVE_STYLE_FILE = ROOT / "slides" / "live_deck_style.json"
LIVE_STYLE_KEY = "@deathbeds/jupyterlab-fonts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENS = {"720p": (1280, 720), "1080p": (1920, 1080)}
SLIDE_HEIGHT = 720  # reveal.js slide units (the deck is laid out at 1280 x 720)

SLIDE_TYPES = {"slide", "fragment", "notes", "skip"}  # or no key: continue the slide
MAX_WORDS = 60
MAX_WORDS_WITH_FIGURE = 30
MAX_CODE_LINES = 12
MAX_CODE_COLS = 80
MAX_FRAGMENTS = 2
MARKER = re.compile(r"^\s*#\s*(NBVAL_\w+|PYTEST_VALIDATE_IGNORE_OUTPUT)\b", re.M)
FIGURE_MIME = ("image/png", "image/jpeg", "image/svg+xml", "application/vnd.jupyter.widget-view+json")


# --------------------------------------------------------------------------- rules

def count_words(markdown):
    """Words of visible prose in a markdown source: fenced code blocks and HTML comments
    dropped, each math expression one word, link text kept, markup ignored."""
    text = re.sub(r"```.*?(```|\Z)", " ", markdown, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " MATH ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$\n]+?\$", " MATH ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return sum(1 for token in text.split() if re.search(r"\w", token))


def _slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type")


def _tags(cell):
    return cell.metadata.get("tags", [])


def _input_hidden(cell):
    """(offline build hides the code, JupyterLab and the live deck hide the code)."""
    return "remove-input" in _tags(cell), bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def _has_figure(cell):
    return cell.cell_type == "code" and any(
        mime in out.get("data", {}) for out in cell.get("outputs", []) for mime in FIGURE_MIME)


def _heading(source):
    """(level, text) of the first line if it is a markdown heading, else (0, "")."""
    match = re.match(r"(#{1,6})\s+(.*)", source.strip().splitlines()[0] if source.strip() else "")
    return (len(match.group(1)), match.group(2).strip()) if match else (0, "")


def slides_of(nb):
    """The deck as the rules see it: a list of slides, each a dict with the cells shown
    (index, cell), notes and fragment counts. Cells before the first slide go to slide 0."""
    slides = []
    for index, cell in enumerate(nb.cells):
        kind = _slide_type(cell)
        if kind == "skip":
            continue
        if kind == "slide" or not slides:
            slides.append({"start": index, "cells": [], "notes": 0, "fragments": 0})
        slide = slides[-1]
        if kind == "notes":
            slide["notes"] += 1
            continue
        slide["fragments"] += kind == "fragment"
        slide["cells"].append((index, cell))
    return slides


def _cell_problems(index, cell):
    kind, tags = _slide_type(cell), _tags(cell)
    where = f"cell {index}"
    problems = []
    if "slideshow" in cell.metadata and not isinstance(cell.metadata["slideshow"], dict):
        problems.append(f"{where}: metadata.slideshow must be a dict")
    if kind is not None and kind not in SLIDE_TYPES:
        why = {"-": 'an explicit "-" is never shown by jupyterlab-slideshow: drop the key to continue a slide',
               "subslide": 'no "subslide": the deck is a flat sequence (use "slide")'}.get(kind, "unknown slide type")
        problems.append(f"{where}: slide_type {kind!r}: {why}")
    if kind == "notes" and cell.cell_type != "markdown":
        problems.append(f"{where}: a notes cell must be markdown (readable as text in the notebook)")
    if "remove-cell" in tags and kind != "skip":
        problems.append(f"{where}: tag remove-cell without slide_type skip (the live deck would show it)")
    if kind in ("skip", "notes") or cell.cell_type != "code":
        return problems
    if "remove-output" in tags:
        problems.append(f"{where}: tag remove-output on a shown cell (the live deck shows outputs): use skip")
    tag_hidden, lab_hidden = _input_hidden(cell)
    if tag_hidden != lab_hidden:
        problems.append(f"{where}: code hidden in one path only: tag remove-input={tag_hidden}, "
                        f"metadata.jupyter.source_hidden={lab_hidden} (set both)")
    if tag_hidden and lab_hidden and not cell.get("outputs"):
        problems.append(f"{where}: hidden code with no stored output shows nothing: make it skip")
    if not (tag_hidden and lab_hidden):
        lines = cell.source.rstrip().splitlines()
        if MARKER.search(cell.source):
            problems.append(f"{where}: a test marker comment is visible on the slide: "
                            "use the cell tag nbval-ignore-output instead")
        if len(lines) > MAX_CODE_LINES:
            problems.append(f"{where}: {len(lines)} lines of code on a slide (max {MAX_CODE_LINES})")
        long = [n + 1 for n, line in enumerate(lines) if len(line) > MAX_CODE_COLS]
        if long:
            problems.append(f"{where}: code lines {long} longer than {MAX_CODE_COLS} characters")
    return problems


def _slide_problems(number, slide, n_slides):
    first_index, first = slide["cells"][0] if slide["cells"] else (slide["start"], None)
    level, title = _heading(first.source) if first is not None and first.cell_type == "markdown" else (0, "")
    where = f"slide {number + 1} ({title or 'no heading'!s:.40}, cell {first_index})"
    problems = []
    wanted = 1 if number == 0 else 2
    if level != wanted:
        problems.append(f"{where}: must start with a markdown cell whose first line is a "
                        f"level-{wanted} heading ({'#' * wanted} ...)")
    words = sum(count_words(c.source) for _, c in slide["cells"] if c.cell_type == "markdown")
    figures = sum(_has_figure(c) for _, c in slide["cells"])
    limit = MAX_WORDS_WITH_FIGURE if figures else MAX_WORDS
    if words > limit:
        problems.append(f"{where}: {words} words of prose (max {limit}{' beside a figure' if figures else ''}); "
                        "move the explanation to a notes cell")
    if figures > 1:
        problems.append(f"{where}: {figures} figures (a figure gets its own slide)")
    if slide["fragments"] > MAX_FRAGMENTS:
        problems.append(f"{where}: {slide['fragments']} fragments (max {MAX_FRAGMENTS})")
    if number > 0 and slide["notes"] == 0:
        problems.append(f"{where}: no speaker notes (add a markdown cell with slide_type notes)")
    if title.lower().startswith("solution"):
        problems.append(f"{where}: solutions are not shown in the slides (skip them)")
    return problems, title


def _deck_problems(titles):
    problems = []
    lower = [t.lower() for t in titles]
    if len(titles) < 2 or not lower[1].startswith("agenda"):
        problems.append("deck: the second slide must be the agenda (## Agenda)")
    summaries = [i for i, t in enumerate(lower) if t.startswith("summary")]
    exercises = [i for i, t in enumerate(lower) if t.startswith("exercise")]
    if len(exercises) > 1:
        problems.append(f"deck: {len(exercises)} exercises slides (at most one, the last)")
    if exercises and exercises[-1] != len(titles) - 1:
        problems.append("deck: the exercises slide must be the last slide")
    end = len(titles) - 1 - bool(exercises)
    if not summaries or summaries[-1] != end:
        problems.append("deck: a summary slide (## Summary) must close the lecture "
                        "(followed only by the exercises slide, if any)")
    return problems


def static_problems(path):
    """Every rule of slides/AUTHORING.md that a notebook breaks, as readable lines."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        problems += _cell_problems(index, cell)
    shown = [(i, c) for i, c in enumerate(nb.cells) if _slide_type(c) not in ("skip", "notes")]
    if shown and _slide_type(shown[0][1]) != "slide":
        problems.append(f"cell {shown[0][0]}: the first shown cell must start a slide (slide_type slide)")
    slides = slides_of(nb)
    titles = []
    for number, slide in enumerate(slides):
        found, title = _slide_problems(number, slide, len(slides))
        problems += found
        titles.append(title)
    problems += _deck_problems(titles)
    style = json.loads(LIVE_STYLE_FILE.read_text(encoding="utf-8"))
    if nb.metadata.get(LIVE_STYLE_KEY) != style:
        problems.append(f"notebook metadata: {LIVE_STYLE_KEY!r} must equal slides/live_deck_style.json "
                        "(the live deck's room-size type and hidden code placeholders)")
    return problems


# --------------------------------------------------------------------------- measurement

READY_JS = """async () => {
  const until = async (ok, ms) => { const t0 = Date.now();
    while (!ok()) { if (Date.now() - t0 > ms) return false; await new Promise(r => setTimeout(r, 50)); }
    return true; };
  await until(() => window.Reveal && document.querySelector('.reveal.ready'), 30000);
  if (window.MathJax && MathJax.Hub) { await new Promise(r => MathJax.Hub.Queue(r)); }
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  await until(() => document.querySelectorAll('.widget-subarea').length >= views, 20000);
  await until(() => [...document.images].every(i => i.complete), 10000);
  return Reveal.getTotalSlides();
}"""

MEASURE_JS = """async () => {
  // Every slide is laid out at once (a slide's size in reveal.js does not depend on which
  // slide is shown): no stepping, one MathJax pass over the whole deck.
  if (!window.__allSlidesLaidOut) {
    Reveal.configure({viewDistance: 1000, mobileViewDistance: 1000});
    if (window.MathJax && MathJax.Hub) {
      await new Promise(r => MathJax.Hub.Queue(["Rerender", MathJax.Hub], r));
    }
    window.__allSlidesLaidOut = true;
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const scale = Reveal.getScale();
  const shown = (e) => !e.closest('aside.notes');
  const words = (el) => {
    const clone = el.cloneNode(true);
    const n = clone.querySelectorAll('script[type^="math/tex"]').length;
    clone.querySelectorAll('pre, script, style, .MathJax, .MathJax_CHTML, .MathJax_Preview, mjx-container')
         .forEach(e => e.remove());
    return n + clone.textContent.split(/\\s+/).filter(t => /[\\p{L}\\p{N}]/u.test(t)).length;
  };
  return Reveal.getSlides().map((slide) => {
    const idx = Reveal.getIndices(slide);
    const md = [...slide.querySelectorAll('.jp-RenderedMarkdown')].filter(shown);
    let cut = 0;
    for (const pre of [...slide.querySelectorAll('pre')].filter(shown)) {
      if (pre.scrollWidth <= pre.clientWidth + 1) continue;
      const cs = getComputedStyle(pre);
      const probe = document.createElement('span');
      probe.style.font = cs.font; probe.style.whiteSpace = 'pre'; probe.textContent = '0'.repeat(50);
      pre.appendChild(probe); const ch = probe.offsetWidth / 50; probe.remove();
      const room = (pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)) / ch;
      cut += pre.textContent.split('\\n').filter(l => l.length > room + 0.5).length || 1;
    }
    // rendered images only: not a widget's saved rendering hidden behind the live widget
    const figScales = [...slide.querySelectorAll('img')].filter(shown)
        .filter(i => i.naturalWidth > 0 && i.getClientRects().length > 0)
        .map(i => i.offsetWidth / i.naturalWidth);
    const heading = slide.querySelector('h1, h2, h3');
    return {h: idx.h, v: idx.v, title: heading ? heading.textContent.replace(/\\u00b6/g, '').trim() : '',
            height: slide.scrollHeight, scale, viewport: window.innerHeight,
            words: md.reduce((s, e) => s + words(e), 0), cut,
            math: slide.querySelectorAll('.MathJax_CHTML').length,
            sliders: slide.querySelectorAll('.widget-slider').length,
            figScale: figScales.length ? Math.min(...figScales) : null};
  });
}"""


def require_playwright():
    """The sync Playwright entry point; raises RuntimeError with the reason if unavailable."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RuntimeError(f"needs the playwright package ({exc}): pip install -r requirements-dev.txt") from None
    return sync_playwright


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def offline_context(browser, width, height, off_disk):
    """A browser context that aborts (and records in `off_disk`) every non-file request."""
    ctx = browser.new_context(viewport={"width": width, "height": height})

    def only_files(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            off_disk.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_files)
    return ctx


def open_deck(page, deck):
    """Open a deck from file:// and wait for reveal.js, MathJax, the widgets and the images."""
    page.goto(Path(deck).resolve().as_uri())
    return page.evaluate(READY_JS)


def measure_deck(page, deck, screens=SCREENS):
    """Measure every slide of a deck at each screen size (the page is resized in between).

    Returns {screen name: list of per-slide dicts (h, v, title, height in slide px, scale,
    viewport height, words, code lines cut, typeset formulas, drawn sliders, smallest
    figure scale)}."""
    open_deck(page, deck)
    rows = {}
    for screen, (width, height) in screens.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("([w, h]) => window.innerWidth === w && window.innerHeight === h",
                               arg=[width, height])
        page.evaluate("() => Reveal.layout()")
        rows[screen] = page.evaluate(MEASURE_JS)
    return rows


def summarise(rows):
    """Per-deck numbers from measure_deck's rows."""
    words = [r["words"] for r in rows]
    figs = [r["figScale"] for r in rows if r["figScale"] is not None]
    return {"slides": len(rows),
            "over": [r for r in rows if r["height"] > SLIDE_HEIGHT + 1],
            "words_max": max(words, default=0),
            "words_median": statistics.median(words) if words else 0,
            "wordy": [r for r in rows if r["words"] > MAX_WORDS],
            "cut": sum(r["cut"] for r in rows),
            "fig_min": min(figs) if figs else None}


def measure(decks):
    """{deck name: {screen: (rows, summary, off-disk URLs)}} for every deck and screen size."""
    sync_playwright = require_playwright()
    results = {}
    with sync_playwright() as p:
        browser = launch(p)
        try:
            off_disk = []
            ctx = offline_context(browser, *SCREENS["720p"], off_disk)
            page = ctx.new_page()
            for deck in decks:
                start = len(off_disk)
                by_screen = measure_deck(page, deck)
                results[deck.name] = {screen: (rows, summarise(rows), off_disk[start:] if screen == "720p" else [])
                                      for screen, rows in by_screen.items()}
            ctx.close()
        finally:
            browser.close()
    return results


def stale(notebook):
    deck = build_slides.deck_path(notebook)
    inputs = [notebook, ROOT / "tools" / "build_slides.py", ROOT / "slides" / "package-lock.json",
              *sorted((ROOT / "slides" / "templates").rglob("*"))]
    return not deck.exists() or deck.stat().st_mtime < max(p.stat().st_mtime for p in inputs if p.is_file())


def report_table(results):
    head = ("| deck | slides | over the screen 1280x720 | over 1920x1080 | words/slide max | median "
            "| slides > 60 words | code lines cut | requests off disk | smallest figure scale |")
    lines = [head, "|" + "---|" * 10]
    for name, by_screen in results.items():
        s720, s1080 = by_screen["720p"][1], by_screen["1080p"][1]
        off = len(by_screen["720p"][2]) + len(by_screen["1080p"][2])
        fig = "-" if s720["fig_min"] is None else f"{s720['fig_min']:.2f}"
        lines.append(f"| {name.removesuffix('.slides.html')} | {s720['slides']} | {len(s720['over'])} "
                     f"| {len(s1080['over'])} | {s720['words_max']} | {s720['words_median']:g} "
                     f"| {len(s720['wordy'])} | {max(s720['cut'], s1080['cut'])} | {off} | {fig} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--strict", action="store_true", help="exit 1 on any violation")
    parser.add_argument("--static-only", action="store_true", help="metadata rules only (no build, no browser)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every slide over the screen")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    violations = 0
    print("== slide rules (slides/AUTHORING.md), from the notebooks' metadata")
    for nb in notebooks:
        problems = static_problems(nb)
        violations += len(problems)
        print(f"{nb.name}: {len(problems)} problem(s)")
        for line in problems:
            print(f"  - {line}")
    if not args.static_only:
        stale_nbs = [nb for nb in notebooks if stale(nb)]
        if stale_nbs:
            try:
                build_slides.build(stale_nbs)
            except (build_slides.BuildError, OSError) as exc:
                print(f"check_slides: cannot build the decks: {exc}", file=sys.stderr)
                return 2
        start = time.monotonic()
        try:
            results = measure([build_slides.deck_path(nb) for nb in notebooks])
        except RuntimeError as exc:
            print(f"check_slides: cannot measure in a browser: {exc}", file=sys.stderr)
            return 2
        print(f"\n== offline decks measured in Chromium ({time.monotonic() - start:.1f} s; "
              f"slides of 1280x720 px, body type 36 px)")
        print(report_table(results))
        for name, by_screen in results.items():
            for screen, (rows, summary, off_disk) in by_screen.items():
                violations += len(summary["over"]) + len(summary["wordy"]) + summary["cut"] + len(off_disk)
                if args.verbose:
                    for r in summary["over"]:
                        print(f"  {name} {screen}: slide {r['h'] + 1} ({r['title'][:40]}) is "
                              f"{r['height']} px tall (room: {SLIDE_HEIGHT})")
                for url in off_disk:
                    print(f"  {name} {screen}: request off disk: {url}")
    print(f"\n{violations} violation(s)")
    return 1 if args.strict and violations else 0


if __name__ == "__main__":
    sys.exit(main())
