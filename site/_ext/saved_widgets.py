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

from saved_widget_html import static_html  # tools/saved_widget_html.py, copied here by build_site

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
