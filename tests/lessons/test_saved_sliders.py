"""The sliders saved in notebooks 03 and 04 show exactly what the helpers compute now.

A lecture slider moves without a kernel (an offline deck, the site, a viewer) by showing
the frames saved in the notebook's widget state. nbval re-runs the slider cells but cannot
compare widget state, so this test does: it runs each notebook's Setup cell and its
slider cells in a fresh namespace (nothing else), and checks that the saved widget tree of
every slider output holds, in the same order, the same figures (background PNG, shared
SVG parts, every setting's SVG overlay) and readouts as the panel the helpers build now;
and that the saved Stacks show the setting the saved controls point at. The Korean
notebooks must hold the same frames as the English ones.
"""
import base64
import json
from pathlib import Path

import ipywidgets
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"
SLIDER_NOTEBOOKS = ["03_gradient_descent", "04_stochastic_gradient_descent"]


def saved_state(path):
    return json.loads(path.read_text(encoding="utf-8"))["metadata"]["widgets"][STATE]["state"]


def ref(value):
    return value[len("IPY_MODEL_"):]


def saved_contents(state, model_id, out):
    """Images (base64) and HTML values under a saved model, depth-first, in children order."""
    model = state[model_id]
    name = model["model_name"]
    if name == "ImageModel":
        out.append(("image", next(b["data"] for b in model["buffers"] if b["path"] == ["value"])))
    elif name == "HTMLModel":
        out.append(("html", model["state"]["value"]))
    for child in model["state"].get("children", []):
        saved_contents(state, ref(child), out)
    return out


def fresh_contents(widget, out):
    """The same list for a live widget tree."""
    if isinstance(widget, ipywidgets.Image):
        out.append(("image", base64.b64encode(bytes(widget.value)).decode()))
    elif isinstance(widget, ipywidgets.HTML):
        out.append(("html", widget.value))
    for child in getattr(widget, "children", ()):
        fresh_contents(child, out)
    return out


def panels_of(notebook):
    """[(cell index, panel)] made by running the Setup cell and the slider cells only."""
    from optim_helpers import widgets

    nb = nbformat.read(notebook, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "default_rng(0)" in c.source)
    namespace, made = {}, []
    exec(compile(nb.cells[setup].source, f"{notebook.name}[{setup}]", "exec"), namespace)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(VIEW in o.get("data", {}) for o in cell.get("outputs", [])):
            before = {id(v) for v in namespace.values()}
            exec(compile(cell.source, f"{notebook.name}[{i}]", "exec"), namespace)
            made += [(i, v) for v in namespace.values()
                     if isinstance(v, widgets.SliderPanel) and id(v) not in before]
    return nb, made


@pytest.fixture(scope="module", params=SLIDER_NOTEBOOKS)
def lecture(request):
    path = ROOT / "notebooks" / f"{request.param}.ipynb"
    nb, panels = panels_of(path)
    return path, nb, panels


def test_saved_frames_are_the_helpers_frames(lecture):
    path, nb, panels = lecture
    state = saved_state(path)
    assert panels, f"{path.name}: no slider panel"
    for cell, panel in panels:
        (view,) = [o["data"][VIEW]["model_id"] for o in nb.cells[cell].outputs if VIEW in o.get("data", {})]
        saved = saved_contents(state, view, [])
        fresh = fresh_contents(panel, [])
        assert len(saved) == len(fresh), f"{path.name} cell {cell}: {len(saved)} saved parts, {len(fresh)} now"
        frames = [value for kind, value in fresh if kind == "html" and "optim-readout" in value]
        assert len(frames) == len(panel.runs) > 1
        different = [k for k, (a, b) in enumerate(zip(saved, fresh)) if a != b]
        assert not different, (f"{path.name} cell {cell}: {len(different)} of {len(saved)} saved parts differ "
                               f"from what the helpers draw now, the first at {different[0]} "
                               "(regenerate: bash tools/regenerate_notebooks.sh)")


def test_saved_stacks_show_the_saved_controls_setting(lecture):
    path, nb, panels = lecture
    state = saved_state(path)
    for cell, panel in panels:
        (view,) = [o["data"][VIEW]["model_id"] for o in nb.cells[cell].outputs if VIEW in o.get("data", {})]
        controls = state[ref(state[view]["state"]["children"][0])]["state"]["children"]
        saved_index = {state[ref(c)]["state"]["description"]: state[ref(c)]["state"]["index"] for c in controls}
        assert saved_index == {c.description: c.index for c in panel.sliders.values()}
        links = [m["state"] for m in state.values() if m["model_name"] == "LinkModel"]
        stacks = {ref(link["target"][0]): ref(link["source"][0]) for link in links
                  if link["source"][1] == "index" and link["target"][1] == "selected_index"}
        for stack, control in stacks.items():
            if control in {ref(c) for c in controls}:
                assert state[stack]["state"]["selected_index"] == state[control]["state"]["index"]
        assert sum(control in {ref(c) for c in controls} for control in stacks.values()) == len(panel.stacks)


@pytest.mark.parametrize("name", SLIDER_NOTEBOOKS)
def test_korean_notebooks_hold_the_same_frames(name):
    english, korean = (saved_state(folder / f"{name}.ipynb") for folder in (ROOT / "notebooks", ROOT / "notebooks" / "ko"))
    assert english == korean
