"""Sphinx extension of the lectures' site: the saved widgets' fallback, and the language switch.

Saved widgets. MyST-NB writes each widget output as a
``<script type="application/vnd.jupyter.widget-view+json">`` that the Jupyter widgets HTML
manager replaces with the live widget. Where it cannot (JavaScript off; the page opened
without its ``_static/`` folder), that spot would stay blank. So each one is wrapped here in
``<div class="saved-widget">`` together with a static rendering of the same saved state:
the figure at its saved setting (the Image, or the shown child of a Stack; a slider figure's
layers, its background image and the saved setting's SVG overlay, one on the other) and the
readout text, the controls' values as text, and a note saying why the figure does not move. The
site's CSS hides that rendering once JavaScript runs (``html.js``); the inline script of
``_templates/layout.html`` shows it again, with the note, when the widget does not appear.

Language switch. Every page of ``en/NAME`` links to ``ko/NAME`` and back
(``_templates/language-switch.html``), and Korean pages say ``<html lang="ko">``.
"""
import html
import json
from pathlib import Path

from docutils import nodes

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
LANGUAGES = {"en": "English", "ko": "한국어"}
NOTES = {
    "en": {
        "noscript": "JavaScript is off, so this interactive figure is shown at its saved setting; "
                    "turn JavaScript on to move its sliders.",
        "missing": "This interactive figure could not start: the site's _static/ folder was not "
                   "found next to this page (open the page from the whole site folder). It is "
                   "shown here at its saved setting.",
        "error": "This interactive figure could not be drawn in this browser; it is shown here "
                 "at its saved setting.",
    },
    "ko": {
        "noscript": "자바스크립트가 꺼져 있어서 이 그림은 저장된 설정으로만 보입니다. "
                    "슬라이더를 움직이려면 자바스크립트를 켜 주세요.",
        "missing": "이 인터랙티브 그림을 시작하지 못했습니다. 이 페이지 옆에 사이트의 _static/ 폴더가 "
                   "없습니다(사이트 폴더 전체에서 페이지를 여세요). 아래는 저장된 설정의 그림입니다.",
        "error": "이 브라우저에서 인터랙티브 그림을 그리지 못했습니다. 아래는 저장된 설정의 그림입니다.",
    },
}
BOXES = {"VBoxModel": "column", "HBoxModel": "row", "BoxModel": "row", "GridBoxModel": "row"}
SELECTORS = {"StackModel", "TabModel", "AccordionModel"}  # show the selected child only
# A layered GridBox (a slider figure: the background image, then the shown setting's SVG
# overlay on top, both as wide as the figure) is laid out by inline styles, not by site.css:
# its layers must stay on each other also on a page opened without its _static/ folder.
GRID_KEYS = ("grid_template_columns", "width", "max_width")  # taken from the saved layout
FILL_STYLE = "display:block;width:100%;height:auto"  # an image filling its layer


def page_language(docname):
    """'ko' for pages under ko/, else 'en'."""
    return "ko" if docname.startswith("ko/") else "en"


def widget_state(path):
    """The saved widget state {model_id: model} of the notebook at `path`, or {}."""
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return {}
    return ((meta.get("widgets") or {}).get(STATE) or {}).get("state") or {}


def _ref(value):
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _format(value, fmt):
    """The slider's readout as the browser shows it (ipywidgets' readout_format is a d3 format,
    the same as Python's for the formats used here)."""
    try:
        return format(value, fmt or "")
    except (TypeError, ValueError):
        return str(value)


def _layout(state, model):
    """The saved layout (a dict of CSS-like traits) of a saved model."""
    return (state.get(_ref((model or {}).get("state", {}).get("layout"))) or {}).get("state", {})


def _grid_area(state, child):
    """The grid_area of a saved child's layout, or None."""
    return _layout(state, state.get(_ref(child))).get("grid_area")


def _css(layout, keys):
    """Inline CSS of the traits `keys` that `layout` sets (grid_area -> grid-area: ...)."""
    return "".join(f"{k.replace('_', '-')}:{layout[k]};" for k in keys if layout.get(k))


def _layered(state, children):
    """Whether a GridBox's children all sit in one grid cell (a slider figure: its
    background, then the overlay of the shown setting on top)."""
    areas = {_grid_area(state, child) for child in children}
    return len(children) > 1 and len(areas) == 1 and None not in areas


def static_html(state, model_id, depth=0, fill=False):
    """A static HTML rendering of the saved widget `model_id` (recursively), or ''.
    `fill`: an image fills the width of its container (a layer of a layered GridBox)."""
    model = state.get(model_id)
    if model is None or depth > 20:
        return ""
    name, s = model.get("model_name", ""), model.get("state", {})
    if name == "GridBoxModel" and _layered(state, s.get("children", [])):
        grid = "display:grid;" + _css({"grid_template_columns": "100%", **_layout(state, model)}, GRID_KEYS)
        inner = "".join(
            f'<div class="saved-widget-layer" style="grid-area:{html.escape(_grid_area(state, c))};'
            f'align-self:start;min-width:0">{static_html(state, _ref(c), depth + 1, fill=True)}</div>'
            for c in s.get("children", []))
        return f'<div class="saved-widget-layers" style="{html.escape(grid)}">{inner}</div>'
    if name in BOXES:
        inner = "".join(static_html(state, _ref(c), depth + 1) for c in s.get("children", []))
        return f'<div class="saved-widget-box saved-widget-{BOXES[name]}">{inner}</div>' if inner else ""
    if name in SELECTORS:
        children, index = s.get("children", []), s.get("selected_index")
        if isinstance(index, int) and 0 <= index < len(children):
            return static_html(state, _ref(children[index]), depth + 1, fill)
        return ""
    if name == "ImageModel":
        data = next((b.get("data") for b in model.get("buffers", []) if b.get("path") == ["value"]), None)
        if not data:
            return ""
        fmt = html.escape(s.get("format") or "png")
        size = "".join(f' {k}="{html.escape(str(s[k]))}"' for k in ("width", "height") if s.get(k))
        size += f' style="{FILL_STYLE}"' if fill else ""
        return f'<img class="saved-widget-image" alt="" src="data:image/{fmt};base64,{data}"{size}>'
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="saved-widget-html">{s.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<div class="saved-widget-html">{html.escape(str(s.get("value", "")))}</div>'
    if "Slider" in name or name in ("DropdownModel", "RadioButtonsModel", "ToggleButtonsModel",
                                     "SelectModel", "BoundedFloatTextModel", "BoundedIntTextModel"):
        if "_options_labels" in s:
            labels, index = s["_options_labels"], s.get("index")
            value = labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
        else:
            value = _format(s.get("value"), s.get("readout_format"))
        label = html.escape(str(s.get("description", "")))
        return (f'<div class="saved-widget-control"><span class="saved-widget-label">{label}</span> '
                f'<span class="saved-widget-value">{html.escape(str(value))}</span></div>')
    if name == "OutputModel":
        parts = []
        for out in s.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                parts.append(f'<img class="saved-widget-image" alt="" src="data:image/png;base64,{data["image/png"]}">')
            elif "text/plain" in data or out.get("text"):
                parts.append(f'<pre>{html.escape("".join(data.get("text/plain") or out.get("text", "")))}</pre>')
        return "".join(parts)
    return ""


def wrap_view(script_html, state, language):
    """The widget view's <script> together with its static rendering and notes."""
    start = script_html.find(">") + 1
    end = script_html.rfind("</script>")
    try:
        model_id = json.loads(script_html[start:end])["model_id"]
    except (ValueError, KeyError, TypeError):
        return script_html
    notes = NOTES[language]
    body = static_html(state, model_id)
    return (
        f'<div class="saved-widget" data-model-id="{html.escape(model_id)}">'
        f'<div class="saved-widget-fallback">'
        f'<noscript><p class="saved-widget-note">{notes["noscript"]}</p></noscript>'
        + "".join(f'<p class="saved-widget-note saved-widget-failed-note" data-reason="{reason}" hidden>'
                  f'{notes[reason]}</p>' for reason in ("missing", "error")) +
        f'{body}</div>{script_html}</div>'
    )


def add_fallbacks(app, doctree, docname):
    """doctree-resolved: wrap every widget view of the page (see the module docstring)."""
    raws = [n for n in doctree.findall(nodes.raw) if VIEW in n.astext() and "<script" in n.astext()]
    if not raws:
        return
    state = widget_state(app.env.doc2path(docname))
    language = page_language(docname)
    for node in raws:
        new = nodes.raw("", wrap_view(node.astext(), state, language), format="html")
        node.replace_self(new)


def page_context(app, pagename, templatename, context, doctree):
    """html-page-context: the page's language, and the link to the same page in the other one."""
    language = page_language(pagename) if pagename.split("/")[0] in LANGUAGES else None
    if language == "ko":
        context["language"] = "ko"
    if language:
        other = "ko" if language == "en" else "en"
        twin = f"{other}/{pagename.split('/', 1)[1]}"
        if twin in app.env.found_docs:
            context["language_switch"] = {
                "href": context["pathto"](twin), "lang": other, "label": LANGUAGES[other],
                "current": LANGUAGES[language]}


def setup(app):
    app.connect("doctree-resolved", add_fallbacks)
    app.connect("html-page-context", page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
