"""The sliders, proven in a real JupyterLab driven by headless Chromium, in the notebook
and in the live slideshow (jupyterlab-slideshow) a lecturer presents from.

For every lecture notebook with a slider panel (a widget with the CSS class
``optim-panel``), ONE JupyterLab server for the whole module (the only one the test
session starts) and one Chromium at 1280x720 (a projector):

1. the server serves copies of notebooks/ and data/ in a temporary folder (free port,
   random token, no news/update pop-ups, no autosave) — the notebooks in the repository
   are never opened by the server, so nothing can be saved over them;
2. meanwhile the slider "oracle" (``browser_support``) runs the notebook's Setup and
   slider cells in a plain Python process and moves each slider there, to learn the
   readout each move must give;
3. the notebook is opened, its outputs cleared, Run All, and every code cell must get an
   execution count with nothing written to stderr (once per notebook, shared by the tests);
4. in the notebook: each slider's handle gets arrow keys; the readout must equal the
   oracle's text (the helpers' run of that setting, computed anew), and the figure must
   change;
5. in the live deck: from the first slide, only the "next" key is pressed (PageDown, what
   a clicker sends, bound by slides/jupyterlab/overrides.json; Space once a slider has the
   focus) until each slider is wholly on screen; an arrow key on its handle must change
   the readout and the image; Escape must leave the deck. Every slide passed on the way
   must fit the screen (the deck scrolls a taller one).

Screenshots go to artifacts/. Without chromium or playwright the tests skip with the
reason (and fail under CI). Select with ``-m browser``; deselect with ``-m "not browser"``.
"""
import hashlib
import re
import shutil
import time

import nbformat
import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

NOTEBOOKS = bs.ROOT / "notebooks"
SLIDER_CALL = re.compile(r"widgets\.(lr_slider\w*|sgd_sliders)\(")


def _has_slider_panel(path):
    """Stored widget state shows a slider panel, or a code cell builds one."""
    nb = nbformat.read(path, as_version=4)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    stored = any("optim-panel" in (m.get("state", {}).get("_dom_classes") or [])
                 for m in state.get("state", {}).values())
    return stored or any(c.cell_type == "code" and SLIDER_CALL.search(c.source) for c in nb.cells)


SLIDER_NOTEBOOKS = sorted(p.name for p in NOTEBOOKS.glob("[0-9]*.ipynb") if _has_slider_panel(p))
ORIGINALS = {}  # sha256 of notebooks/*.ipynb when the lab fixture copied them
# The lectures with sliders: a notebook that lost its sliders fails here, it does not skip.
EXPECTED_SLIDER_NOTEBOOKS = ["03_gradient_descent.ipynb", "04_stochastic_gradient_descent.ipynb"]


def test_the_slider_lectures_show_sliders():
    assert SLIDER_NOTEBOOKS == EXPECTED_SLIDER_NOTEBOOKS


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


class Lab:
    """The server, the browser and, per notebook, the work done once and shared by the
    tests (any order): Run All + the oracle's moves, then the walk through the live deck."""

    def __init__(self, server, browser, oracles, root):
        self.server, self.browser, self.oracles, self.root = server, browser, oracles, root
        self._done = {}

    def _once(self, key, make):
        if key not in self._done:
            try:
                self._done[key] = ("ok", make())
            except Exception as exc:  # noqa: BLE001  (re-raised for every test that needs it)
                self._done[key] = ("error", exc)
        status, value = self._done[key]
        if status == "error":
            raise value
        return value

    def notebook(self, name):
        """(page, seconds Run All took, the oracle's moves seen) after Run All and the
        oracle-checked slider moves in the notebook view."""
        return self._once(("notebook", name), lambda: self._run_and_drive(name))

    def deck(self, name):
        """The live-deck walk's record (browser_support.walk_deck) plus the Escape result."""
        return self._once(("deck", name), lambda: self._walk(name))

    def _run_and_drive(self, name):
        from playwright.sync_api import expect

        stem = name.removesuffix(".ipynb")
        n_code = sum(c.cell_type == "code" for c in nbformat.read(self.root / "notebooks" / name, 4).cells)
        page = self.browser.new_context(viewport=bs.VIEWPORT).new_page()
        try:
            run_all = bs.open_and_run_all(page, self.server, f"notebooks/{name}", n_code, workspace=stem)
            errors = bs.error_outputs(page)
            assert not errors, f"{name}: cells wrote to stderr or raised:\n" + "\n---\n".join(errors)
            plan = bs.finish_oracle(self.oracles[name])  # it ran while the browser did Run All
            assert plan, f"{name}: the oracle found no SliderPanel"
            seen = bs.drive_panels(page, plan, str(bs.ARTIFACTS / f"browser_{stem}"), expect)
        except Exception:
            page.screenshot(path=str(bs.ARTIFACTS / f"browser_{stem}_failed.png"))
            raise
        return page, run_all, plan, seen

    def _walk(self, name):
        page = self.notebook(name)[0]
        stem = name.removesuffix(".ipynb")
        start = time.monotonic()
        bs.start_deck_at_first_slide(page)
        try:
            record = bs.walk_deck(page, shot_prefix=str(bs.ARTIFACTS / f"browser_{stem}"))
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            record["after_escape"] = bs.deck_state(page)
        finally:  # the deck's "active" setting persists: never leave the next notebook in it
            page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
        record["seconds"] = time.monotonic() - start
        page.screenshot(path=str(bs.ARTIFACTS / f"browser_{stem}_after_deck.png"))
        return record


@pytest.fixture(scope="module")
def lab(tmp_path_factory, require):
    """One JupyterLab + one Chromium for every test of this module (the only JupyterLab
    the test session starts). Module scope, not session: Playwright's sync API keeps an
    event loop running while it is open, which must not overlap the nbval kernels.
    Without Chromium or Playwright it skips with the reason, and fails under CI."""
    try:
        sync_playwright = bs.require_playwright()
    except pytest.skip.Exception as missing:
        require(False, str(missing))
    assert SLIDER_NOTEBOOKS, "no notebook in notebooks/ shows a slider panel"
    bs.ARTIFACTS.mkdir(exist_ok=True)
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "root"
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    ORIGINALS.update(_digest(NOTEBOOKS))
    if (bs.ROOT / "data").is_dir():
        shutil.copytree(bs.ROOT / "data", root / "data")
    # The oracles run while the server and the browser start (2 cores).
    oracles = {name: bs.start_oracle(root / "notebooks" / name) for name in SLIDER_NOTEBOOKS}
    try:
        # The clicker keys (PageDown / PageUp) for the deck, as a lecturer installs them.
        (tmp / "app-settings").mkdir()
        shutil.copy(bs.ROOT / "slides" / "jupyterlab" / "overrides.json", tmp / "app-settings")
        settings = [f"--LabApp.app_settings_dir={tmp / 'app-settings'}"]
        with bs.jupyter_lab(root, tmp, extra_args=settings) as server:
            try:
                launched = bs.chromium(sync_playwright)
                browser = launched.__enter__()
            except pytest.skip.Exception as broken:     # chromium would not start
                require(False, str(broken))
            try:
                yield Lab(server, browser, oracles, root)
            finally:
                launched.__exit__(None, None, None)
    finally:
        for proc in oracles.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.mark.parametrize("name", SLIDER_NOTEBOOKS)
def test_sliders_update_readout_and_figure(lab, name):
    """In the notebook: every move gives the oracle's readout, and the figure changes."""
    _, run_all, plan, seen = lab.notebook(name)
    n_moves = sum(len(entry["moves"]) for entry in plan)
    assert n_moves >= 1, f"{name}: no slider to move"
    for label, texts in seen:
        assert len(set(texts)) == len(texts), f"{name} {label}: a move left the readout unchanged: {texts}"
    print(f"\n{name}: Run All {run_all:.1f} s, {len(plan)} panel(s), {n_moves} slider move(s)")
    for label, texts in seen:
        print(f"  {label}: " + "  ->  ".join(texts))


@pytest.mark.parametrize("name", SLIDER_NOTEBOOKS)
def test_live_deck_next_key_reaches_and_moves_every_slider(lab, name):
    """In the live slideshow: the "next" key alone (PageDown, then Space once a slider has
    the focus) reaches each slider from the first slide; an arrow key on its handle
    changes the readout and the figure (its SVG overlay); Escape leaves the deck."""
    record = lab.deck(name)
    first = record["steps"][0]
    assert first["presenting"], f"{name}: deck:start did not start the slideshow"
    assert record["panels"] >= 1, f"{name}: no slider panel in the page"
    reached = len(record["presses"])
    slides = sorted({s["title"] for s in record["steps"] if s["title"]})
    assert reached == record["panels"], (
        f"{name}: the next key reached {reached} of {record['panels']} slider panel(s) wholly on screen "
        f"after {len(record['steps']) - 1} presses (slides seen: {slides}). A cell whose "
        f'slide_type is "-" is never shown, and a slider below the fold is not reached.')
    for k, ((text0, src0), (text1, src1)) in enumerate(record["moves"]):
        assert text1 != text0, f"{name} panel {k}: the readout did not change in the deck"
        assert src1 != src0, f"{name} panel {k}: the figure did not change in the deck"
    assert not record["after_escape"]["presenting"], f"{name}: Escape did not leave the slideshow"
    print(f"\n{name}: live deck, {record['panels']} slider panel(s) reached after "
          f"{record['presses']} presses ({record['keys'].count('PageDown')} PageDown, "
          f"{record['keys'].count('Space')} Space), {record['seconds']:.1f} s")
    for (text0, _), (text1, _) in record["moves"]:
        print(f"  {text0}  ->  {text1}")


@pytest.mark.parametrize("name", SLIDER_NOTEBOOKS)
def test_live_deck_slides_fit_the_screen(lab, name):
    """Every slide the walk passed (up to the last slider) fits 1280x720 in the live deck."""
    record = lab.deck(name)
    tall = {}
    for s in record["steps"]:
        if s["tall"]:
            title = s["title"] or f"cell {s['slide']}"
            tall[title] = max(tall.get(title, 0), s["height"])
    assert not tall, (f"{name}: live-deck slides taller than a 1280x720 screen (px, room 720): "
                      + ", ".join(f"{t!r} {h}" for t, h in tall.items()))


def test_repository_notebooks_untouched(lab):
    """The server only ever saw copies: notebooks/ is byte-for-byte what it was."""
    assert ORIGINALS, "the lab fixture recorded no notebook"
    assert _digest(NOTEBOOKS) == ORIGINALS, "a notebook in notebooks/ changed while the browser test ran"
