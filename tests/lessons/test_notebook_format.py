"""The notebooks open everywhere: valid nbformat, widget state saved, the Colab cell, and
slideshow metadata on every cell.

- GitHub and nbviewer: ``nbformat.validate`` passes, and a notebook that shows widgets
  carries ``metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]`` with
  every model its outputs display (so a static page draws each slider at its saved setting
  instead of "Invalid Notebook" or an empty box).
- Colab: the first code cell is exactly the Colab cell of the developer guide, tagged
  ``remove-cell`` with slide type ``skip``, stores no output, does nothing outside Colab
  and, when ``google.colab`` is imported, clones the public repository and installs it.
- Slides: every slide type used is one both slide paths show (no explicit "-", no "subslide").
"""
import contextlib
import io
import json
import site
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SLIDE_TYPES = {"slide", "fragment", "skip", "notes"}   # no "-" (never shown live), no "subslide"
REPO_URL = "https://github.com/optim-lectures/optim-lectures"

COLAB_CELL = '''\
# Only on Google Colab: fetch the repository and install its helper package.
# Everywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import site
    import subprocess
    subprocess.run(["git", "clone", "--depth", "1", "https://github.com/optim-lectures/optim-lectures", "/content/optim-lectures"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", "/content/optim-lectures"], check=True)
    site.addsitedir(site.getsitepackages()[0])  # make the fresh editable install importable now
'''

# The lecture series, and the slider factories each notebook shows. A missing notebook or
# slider fails here (it must not turn the tests below into skips or empty loops).
LECTURES = {
    "01_random_search.ipynb": (),
    "02_follow_the_slope.ipynb": (),
    "03_gradient_descent.ipynb": ("lr_slider_landscape", "lr_slider_classifier"),
    "04_stochastic_gradient_descent.ipynb": ("sgd_sliders",),
}
ids = [p.name for p in NOTEBOOKS]


def _read(path):
    return nbformat.read(path, as_version=4)


def _first_code_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code")


def test_the_lecture_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == sorted(LECTURES)


@pytest.mark.parametrize("name", [n for n, sliders in LECTURES.items() if sliders])
def test_the_sliders_are_there_and_stored(name):
    """Each slider factory is called in a code cell whose stored output shows a widget."""
    nb = _read(ROOT / "notebooks" / name)
    for factory in LECTURES[name]:
        cells = [c for c in nb.cells if c.cell_type == "code" and f"widgets.{factory}(" in c.source]
        assert cells, f"{name}: no code cell calls widgets.{factory}(...)"
        assert any(WIDGET_VIEW in o.get("data", {}) for c in cells for o in c.get("outputs", [])), (
            f"{name}: the cell calling widgets.{factory} stores no widget output")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_valid_nbformat(path):
    nb = _read(path)
    nbformat.validate(nb)  # raises ValidationError with the offending part
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernelspec must be python3 (what Binder, Colab and the tests start)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_widget_state_saved(path):
    nb = _read(path)
    shown = {o["data"][WIDGET_VIEW]["model_id"]
             for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})}
    if not shown:
        assert WIDGET_VIEW not in json.dumps(nb), f"{path.name}: a widget view outside a code output"
        return
    widgets = nb.metadata.get("widgets", {})
    assert WIDGET_STATE in widgets, f"{path.name} shows widgets but has no metadata.widgets[{WIDGET_STATE!r}]"
    assert "state" in widgets[WIDGET_STATE], f"{path.name}: widget metadata has no 'state' key"
    state = widgets[WIDGET_STATE]["state"]
    missing = sorted(shown - set(state))
    assert not missing, f"{path.name}: outputs show widget models with no saved state: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_first_code_cell_is_the_colab_cell(path):
    cell = _first_code_cell(_read(path))
    assert cell.source.strip() == COLAB_CELL.strip(), f"{path.name}: the first code cell is not the Colab cell"
    assert "remove-cell" in cell.metadata.get("tags", []), f"{path.name}: the Colab cell must be tagged remove-cell"
    assert cell.metadata.get("slideshow", {}).get("slide_type") == "skip", f"{path.name}: the Colab cell must be slide_type skip"
    assert cell.get("outputs", []) == [], f"{path.name}: the Colab cell must print nothing (stored outputs: {cell.outputs})"


class _Recorder:
    def __init__(self):
        self.calls = []

    def run(self, args, **kwargs):
        self.calls.append(("run", list(args), kwargs))
        return subprocess.CompletedProcess(args, 0)

    def addsitedir(self, path):
        self.calls.append(("addsitedir", path))


@contextlib.contextmanager
def _patched(monkeypatch, in_colab):
    rec = _Recorder()
    monkeypatch.setattr(subprocess, "run", rec.run)
    monkeypatch.setattr(site, "addsitedir", rec.addsitedir)
    monkeypatch.setattr(site, "getsitepackages", lambda: ["/fake/site-packages"])
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    yield rec


def test_colab_cell_does_nothing_outside_colab(monkeypatch):
    path_before = list(sys.path)
    out = io.StringIO()
    with _patched(monkeypatch, in_colab=False) as rec, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out):
        exec(compile(COLAB_CELL, "colab-cell", "exec"), {"__name__": "__main__"})
    assert rec.calls == [], f"outside Colab the cell ran {rec.calls}"
    assert out.getvalue() == "" and sys.path == path_before


def test_colab_cell_installs_the_package_on_colab(monkeypatch):
    with _patched(monkeypatch, in_colab=True) as rec:
        exec(compile(COLAB_CELL, "colab-cell", "exec"), {"__name__": "__main__"})
    runs = [c[1] for c in rec.calls if c[0] == "run"]
    assert runs[0] == ["git", "clone", "--depth", "1", REPO_URL, "/content/optim-lectures"]
    assert runs[1] == [sys.executable, "-m", "pip", "install", "-q", "-e", "/content/optim-lectures"]
    assert all(c[2].get("check") is True for c in rec.calls if c[0] == "run")
    assert ("addsitedir", "/fake/site-packages") in rec.calls


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_slide_types_are_ones_both_slide_paths_show(path):
    """A slide type, where a cell has one, is from the set both the offline deck and the
    live slideshow understand; no key means "continue the slide" (slides/AUTHORING.md)."""
    nb = _read(path)
    bad = [(i, c.metadata["slideshow"]) for i, c in enumerate(nb.cells)
           if "slideshow" in c.metadata and c.metadata["slideshow"].get("slide_type") not in SLIDE_TYPES]
    assert not bad, f"{path.name}: cells whose slideshow.slide_type neither path shows right: {bad}"
    types_used = {c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells}
    assert "slide" in types_used, f"{path.name}: no cell starts a slide"
