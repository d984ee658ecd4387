"""Plumbing for the browser tests: a throw-away JupyterLab server, headless Chromium,
JupyterLab page helpers, and a slider "oracle" that computes in plain Python what every
slider's readout must say after a given move.

Used by tests/test_browser.py and tests/test_slides.py. Nothing here touches the
notebooks in notebooks/: the browser test copies them into a temporary folder first.

Run as a script, ``python tests/browser_support.py oracle NOTEBOOK`` prints the oracle's
plan as JSON (the browser test runs it in a subprocess so that the notebook's code runs
in a fresh interpreter, the way a kernel would run it).
"""
import contextlib
import json
import math
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

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}

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
def chromium_context(sync_playwright, profile_dir):
    """A headless Debian Chromium (never a downloaded browser build) with its own profile."""
    with sync_playwright() as p:
        try:
            context = p.chromium.launch_persistent_context(
                str(profile_dir), executable_path=CHROMIUM, headless=True,
                args=CHROMIUM_ARGS, viewport=VIEWPORT)
        except Exception as exc:  # a broken install is a skip with its reason, not a pass
            pytest.skip(f"could not start {CHROMIUM} under playwright: {exc}")
        try:
            yield context
        finally:
            context.close()


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
def jupyter_lab(root_dir, work_dir, timeout=60):
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
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
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


def code_prompts(page):
    return page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()


def wait_all_executed(page, n_code_cells, timeout=90):
    """Wait until every code cell shows a numbered prompt, e.g. [12]:, and the kernel is idle."""
    page.wait_for_function(
        """(n) => {
            const ps = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
            const ind = document.querySelector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator');
            return ps.length === n && ps.every(p => /\\[\\d+\\]/.test(p.textContent))
                   && ind && ind.getAttribute('data-status') === 'idle';
        }""", arg=n_code_cells, timeout=timeout * 1000, polling=200)


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
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')]
                 .every(p => !/\\d/.test(p.textContent))""", timeout=10_000)
    assert page.locator(".jp-NotebookPanel .optim-readout").count() == 0, "outputs were not cleared"
    start = time.monotonic()
    menu(page, "Run", "Run All Cells")
    wait_all_executed(page, n_code_cells, timeout=timeout)
    return time.monotonic() - start


def drive_panels(page, plan, shot_prefix, expect, timeout=30):
    """Move every slider of every panel in `plan` (from oracle_plan): arrow keys on each
    handle, then a value typed into each float slider's readout; after each move wait for
    the readout text the oracle computed, and at the end check that the figure changed. Saves one screenshot per panel after its moves.
    Returns a list of (panel label, list of readouts seen)."""
    cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    seen = []
    for entry in plan:
        label = f"cell {entry['cell']} panel {entry['order']}"
        panel = cells.nth(entry["cell"]).locator(".widget-vbox:has(> .optim-readout)").nth(entry["order"])
        panel.scroll_into_view_if_needed()
        readout = panel.locator("> .optim-readout")
        expect(readout).to_have_text(entry["initial_readout"], timeout=timeout * 1000)
        image = panel.locator("> img.widget-image")
        expect(image).to_be_visible()
        before = image.screenshot()
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
            if "type" in move:  # type a value into the slider's readout, then Enter
                field = slider.locator(".widget-readout")
                field.click()
                page.keyboard.press("Control+A")
                page.keyboard.type(move["type"])
                page.keyboard.press("Enter")
            else:  # arrow keys on the focused handle
                handle = slider.locator(".noUi-handle")
                handle.focus()
                for _ in range(move["presses"]):
                    handle.press(move["key"])
            expect(readout).to_have_text(move["readout"], timeout=timeout * 1000)
            texts.append(normalise(readout.inner_text()))
        page.wait_for_timeout(200)  # the image and readout are set in the same update
        after = image.screenshot()
        assert after != before, f"{label}: the figure did not change after moving the sliders"
        panel.scroll_into_view_if_needed()
        panel.screenshot(path=f"{shot_prefix}_cell{entry['cell']:02d}_{entry['order']}.png")
        seen.append((label, texts))
    return seen


# --------------------------------------------------------------------------- RISE

def rise_slide_id(nb, cell_index):
    """The id RISE gives the slide that shows cell `cell_index`: "slide-H-V"."""
    h = v = 0
    for i, cell in enumerate(nb.cells):
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if i > 0 and kind == "slide":
            h, v = h + 1, 0
        elif i > 0 and kind == "subslide":
            v += 1
        if i == cell_index:
            return f"slide-{h}-{v}"
    raise IndexError(cell_index)


def run_cell_in_rise(page, server, relpath, nb, cell_index, timeout=30):
    """Open the live RISE slideshow of a notebook on the slide of one cell, run that cell
    there (Ctrl+Enter: run in place), wait for its new output. Returns (output text,
    number of .widget-slider elements in the cell)."""
    slide = rise_slide_id(nb, cell_index)
    page.goto(f"{server.url}/rise/{relpath}?token={server.token}")
    page.wait_for_selector(".reveal.ready section.present", state="attached", timeout=timeout * 1000)
    cell = page.locator(f"section#{slide} .jp-CodeCell").filter(
        has_text=nb.cells[cell_index].source.strip().splitlines()[-1]).first
    cell.wait_for(state="attached", timeout=timeout * 1000)
    page.evaluate("(id) => { location.hash = '#/' + id; }", slide)  # reveal.js follows the hash
    cell.locator(".jp-InputArea-editor").wait_for(state="visible", timeout=timeout * 1000)
    page.wait_for_timeout(1000)  # the slide transition
    before = cell.locator(".jp-InputArea-prompt").inner_text()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        """([el, before]) => { const p = el.querySelector('.jp-InputArea-prompt').textContent;
                               return /\\[\\d+\\]/.test(p) && p !== before
                                      && el.querySelector('.jp-OutputArea-output'); }""",
        arg=[cell.element_handle(), before], timeout=timeout * 1000)
    page.wait_for_timeout(1500)  # time for a widget view to render, if it can
    text = " ".join(cell.locator(".jp-OutputArea-output").all_inner_texts())
    return text, cell.locator(".widget-slider").count()


# --------------------------------------------------------------------------- the oracle

def start_oracle(notebook, presses=2):
    """Start `python tests/browser_support.py oracle NOTEBOOK` (see _oracle_main); returns the Popen."""
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
    """The value a slider takes after `presses` arrow-key presses on its handle, as the
    browser computes it: noUiSlider keeps its handle on the step grid (min + k * step;
    for a log slider, the grid of exponents), so the handle starts at the grid point
    nearest the value and each press moves it one step. Presses go right unless that
    would leave the range. Returns (key, new value)."""
    kind = type(slider).__name__
    if kind == "SelectionSlider":
        i, n = slider.index, len(slider.options)
        if i + presses <= n - 1:
            return "ArrowRight", slider.options[i + presses]
        return "ArrowLeft", slider.options[max(i - presses, 0)]
    if kind in ("FloatLogSlider", "FloatSlider", "IntSlider"):
        log = kind == "FloatLogSlider"
        x = math.log(slider.value, slider.base) if log else slider.value
        k = round((x - slider.min) / slider.step)  # the grid point the handle sits on
        n_max = math.floor((slider.max - slider.min) / slider.step + 1e-9)
        if k + presses <= n_max:
            key, k = "ArrowRight", k + presses
        else:
            key, k = "ArrowLeft", max(k - presses, 0)
        x = slider.min + k * slider.step
        value = slider.base ** x if log else x
        return key, (int(round(value)) if kind == "IntSlider" else value)
    raise ValueError(f"do not know how a {kind} moves")


def _typed_value(slider):
    """Text to type into a float slider's readout: 90% of the top of its range, to 3
    significant digits (exact as typed, inside the range: nothing to clamp or round).
    None for sliders whose readout is not typed into (selection and int sliders)."""
    kind = type(slider).__name__
    if kind == "FloatLogSlider":
        top = slider.base ** slider.max
    elif kind == "FloatSlider":
        top = slider.max
    else:
        return None
    text = format(0.9 * top, ".3g")
    low = slider.base ** slider.min if kind == "FloatLogSlider" else slider.min
    return text if low < float(text) < top and float(text) != slider.value else None


def _oracle_main(notebook, presses):
    """Run the notebook's code cells (up to the last one that showed a widget) in a fresh
    IPython shell, record every SliderPanel with the index of the cell that made it, then
    move each of its sliders in Python as the browser will and record the readouts."""
    import contextlib as _cl
    import io

    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    import optim_helpers.widgets as W

    nb = nbformat.read(notebook, as_version=4)
    cells = nb.cells
    widget_cells = [i for i, c in enumerate(cells) if c.cell_type == "code"
                    and any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                            for o in c.get("outputs", []))]
    last = max(widget_cells, default=-1)
    made, current = [], {"cell": None}
    original_init = W.SliderPanel.__init__

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        made.append((current["cell"], self))

    W.SliderPanel.__init__ = recording_init
    shell = InteractiveShell.instance()
    sink = io.StringIO()
    for i, cell in enumerate(cells[: last + 1]):
        if cell.cell_type != "code":
            continue
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
                 "initial_readout": panel.readout.value, "moves": []}
        sliders = [(name, s) for name, s in panel.sliders.items() if "Slider" in type(s).__name__]
        for position, (name, slider) in enumerate(sliders):  # dropdowns etc. stay put
            key, value = _predict_move(slider, presses)
            slider.value = value  # runs the update synchronously (SliderPanel contract)
            entry["moves"].append({"slider": name, "position": position, "description": slider.description,
                                   "key": key, "presses": presses, "value": value,
                                   "readout": panel.readout.value})
        for position, (name, slider) in enumerate(sliders):
            typed = _typed_value(slider)
            if typed is None:
                continue
            slider.value = float(typed)
            entry["moves"].append({"slider": name, "position": position, "description": slider.description,
                                   "type": typed, "value": float(typed), "readout": panel.readout.value})
        plan.append(entry)
    print(json.dumps(plan))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "oracle":
        _oracle_main(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    else:
        sys.exit("usage: python tests/browser_support.py oracle NOTEBOOK [PRESSES]")
