"""A saved Jupyter widget drawn as static HTML, for a reader whose page cannot start it.

One renderer for the two places that need it: the offline decks (tools/build_slides.py)
and the static site (site/_ext/saved_widgets.py; tools/build_site.py copies this file
into the site's _ext/ folder). Both show it where the Jupyter widgets HTML manager cannot
draw the widget: JavaScript off, or the page opened without its assets folder.

``static_html(state, model_id, prefix)`` renders the saved model `model_id` of `state` (a
notebook's saved widget state, {model_id: model}) as it looks at its saved setting: boxes
as flex rows and columns, a Stack as its selected child, an Image as an <img> (data URL),
an HTML widget as its markup, a control as its description and value. A layered GridBox
(a slider figure: its background picture, then the shown setting's SVG overlay on top) is
laid out by inline styles, so that its layers stay on each other even without the page's
CSS. Every CSS class starts with `prefix`. ``''`` for what it cannot show.
"""
import html
import re

BOXES = {"VBoxModel": "column", "HBoxModel": "row", "BoxModel": "row", "GridBoxModel": "row"}
SELECTORS = {"StackModel", "TabModel", "AccordionModel"}  # show the selected child only
CONTROLS = {"DropdownModel", "RadioButtonsModel", "ToggleButtonsModel", "SelectModel",
            "BoundedFloatTextModel", "BoundedIntTextModel"}  # and every *Slider*
GRID_KEYS = ("grid_template_columns", "width", "max_width")  # taken from the saved layout
FILL_STYLE = "display:block;width:100%;height:auto"  # an image filling its layer


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
    """Whether a GridBox's children all sit in one grid cell (a slider figure)."""
    areas = {_grid_area(state, child) for child in children}
    return len(children) > 1 and len(areas) == 1 and None not in areas


def _control_value(s):
    """What a saved control shows: the label at its index, or its value in its format."""
    if "_options_labels" in s:
        labels, index = s["_options_labels"], s.get("index")
        return labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
    return _format(s.get("value"), s.get("readout_format"))


def static_html(state, model_id, prefix="saved-widget-", depth=0, fill=False):
    """Static HTML of the saved widget `model_id` (see the module docstring), or ''.
    `fill`: an image fills the width of its container (a layer of a layered GridBox)."""
    model = state.get(model_id)
    if model is None or depth > 30:
        return ""
    name, s = model.get("model_name", ""), model.get("state", {})
    children = s.get("children", [])

    def inner(child, fill=False):
        return static_html(state, _ref(child), prefix, depth + 1, fill)

    if name == "GridBoxModel" and _layered(state, children):
        grid = "display:grid;" + _css({"grid_template_columns": "100%", **_layout(state, model)}, GRID_KEYS)
        layers = "".join(f'<div class="{prefix}layer" style="grid-area:{html.escape(_grid_area(state, c))};'
                         f'align-self:start;min-width:0">{inner(c, fill=True)}</div>' for c in children)
        return f'<div class="{prefix}layers" style="{html.escape(grid)}">{layers}</div>'
    if name in BOXES:
        boxed = "".join(inner(c) for c in children)
        return f'<div class="{prefix}box {prefix}{BOXES[name]}">{boxed}</div>' if boxed else ""
    if name in SELECTORS:
        index = s.get("selected_index")
        return inner(children[index], fill) if isinstance(index, int) and 0 <= index < len(children) else ""
    if name == "ImageModel":
        data = next((b.get("data") for b in model.get("buffers", []) if b.get("path") == ["value"]), None)
        if not data:
            return ""
        fmt = html.escape(s.get("format") or "png")
        size = "".join(f' {k}="{html.escape(str(s[k]))}"' for k in ("width", "height") if s.get(k))
        size += f' style="{FILL_STYLE}"' if fill else ""
        return f'<img class="{prefix}image" alt="" src="data:image/{fmt};base64,{data}"{size}>'
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="{prefix}html">{s.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<div class="{prefix}html">{html.escape(str(s.get("value", "")))}</div>'
    if "Slider" in name or name in CONTROLS:
        return (f'<div class="{prefix}control"><span class="{prefix}label">'
                f'{html.escape(str(s.get("description", "")))}</span> '
                f'<span class="{prefix}value">{html.escape(str(_control_value(s)))}</span></div>')
    if name == "OutputModel":
        parts = []
        for out in s.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                parts.append(f'<img class="{prefix}image" alt="" src="data:image/png;base64,{data["image/png"]}">')
            elif "text/plain" in data or out.get("text"):
                parts.append(f'<pre>{html.escape("".join(data.get("text/plain") or out.get("text", "")))}</pre>')
        return "".join(parts)
    return ""


def prefix_ids(markup, id_prefix):
    """`markup` with every SVG id it defines prefixed by `id_prefix`, and every `#id` and
    `url(#id)` that points at one of them: a static copy shown in the same page as the
    live widget then never shadows the live widget's ids."""
    ids = set(re.findall(r"""\bid=['"]([^'"]+)['"]""", markup))
    if not ids:
        return markup
    markup = re.sub(r"""(\bid=['"])([^'"]+)(?=['"])""",
                    lambda m: m.group(1) + (id_prefix if m.group(2) in ids else "") + m.group(2), markup)
    return re.sub(r"#([^'\"()\s]+)(?=['\")])",
                  lambda m: "#" + (id_prefix if m.group(1) in ids else "") + m.group(1), markup)
