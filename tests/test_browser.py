"""The sliders, proven in a real JupyterLab driven by headless Chromium.

For every lecture notebook whose stored outputs show a slider panel (a widget with the
CSS class ``optim-readout``), this test:

1. copies notebooks/ into a temporary folder and serves it with a fresh JupyterLab on
   127.0.0.1 (free port, random token, no news/update pop-ups, no autosave) — the
   notebooks in the repository are never opened by the server, so nothing can be saved
   over them;
2. meanwhile runs the notebook's code in a plain Python process (``browser_support``'s
   oracle) and moves each slider there, as the browser will, to learn the readout text
   the helpers compute for every new setting;
3. opens the notebook in Chromium, waits for a named idle kernel, clears all outputs,
   Run All, and waits until every code cell has a numbered prompt and no cell wrote to
   stderr;
4. for each slider panel: checks the first readout, presses the arrow keys on each
   slider's handle, waits for the readout to equal the oracle's text for the new
   setting, checks that the figure image changed, and saves a screenshot of the panel
   to artifacts/browser_<notebook>_cell<NN>_<k>.png (plus the whole page).

The server is always stopped. Without chromium or playwright the test skips with the
reason. Select with ``-m browser``; deselect with ``-m "not browser"``.
"""
import hashlib
import shutil
import time

import nbformat
import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

NOTEBOOKS = bs.ROOT / "notebooks"


def _has_slider_panel(path):
    nb = nbformat.read(path, as_version=4)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return any("optim-readout" in (m.get("state", {}).get("_dom_classes") or [])
               for m in state.get("state", {}).values())


SLIDER_NOTEBOOKS = sorted(p.name for p in NOTEBOOKS.glob("[0-9]*.ipynb") if _has_slider_panel(p))


ORIGINALS = {}  # sha256 of notebooks/*.ipynb when the lab fixture copied them


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


class Lab:
    def __init__(self, server, ctx, oracles, root):
        self.server, self.ctx, self.oracles, self.root = server, ctx, oracles, root
        self.ran = set()  # notebooks whose kernel has run all cells
        self._plans = {}

    def plan(self, name):
        """The oracle's plan for a notebook (waits for the oracle started at setup)."""
        if name not in self._plans:
            self._plans[name] = bs.finish_oracle(self.oracles[name])
        return self._plans[name]

    def n_code(self, name):
        return sum(c.cell_type == "code" for c in nbformat.read(self.root / "notebooks" / name, 4).cells)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab + Chromium for the module, serving copies of notebooks/ and data/.

    Yields (server, browser context, {notebook name: oracle Popen}, root)."""
    sync_playwright = bs.require_playwright()
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "root"
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    ORIGINALS.update(_digest(NOTEBOOKS))
    if (bs.ROOT / "data").is_dir():
        shutil.copytree(bs.ROOT / "data", root / "data")
    # The oracles run while the server and the browser start (2 cores).
    oracles = {name: bs.start_oracle(root / "notebooks" / name) for name in SLIDER_NOTEBOOKS}
    try:
        with bs.jupyter_lab(root, tmp) as server, bs.chromium_context(sync_playwright, tmp / "profile") as ctx:
            yield Lab(server, ctx, oracles, root)
    finally:
        for proc in oracles.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.mark.skipif(not SLIDER_NOTEBOOKS, reason="no notebook in notebooks/ shows a slider panel yet")
@pytest.mark.parametrize("name", SLIDER_NOTEBOOKS)
def test_sliders_update_readout_and_figure(lab, name):
    from playwright.sync_api import expect

    n_code = lab.n_code(name)
    bs.ARTIFACTS.mkdir(exist_ok=True)
    stem = name.removesuffix(".ipynb")
    page = lab.ctx.new_page()
    start = time.monotonic()
    try:
        run_all = bs.open_and_run_all(page, lab.server, f"notebooks/{name}", n_code, workspace=stem)
        lab.ran.add(name)
        errors = bs.error_outputs(page)
        assert not errors, f"{name}: cells wrote to stderr or raised:\n" + "\n---\n".join(errors)
        plan = lab.plan(name)  # the oracle ran while the browser did Run All
        assert plan, f"{name}: the oracle found no SliderPanel although the stored outputs show one"
        n_moves = sum(len(entry["moves"]) for entry in plan)
        assert n_moves >= 1, f"{name}: no slider to move"
        seen = bs.drive_panels(page, plan, str(bs.ARTIFACTS / f"browser_{stem}"), expect)
        for label, texts in seen:
            assert len(set(texts)) == len(texts), f"{name} {label}: a move left the readout unchanged: {texts}"
        print(f"\n{name}: Run All {run_all:.1f} s, {len(plan)} panel(s), {n_moves} slider move(s), "
              f"{time.monotonic() - start:.1f} s in the browser")
        for label, texts in seen:
            print(f"  {label}: " + "  ->  ".join(texts))
    finally:
        page.screenshot(path=str(bs.ARTIFACTS / f"browser_{stem}.png"))
        page.close()


RISE_REASON = (
    "jupyterlab-rise 0.43.1 (the live slideshow) cannot load the ipywidgets 8.1.9 front end "
    "(jupyterlab_widgets 3.0.17): its app logs 'Shared module @jupyterlab/console doesn't exist "
    "in shared scope default' and every slider output shows as its text repr. Strict: when a "
    "release fixes this, this test fails as XPASS; then update the README's RISE note.")


@pytest.mark.skipif(not SLIDER_NOTEBOOKS, reason="no notebook in notebooks/ shows a slider panel yet")
@pytest.mark.xfail(strict=True, raises=AssertionError, reason=RISE_REASON)
def test_sliders_inside_live_rise_slideshow(lab):
    """Start the RISE slideshow of the first slider notebook (same kernel as JupyterLab),
    run the first slider cell there with Ctrl+Enter, and look for a slider."""
    name = SLIDER_NOTEBOOKS[0]
    stem = name.removesuffix(".ipynb")
    if name not in lab.ran:
        page = lab.ctx.new_page()
        bs.open_and_run_all(page, lab.server, f"notebooks/{name}", lab.n_code(name), workspace=stem)
        lab.ran.add(name)
        page.close()
    nb = nbformat.read(lab.root / "notebooks" / name, 4)
    index = lab.plan(name)[0]["cell"]
    page = lab.ctx.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        text, n_sliders = bs.run_cell_in_rise(page, lab.server, f"notebooks/{name}", nb, index)
        assert n_sliders >= 1, (f"no slider inside the RISE slideshow; the cell shows {text[:120]!r}; "
                                f"console errors: {[c[:120] for c in console][:3]}")
    finally:
        page.screenshot(path=str(bs.ARTIFACTS / f"rise_{stem}.png"))
        page.close()


@pytest.mark.skipif(not SLIDER_NOTEBOOKS, reason="no notebook in notebooks/ shows a slider panel yet")
def test_repository_notebooks_untouched(lab):
    """The server only ever saw copies: notebooks/ is byte-for-byte what it was."""
    assert ORIGINALS, "the lab fixture recorded no notebook"
    assert _digest(NOTEBOOKS) == ORIGINALS, "a notebook in notebooks/ changed while the browser test ran"
