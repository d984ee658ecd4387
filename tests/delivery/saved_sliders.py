"""Kernel-free sliders in a notebook's saved widget state, and moving them in a page.

A kernel-free slider is a slider whose value or index is jslinked (``ipywidgets.jslink`` or
``jsdlink``, saved as a ``LinkModel`` or ``DirectionalLinkModel``) to the
``selected_index`` of one or more ``Stack`` widgets of pre-rendered frames (Images, or
HTML holding an SVG drawing, as the lectures' slider panels save them) and readouts
(HTML): the Jupyter widgets HTML manager moves it in a page with no kernel.

What a position shows is compared in three parts: images (base64 of the Images shown),
texts (the text of the HTML shown, outside any SVG: the readouts) and figures (for each SVG
drawing with a viewBox, the sequence of its paths' ``d`` and its uses' ``href``: what it
draws, however the browser re-serialises the markup).

``kernel_free_sliders(notebook)`` finds them and lists, for each, what every position must
show (the saved frames and readout texts). ``move(page, view, slider, frm, to)`` presses
arrow keys on the slider's handle in a page that rendered the saved state (the static site,
an offline deck) and returns what the page shows before and after, to compare with
``slider.expected(to)``. ``write_probe_notebook`` makes a small notebook with one such
slider. Nothing here needs a kernel.
"""
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

STATE = "application/vnd.jupyter.widget-state+json"
LINKS = {"LinkModel", "DirectionalLinkModel"}
BOXES = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"}
SELECTORS = {"StackModel", "TabModel", "AccordionModel"}


def saved_state(notebook):
    """{model_id: saved model} of a notebook file (empty without saved widget state)."""
    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    return ((meta.get("widgets") or {}).get(STATE) or {}).get("state") or {}


def _ref(value):
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _children(model):
    return [_ref(c) for c in model.get("state", {}).get("children", []) if _ref(c)]


def _shown(state, model_id, depth=0):
    """Model ids drawn for `model_id` in a page: boxes show every child, a Stack/Tab/Accordion
    its selected child only. Depth-first, in DOM order."""
    model = state.get(model_id)
    if model is None or depth > 30:
        return []
    out = [model_id]
    name = model.get("model_name")
    if name in BOXES:
        for child in _children(model):
            out += _shown(state, child, depth + 1)
    elif name in SELECTORS:
        children, index = _children(model), model["state"].get("selected_index")
        if isinstance(index, int) and 0 <= index < len(children):
            out += _shown(state, children[index], depth + 1)
    return out


SVG = re.compile(r"<svg\b.*?</svg>", re.S)
DRAWS = re.compile(r"""\s(?:d|href)=(?:'([^']*)'|"([^"]*)")""")


def figure_prints(markup):
    """For each SVG drawing with a viewBox in `markup`, its paths' d and uses' href in order
    (joined by '|'): what it draws."""
    return ["|".join(a or b for a, b in DRAWS.findall(svg)) for svg in SVG.findall(markup)
            if "viewBox" in svg[:svg.index(">")]]


def _content(state, model_id, depth=0):
    """(PNG/JPEG base64 strings, texts outside SVGs, figure prints) that `model_id` shows,
    depth-first."""
    images, texts, figures = [], [], []
    for mid in _shown(state, model_id, depth):
        model = state[mid]
        name = model.get("model_name")
        if name == "ImageModel":
            images += [b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]]
        elif name in ("HTMLModel", "HTMLMathModel"):
            markup = str(model["state"].get("value", ""))
            figures += figure_prints(markup)
            text = html.unescape(re.sub(r"<[^>]+>", " ", SVG.sub(" ", markup)))
            texts.append(" ".join(text.split()))
    return images, texts, figures


@dataclass
class KernelFreeSlider:
    """One slider jslinked to the selected_index of Stacks; what each position shows."""
    slider_id: str
    description: str
    index: int                      # the saved position (the Stacks' selected_index)
    n_positions: int
    view_id: str                    # the top-level widget view (output) that shows it
    position_in_view: int           # which of the view's drawn sliders it is (DOM order)
    sliders_in_view: int            # how many sliders the view draws
    stacks: list = field(default_factory=list, repr=False)  # (saved state, Stack id) pairs

    def expected(self, index):
        """(images, texts, figures) the linked Stacks show at `index` (see the module
        docstring). A Stack nested in a Stack linked to another control shows its child at
        that control's saved index."""
        images, texts, figures = [], [], []
        for state, stack_id in self.stacks:
            child = _children(state[stack_id])[index]
            i, t, f = _content(state, child)
            images += i
            texts += t
            figures += f
        return images, [t for t in texts if t], figures


def _view_ids(notebook):
    """Model ids of the notebook's widget outputs, in cell order."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    ids = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view and view.get("model_id"):
                ids.append(view["model_id"])
    return ids


def kernel_free_sliders(notebook, kind="Slider"):
    """Every kernel-free slider of `notebook` (see the module docstring), in output order.
    kind="Dropdown": the menus linked to Stacks the same way (03's landscape menu)."""
    state = saved_state(notebook)
    linked = {}  # slider id -> (trait, [stack ids])
    for model in state.values():
        if model.get("model_name") not in LINKS:
            continue
        s = model.get("state", {})
        ends = [(_ref((s.get(k) or [None])[0]), (s.get(k) or [None, None])[1]) for k in ("source", "target")]
        for (a, a_trait), (b, b_trait) in (ends, ends[::-1]):
            if (a in state and b in state and b_trait == "selected_index"
                    and kind in state[a].get("model_name", "")
                    and state[b].get("model_name") == "StackModel"):
                linked.setdefault(a, (a_trait, []))[1].append(b)
    found = []
    for view_id in _view_ids(notebook):
        shown = _shown(state, view_id)
        drawn_sliders = [m for m in shown if kind in state[m].get("model_name", "")]
        for position, slider_id in enumerate(drawn_sliders):
            if slider_id not in linked:
                continue
            stacks = [st for st in linked[slider_id][1] if st in shown]  # others: another setting's
            sizes = {len(_children(state[st])) for st in stacks}
            index = state[stacks[0]]["state"].get("selected_index")
            found.append(KernelFreeSlider(
                slider_id=slider_id, description=state[slider_id]["state"].get("description", ""),
                index=index if isinstance(index, int) else 0, n_positions=min(sizes),
                view_id=view_id, position_in_view=position, sliders_in_view=len(drawn_sliders),
                stacks=[(state, st) for st in stacks]))
    return found


# --------------------------------------------------------------------------- in a page

TEXT_JS = """(el) => { const c = el.cloneNode(true); c.querySelectorAll('svg').forEach((s) => s.remove());
    return c.textContent.split(/\\s+/).join(' ').trim(); }"""

SHOWN_JS = """async (root, html) => {
    // What a rendered widget view shows: its visible images (as base64), the texts of its
    // HTML (elements matching the selector `html`) outside SVGs, and what each visible SVG
    // drawing with a viewBox in that HTML draws.
    const text = """ + TEXT_JS + """;
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const images = [];
    for (const img of root.querySelectorAll('img')) {
        if (!visible(img)) continue;
        if (img.src.startsWith('data:')) {  // read as is: a page without JavaScript runs no callbacks
            images.push(img.src.slice(img.src.indexOf(',') + 1));
            continue;
        }
        const blob = await (await fetch(img.src)).blob();
        const data = await new Promise((ok) => {
            const reader = new FileReader();
            reader.onload = () => ok(String(reader.result).split(',')[1]);
            reader.readAsDataURL(blob);
        });
        images.push(data);
    }
    const texts = Array.from(root.querySelectorAll(html))
        .filter(visible).map(text).filter(Boolean);
    const figures = Array.from(root.querySelectorAll(html))
        .flatMap((el) => Array.from(el.querySelectorAll('svg[viewBox]'))).filter(visible).map((svg) => Array.from(svg.querySelectorAll('path, use'))
            .map((el) => el.getAttribute(el.tagName === 'use' ? 'href' : 'd') || '').join('|'));
    return {images, texts, figures};
}"""


def shown(view, html=".widget-html-content"):
    """{images, texts, figures} a rendered view (a Playwright locator) shows now (see the
    module docstring); `html`: the CSS selector of its HTML outputs (the widgets HTML
    manager's by default; the static site's saved rendering uses ".saved-widget-html")."""
    return view.evaluate(SHOWN_JS, html)


def neighbour(slider, presses=1):
    """The position `presses` steps right of the saved one, or left where right leaves the range."""
    if slider.index + presses <= slider.n_positions - 1:
        return slider.index + presses
    return max(slider.index - presses, 0)


def _wait_for_texts(page, view, want, timeout_ms):
    """Wait until the view shows every text of `want` (or `timeout_ms`: the caller's
    comparison then says what is shown instead)."""
    try:
        page.wait_for_function(
            """([root, want]) => {
                const text = """ + TEXT_JS + """;
                const got = Array.from(root.querySelectorAll('.widget-html-content'))
                    .filter((el) => el.offsetWidth || el.offsetHeight).map(text);
                return want.every((t) => got.includes(t));
            }""", arg=[view.element_handle(), want], timeout=timeout_ms)
    except Exception:  # noqa: BLE001  (a timeout: the comparison that follows reports it)
        pass


def move(page, view, slider, frm, to, timeout_ms=5000):
    """Press ArrowRight or ArrowLeft |to - frm| times on the handle of `slider` (a
    KernelFreeSlider, now at position `frm`) in the rendered `view` (a Playwright locator of
    its widget area). Returns (what the view showed before, what it shows after); waits
    until the readout of position `to` is shown (or `timeout_ms`)."""
    before = shown(view)
    handles = view.locator(".widget-slider .noUi-handle")
    assert handles.count() == slider.sliders_in_view, (
        f"the view draws {handles.count()} slider handles, its saved state has {slider.sliders_in_view} sliders")
    handle = handles.nth(slider.position_in_view)
    handle.focus()
    for _ in range(abs(to - frm)):
        handle.press("ArrowRight" if to > frm else "ArrowLeft")
    _wait_for_texts(page, view, slider.expected(to)[1], timeout_ms)
    return before, shown(view)


def choose(page, view, menu, to, timeout_ms=5000):
    """Choose option `to` of `menu` (a kernel-free Dropdown, from kernel_free_sliders(...,
    kind="Dropdown")) in the rendered `view`; returns what the view showed before and after,
    once the readout of option `to` is shown (or `timeout_ms`)."""
    before = shown(view)
    selects = view.locator("select")
    assert selects.count() == menu.sliders_in_view, (
        f"the view draws {selects.count()} menus, its saved state has {menu.sliders_in_view}")
    selects.nth(menu.position_in_view).select_option(index=to)
    _wait_for_texts(page, view, menu.expected(to)[1], timeout_ms)
    return before, shown(view)


# --------------------------------------------------------------------------- a probe

def write_probe_notebook(path, n=4, start=1):
    """Write a small notebook whose saved state holds one kernel-free slider: an IntSlider
    (0..n-1, at `start`) jslinked to a Stack of n different PNG frames and a Stack of n
    readouts ("position i: value i/2"). Made without a kernel (ipywidgets.embed). Its
    metadata says "orphan" so that a Sphinx site can build it outside every toctree.
    Returns `path`."""
    import io

    import ipywidgets as W
    import nbformat
    from ipywidgets.embed import embed_data
    from PIL import Image, ImageDraw

    def frame(i):
        img = Image.new("RGB", (160, 60), (60 * i % 256, 120, 200 - 40 * i % 200))
        ImageDraw.Draw(img).text((10, 20), f"frame {i}", fill=(255, 255, 255))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue()

    images = W.Stack([W.Image(value=frame(i), format="png") for i in range(n)], selected_index=start)
    readouts = W.Stack([W.HTML(f"position {i}: value {i / 2:.1f}") for i in range(n)], selected_index=start)
    slider = W.IntSlider(value=start, min=0, max=n - 1, description="position")
    links = [W.jslink((slider, "value"), (images, "selected_index")),
             W.jslink((slider, "value"), (readouts, "selected_index"))]
    box = W.VBox([slider, images, readouts])
    try:
        data = embed_data(views=[box])
    finally:
        for widget in [box, slider, images, readouts, *links, *images.children, *readouts.children]:
            widget.close()
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({
        "orphan": True, "language_info": {"name": "python"},
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "widgets": {STATE: data["manager_state"]}})
    cell = nbformat.v4.new_code_cell("box", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": data["view_specs"][0], "text/plain": "VBox(...)"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Probe: a kernel-free slider"), cell]
    nbformat.write(nb, str(path))
    return path
