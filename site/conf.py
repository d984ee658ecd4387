"""Sphinx configuration of the lectures' static site. Build it with

    .venv/bin/python tools/build_site.py

which lays the sources out in site/_build/src/ (this folder's files, notebooks/*.ipynb as
en/, notebooks/ko/*.ipynb as ko/, the browser assets as _static/vendor/) and runs Sphinx
there. Nothing is executed: MyST-NB shows the outputs and widget
state stored in the notebooks. Nothing is fetched when the site is built or read: MathJax,
require.js and the Jupyter widgets HTML manager are local files under _static/vendor/.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

if not (HERE / "_static" / "vendor" / "embed-amd.js").is_file():
    raise RuntimeError("the site's _static/vendor/ is missing: build it with tools/build_site.py")

project = "Optimization for deep learning"
author = "The optim-lectures authors"
copyright = "the optim-lectures authors, MIT licence"
language = "en"
root_doc = "index"

extensions = ["myst_nb", "sphinx.ext.githubpages", "saved_widgets"]  # githubpages: .nojekyll
exclude_patterns = ["**/translations/**", "**.ipynb_checkpoints"]

# MyST-NB: show the stored outputs, run nothing.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# Widgets: the saved state is rendered by the Jupyter widgets HTML manager (the version the
# offline decks load, slides/package.json), from local files, never from a CDN.
# widgets-config.js points require.js at _static/vendor/, where the manager finds its fonts.
nb_ipywidgets_js = {
    "widgets-config.js": {},
    "vendor/require.js": {},
    "vendor/embed-amd.js": {},
}

# MathJax 2 from the same pinned npm install as the decks (a local copy in _static/vendor/).
# MyST marks the page "tex2jax_ignore" and the formulas "math": MathJax typesets those only.
myst_update_mathjax = False  # its settings are for MathJax 3
mathjax_path = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
mathjax2_config = {
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                "processEscapes": True, "processEnvironments": True,
                "ignoreClass": "tex2jax_ignore|mathjax_ignore",
                "processClass": "tex2jax_process|mathjax_process|math|output_area"},
    "CommonHTML": {"linebreaks": {"automatic": True}},
    "menuSettings": {"zoom": "None"},
}

html_theme = "sphinx_book_theme"
html_title = "Optimization for deep learning"
html_static_path = ["_static"]
html_css_files = ["site.css"]
templates_path = ["_templates"]
html_last_updated_fmt = None
html_copy_source = True          # the page's "download .ipynb" button serves the notebook
html_sourcelink_suffix = ""
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
    "show_prev_next": True,
    "navbar_persistent": [],
}
