"""Plumbing for the browser tests: a throw-away JupyterLab server, headless Chromium,
JupyterLab page helpers, the live deck (jupyterlab-slideshow) driven with the presenter's
keys, and a slider "oracle" that computes in plain Python what every slider's readout
must say after a given move.

Used by tests/delivery/test_browser.py and tests/delivery/test_slides.py. Nothing here touches the
notebooks in notebooks/: the browser test copies them into a temporary folder first.

Run as a script, ``python tests/delivery/browser_support.py oracle NOTEBOOK`` prints the oracle's
plan as JSON (the browser test runs it in a subprocess so that the notebook's code runs
in a fresh interpreter, the way a kernel would run it).
"""
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 720}  # a projector; the live deck is checked at this size

# JupyterLab user settings for the test server: no news / update pop-up over the page,
# no autosave (the server works on copies anyway), every cell kept in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


# --------------------------------------------------------------------------- availability

def require_playwright():
    """The sync Playwright entry point, or pytest.skip with the reason it cannot be had."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test needs Debian's chromium at {CHROMIUM} "
                    "(apt-get install -y chromium); it is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"browser test needs the playwright Python package ({exc}); "
                    "pip install -r requirements-dev.txt")
    return sync_playwright


@contextlib.contextmanager
def chromium(sync_playwright):
    """A headless Debian Chromium (never a downloaded browser build); yields the Browser.
    Each user opens its own context (viewport, routes) with browser.new_context(...)."""
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken install is a skip with its reason, not a pass
            pytest.skip(f"could not start {CHROMIUM} under playwright: {exc}")
        try:
            yield browser
        finally:
            browser.close()


def required_chromium(require):
    """Yield a headless Chromium (for a module-scoped ``browser`` fixture); where Chromium or
    Playwright is missing, ``require(False, reason)``: a skip locally, a failure under CI."""
    try:
        launched = chromium(require_playwright())
        browser = launched.__enter__()
    except pytest.skip.Exception as missing:
        require(False, str(missing))
    try:
        yield browser
    finally:
        launched.__exit__(None, None, None)


# --------------------------------------------------------------------------- the server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, url, token, proc, log_path):
        self.url, self.token, self.proc, self.log_path = url, token, proc, log_path

    def notebook_url(self, relpath, workspace="test"):
        return f"{self.url}/lab/workspaces/{workspace}/tree/{relpath}?reset&token={self.token}"

    def log_tail(self, n=40):
        try:
            return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"


@contextlib.contextmanager
def jupyter_lab(root_dir, work_dir, timeout=60, extra_args=()):
    """Start JupyterLab on 127.0.0.1 (free port, random token) serving root_dir; always stop it.

    work_dir receives the server's settings, workspaces, runtime files and log.
    """
    work_dir = Path(work_dir)
    settings = work_dir / "lab-settings"
    for rel, values in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    (work_dir / "lab-workspaces").mkdir(exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(work_dir / "lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(work_dir / "runtime"),
               PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)  # the kernel uses the notebook's inline backend
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
           "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
           "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *extra_args]
    log_path = work_dir / "jupyterlab.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=str(root_dir), env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, proc, log_path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(f"{server.url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(proc)
        log.close()


def _stop(proc):
    """Stop the server we started (its own process group: the server and its kernels)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# --------------------------------------------------------------------------- page helpers

def menu(page, top, item):
    """Click a main-menu entry as a person would: top menu, then the item."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).first.click()


def wait_kernel_ready(page, timeout=60):
    """Wait for a NAMED kernel that has been idle for ~0.5 s (a Run All sent before that is lost)."""
    page.wait_for_function(
        """() => {
            const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-Toolbar-kernelName');
            const ind = document.querySelector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator');
            const named = name && name.textContent.trim() && !/no kernel/i.test(name.textContent);
            const idle = ind && ind.getAttribute('data-status') === 'idle';
            if (!(named && idle)) { window.__idleSince = undefined; return false; }
            window.__idleSince = window.__idleSince || Date.now();
            return Date.now() - window.__idleSince > 500;
        }""", timeout=timeout * 1000, polling=100)


NOTEBOOK_STATE_JS = """() => {
    // The open notebook's model, through the app JupyterLab exposes to the page
    // (--LabApp.expose_app_in_browser): code cells, how many carry an execution count,
    // and the kernel's status. Code whose input is hidden shows no prompt in the page,
    // so the model, not the DOM, says what has run.
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.content || !panel.content.model) return null;
    const cells = panel.content.model.cells;
    let code = 0, counted = 0;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        code += 1;
        if (cell.executionCount !== null && cell.executionCount !== undefined) counted += 1;
    }
    const kernel = panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return {code, counted, status: kernel ? kernel.status : null};
}"""


def notebook_state(page):
    """{code: code cells, counted: code cells with an execution count, status: kernel status}."""
    return page.evaluate(NOTEBOOK_STATE_JS)


def wait_all_executed(page, n_code_cells, timeout=90):
    """Wait until every code cell has an execution count and the kernel is idle. A Run All
    that stopped at an error fails at once with the error's text (not after `timeout`)."""
    page.wait_for_function(
        f"""(n) => {{ const s = ({NOTEBOOK_STATE_JS})();
                     if (!s || s.status !== 'idle') return false;
                     return s.counted === n || document.querySelector(
                         '.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'); }}""",
        arg=n_code_cells, timeout=timeout * 1000, polling=200)
    state = notebook_state(page)
    if state["counted"] != n_code_cells:
        errors = "\n---\n".join(text[-1500:] for text in error_outputs(page))
        raise AssertionError(f"Run All stopped after {state['counted']} of {n_code_cells} code cells:\n{errors}")


def error_outputs(page):
    """Texts of any error outputs (tracebacks) or stderr streams in the open notebook."""
    return page.locator(".jp-NotebookPanel .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ).all_inner_texts()


def normalise(text):
    return " ".join(text.split())


# --------------------------------------------------------------------------- one notebook

def open_and_run_all(page, server, relpath, n_code_cells, workspace="test", timeout=90):
    """Open a notebook (in a fresh workspace of its own), wait for its kernel, clear all
    outputs, Run All, and wait until every code cell has a numbered prompt.
    Returns the seconds Run All took."""
    page.goto(server.notebook_url(relpath, workspace))
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    wait_kernel_ready(page)
    dom_cells = page.locator(".jp-NotebookPanel .jp-CodeCell").count()
    assert dom_cells == n_code_cells, f"{relpath}: page shows {dom_cells} code cells, file has {n_code_cells}"
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => {{ const s = ({NOTEBOOK_STATE_JS})(); return s && s.counted === 0; }}",
                           timeout=10_000, polling=100)
    assert page.locator(".jp-NotebookPanel .optim-readout").count() == 0, "outputs were not cleared"
    start = time.monotonic()
    menu(page, "Run", "Run All Cells")
    wait_all_executed(page, n_code_cells, timeout=timeout)
    return time.monotonic() - start


PANEL = ".widget-vbox.optim-panel"   # a SliderPanel (optim_helpers.widgets)


def drive_panels(page, plan, shot_prefix, expect, timeout=30):
    """Move every slider of every panel in `plan` (from oracle_plan): arrow keys on each
    handle; after each move wait for the readout text the oracle computed (the panel shows
    one readout, the shown setting's, under its figure), and at the end check that the
    figure changed. Saves one screenshot per panel after its moves.
    Returns a list of (panel label, list of readouts seen)."""
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    seen = []
    for entry in plan:
        label = f"cell {entry['cell']} panel {entry['order']}"
        panel = cells.nth(entry["cell"]).locator(PANEL).nth(entry["order"])
        panel.scroll_into_view_if_needed()
        readout = panel.locator(".optim-readout")
        expect(readout).to_have_text(entry["initial_readout"], timeout=timeout * 1000)
        figure = panel.locator(".optim-figure")
        expect(figure).to_be_visible()
        expect(figure.locator("img.widget-image")).to_be_visible()
        before = figure.screenshot()
        sliders = panel.locator(".widget-slider")
        texts = [normalise(readout.inner_text())]
        n_sliders = len({move["position"] for move in entry["moves"]})
        assert sliders.count() == n_sliders, (
            f"{label}: page shows {sliders.count()} sliders, the oracle moved {n_sliders}")
        for move in entry["moves"]:
            slider = sliders.nth(move["position"])
            desc = normalise(slider.locator(".widget-label").first.inner_text())
            assert desc == normalise(move["description"]), (
                f"{label}: slider {move['position']} is {desc!r}, expected {move['description']!r}")
            handle = slider.locator(".noUi-handle")
            handle.focus()
            for _ in range(move["presses"]):
                handle.press(move["key"])
            expect(readout).to_have_text(move["readout"], timeout=timeout * 1000)
            texts.append(normalise(readout.inner_text()))
        page.wait_for_timeout(200)
        after = figure.screenshot()
        assert after != before, f"{label}: the figure did not change after moving the sliders"
        panel.scroll_into_view_if_needed()
        panel.screenshot(path=f"{shot_prefix}_cell{entry['cell']:02d}_{entry['order']}.png")
        seen.append((label, texts))
    return seen


# --------------------------------------------------------------------------- the live deck

DECK_STATE_JS = """() => {
    // jupyterlab-slideshow's deck, as the audience sees it: the active cell, each slider
    // panel (is its cell on the current slide, is its first slider wholly on screen), and
    // whether the current slide is taller than the screen (the deck then scrolls).
    const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')];
    const shown = (c) => c.classList.contains('jp-deck-mod-onscreen') && c.classList.contains('jp-deck-mod-visible');
    const panels = [...document.querySelectorAll('.jp-NotebookPanel .widget-vbox.optim-panel')];
    const first = cells.findIndex(shown);
    const heading = first < 0 ? null : cells.slice(first).find(c => shown(c) && c.querySelector('h1, h2, h3'));
    // the slide's height: from the top of its first cell on screen to the bottom of its last
    const on = cells.filter(c => c.classList.contains('jp-deck-mod-onscreen')).map(c => c.getBoundingClientRect());
    const height = on.length ? Math.max(...on.map(r => r.bottom)) - Math.min(...on.map(r => r.top)) : 0;
    return {
        presenting: document.body.dataset.jpDeckMode === 'presenting' && !!document.querySelector('.jp-Deck'),
        active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
        slide: first,
        title: heading ? heading.querySelector('h1, h2, h3').textContent.replace(/\u00b6/g, '').trim() : '',
        height: Math.round(height),
        tall: height > innerHeight + 1,
        panels: panels.map(p => {
            const slider = p.querySelector('.widget-slider');
            const r = slider ? slider.getBoundingClientRect() : null;
            const on = shown(p.closest('.jp-Cell'));
            return {on, inView: !!(on && r && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight)};
        }),
    };
}"""


def deck_state(page):
    return page.evaluate(DECK_STATE_JS)


def start_deck_at_first_slide(page):
    """As a lecturer does: select the first cell, leave edit mode, start the deck
    (jupyterlab-slideshow's command deck:start, the notebook toolbar's "Toggle Deck")."""
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")
    page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_function("() => document.body.dataset.jpDeckMode === 'presenting'", timeout=10_000)
    page.wait_for_timeout(300)


def press_next(page, key, timeout=2.0):
    """Press the presenter's "next" key; returns the deck's state once the active cell has
    changed, or None if the deck did not move within `timeout` (the end of the deck)."""
    before = deck_state(page)["active"]
    page.keyboard.press(key)
    return page.evaluate(
        f"""async ([before, ms]) => {{
            const t0 = Date.now();
            while (Date.now() - t0 < ms) {{
                const s = ({DECK_STATE_JS})();
                if (s.active !== before) return s;
                await new Promise(r => setTimeout(r, 30));
            }}
            return null;
        }}""", [before, timeout * 1000])


def _overlay(panel):
    """What the shown setting's SVG overlay draws (its markup, as the page holds it)."""
    return panel.locator(".optim-frame svg.optim-overlay").evaluate("(svg) => svg.outerHTML")


def move_slider_in_deck(page, panel, timeout=30):
    """Arrow key on the focused handle of a panel's first slider (away from the end of its
    range); returns ((readout, overlay) before, (readout, overlay) after)."""
    readout = panel.locator(".optim-readout")
    before = (normalise(readout.inner_text()), _overlay(panel))
    handle = panel.locator(".widget-slider .noUi-handle").first
    at_top = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    handle.press("ArrowLeft" if at_top else "ArrowRight")
    page.wait_for_function(
        "([el, text]) => el.innerText.split(/\\s+/).join(' ').trim() !== text",
        arg=[readout.element_handle(), before[0]], timeout=timeout * 1000, polling=100)
    return before, (normalise(readout.inner_text()), _overlay(panel))


def walk_deck(page, key="PageDown", key_after_slider="Space", max_presses=200, shot_prefix=None):
    """From the first slide, press only the "next" key until every slider panel has been
    wholly on screen; move each one as it appears. `key` (PageDown: what a clicker sends;
    slides/jupyterlab/overrides.json binds it) is pressed until the first slider move;
    after that the slider's handle has the focus and takes PageDown itself, so the walk
    goes on with `key_after_slider` (Space), as a presenter does.
    Returns a dict: presses (to each panel), keys, moves [(before, after)], steps
    (deck_state after every press), panels (how many)."""
    panels = page.locator(f".jp-NotebookPanel {PANEL}")
    n_panels = panels.count()
    record = {"panels": n_panels, "presses": [], "keys": [], "moves": [], "steps": []}
    presses = 0
    state = deck_state(page)
    while True:
        record["steps"].append(state)
        for k, info in enumerate(state["panels"]):
            if info["inView"] and k == len(record["presses"]):  # panels in order
                record["presses"].append(presses)
                if shot_prefix:
                    page.screenshot(path=f"{shot_prefix}_deck_panel{k}.png")
                record["moves"].append(move_slider_in_deck(page, panels.nth(k)))
        if len(record["presses"]) == n_panels or presses >= max_presses:
            break
        pressed = key_after_slider if record["moves"] else key
        record["keys"].append(pressed)
        state = press_next(page, pressed)
        if state is None:
            break  # the end of the deck
        presses += 1
    return record


# --------------------------------------------------------------------------- the oracle

def start_oracle(notebook, presses=2):
    """Start `python tests/delivery/browser_support.py oracle NOTEBOOK` (see _oracle_main); returns the Popen."""
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "oracle", str(notebook),
                             str(presses)], cwd=str(Path(notebook).parent), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_oracle(proc, timeout=120):
    """Wait for an oracle started by start_oracle and return its plan (a list of panels)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RuntimeError(f"slider oracle took longer than {timeout} s") from None
    if proc.returncode != 0:
        raise RuntimeError(f"slider oracle failed ({proc.returncode}):\n{err[-4000:]}")
    return json.loads(out.strip().splitlines()[-1])


def oracle_plan(notebook, presses=2, timeout=120):
    """The oracle's plan for one notebook (start_oracle + finish_oracle)."""
    return finish_oracle(start_oracle(notebook, presses), timeout)


def _predict_move(slider, presses):
    """The value a selection slider (the lecture sliders: SelectionSlider and its
    LearningRateSlider) takes after `presses` arrow-key presses on its handle: its index
    moves by one per press, to the right unless that would leave the range.
    Returns (key, new value)."""
    kind = type(slider).__name__
    if kind in ("SelectionSlider", "LearningRateSlider"):
        i, n = slider.index, len(slider.options)
        values = [o[1] if isinstance(o, tuple) else o for o in slider.options]
        if i + presses <= n - 1:
            return "ArrowRight", values[i + presses]
        return "ArrowLeft", values[max(i - presses, 0)]
    raise ValueError(f"do not know how a {kind} moves")


def _oracle_main(notebook, presses):
    """Run the notebook's Setup cell (the first code cell that makes
    ``np.random.default_rng(0)``) and its widget cells in a fresh IPython shell, record every
    SliderPanel with the index of the cell that made it, then move each of its sliders in
    Python as the browser will and record the readouts, computed anew by the panel's run
    function. (A slider cell needs only what Setup defines: the lectures' do.)"""
    import contextlib as _cl
    import io

    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    import optim_helpers.widgets as W
    from optim_helpers.readout import format_readout

    nb = nbformat.read(notebook, as_version=4)
    cells = nb.cells
    builds_panel = re.compile(r"widgets\.(lr_slider\w*|sgd_sliders)\(")  # also when outputs are cleared
    widget_cells = [i for i, c in enumerate(cells) if c.cell_type == "code"
                    and (any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                             for o in c.get("outputs", [])) or builds_panel.search(c.source))]
    setup = next((i for i, c in enumerate(cells) if c.cell_type == "code" and "default_rng(0)" in c.source), None)
    to_run = sorted({setup, *widget_cells} - {None})
    made, current = [], {"cell": None}
    original_init = W.SliderPanel.__init__

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        made.append((current["cell"], self))

    W.SliderPanel.__init__ = recording_init
    shell = InteractiveShell.instance()
    sink = io.StringIO()
    for i in to_run:
        cell = cells[i]
        current["cell"] = i
        with _cl.redirect_stdout(sink):
            result = shell.run_cell(cell.source, store_history=True)
        if not result.success:
            err = result.error_in_exec or result.error_before_exec
            raise RuntimeError(f"cell {i} failed in the oracle: {err!r}")
    plan, seen = [], {}
    for cell_index, panel in made:
        order = seen.get(cell_index, 0)
        seen[cell_index] = order + 1
        entry = {"cell": cell_index, "order": order,
                 "initial_readout": panel.readout, "moves": []}
        sliders = [(name, s) for name, s in panel.sliders.items() if "Slider" in type(s).__name__]
        for position, (name, slider) in enumerate(sliders):  # dropdowns etc. stay put
            key, value = _predict_move(slider, presses)
            slider.value = value  # the panel follows at once (SliderPanel contract)
            fresh = panel.run_for(dict(zip(panel.sliders, panel.setting)))   # the helpers, called anew
            entry["moves"].append({"slider": name, "position": position, "description": slider.description,
                                   "key": key, "presses": presses, "value": value,
                                   "readout": format_readout(fresh)})
        plan.append(entry)
    print(json.dumps(plan))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "oracle":
        _oracle_main(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    else:
        sys.exit("usage: python tests/delivery/browser_support.py oracle NOTEBOOK [PRESSES]")
