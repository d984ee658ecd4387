"""Build one reveal.js deck per lecture notebook that works OFFLINE, from file://:
slides/NN_name.slides.html.

Usage (from anywhere; no venv needs to be activated):

    .venv/bin/python tools/build_slides.py [NOTEBOOK ...]   # default: notebooks/NN_*.ipynb
    .venv/bin/python tools/build_slides.py notebooks/ko/*.ipynb   # the Korean decks

A Korean notebook (notebooks/ko/NN_name.ipynb) becomes slides/NN_name.ko.slides.html, next
to the English deck, so both find slides/vendor/.

The browser assets (reveal.js 4, require.js, jQuery, MathJax 2 and the Jupyter widgets
HTML manager) come from the npm registry at the exact versions of slides/package.json and
slides/package-lock.json: `npm ci` installs them once into slides/vendor/ (ignored by git,
about 200 MB) and again only when the lock file changes. A deck links to them by relative
paths: keep it next to slides/vendor/ (copy the whole slides/ folder to carry the decks).

Nothing is executed: a deck shows the outputs and widget state stored in the notebook.
Sliders saved as kernel-free panels (every setting drawn ahead, Stacks jslinked to the
controls: optim_helpers/widgets.py) move in the deck with no kernel: the Jupyter widgets HTML
manager links them in the page. Next to each widget view the deck also carries a static
rendering of its saved state (`SavedFigures`, an nbconvert preprocessor): the figure at its
saved setting (background image with the SVG overlay laid over it) and the readout text.
The page shows it where the widgets cannot start (JavaScript off, or the deck opened
without its vendor/ folder, which the page then says in the deck's language).
The deck's layer comes from the cells' metadata (slides/AUTHORING.md): `slide_type`
("skip" cells are left out, "notes" go to the speaker view), the tag `remove-input`
(show the output, not the code), `remove-cell` and `remove-output`. nbconvert runs in
this same Python (`sys.executable -m nbconvert`), with the template
slides/templates/reveal_offline.
"""
import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from saved_widget_html import prefix_ids, static_html

try:
    import fcntl  # POSIX: serialises ensure_vendor() across processes
except ImportError:  # Windows: no lock
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
SLIDES = ROOT / "slides"
VENDOR = SLIDES / "vendor"
STAMP = VENDOR / ".lock-stamp"
MODS = "vendor/node_modules"  # relative to the deck
ASSETS = {  # nbconvert option -> asset path under slides/vendor/node_modules
    "reveal": "reveal.js",
    "require_js_url": "requirejs/require.js",
    "jquery_url": "jquery/dist/jquery.min.js",
    "mathjax_url": "mathjax/MathJax.js",
    "widget_renderer_url": "@jupyter-widgets/html-manager/dist/embed-amd.js",
}
NEEDED = ["reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js", *list(ASSETS.values())[1:]]
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
SAVED_FIGURE = "saved_figure_html"  # output metadata key read by the template (reveal_offline)
STATIC_ID_PREFIX = "saved-"         # SVG ids of a static rendering, apart from the live widget's


class BuildError(RuntimeError):
    """A deck could not be built; the message says why."""


def ensure_vendor():
    """Install the pinned npm assets into slides/vendor/ unless the lock file is unchanged.
    One process at a time (the site build, tools/build_site.py, shares slides/vendor/)."""
    with open(SLIDES / "package-lock.json", "rb") as held:
        if fcntl is not None:
            fcntl.flock(held, fcntl.LOCK_EX)  # released when the file closes
        _ensure_vendor()


def _ensure_vendor():
    lock = SLIDES / "package-lock.json"
    fresh = STAMP.exists() and filecmp.cmp(lock, STAMP, shallow=False) and all(
        (VENDOR / "node_modules" / rel).is_file() for rel in NEEDED)
    if fresh:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is needed once to fetch the slide assets (apt-get install -y npm)")
    print(f"build_slides: installing the pinned slide assets into {VENDOR.relative_to(ROOT)} (npm ci)")
    shutil.rmtree(VENDOR, ignore_errors=True)
    VENDOR.mkdir(parents=True)
    shutil.copy(SLIDES / "package.json", VENDOR)
    shutil.copy(lock, VENDOR)
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=VENDOR, check=True)
    missing = [rel for rel in NEEDED if not (VENDOR / "node_modules" / rel).is_file()]
    if missing:
        raise BuildError(f"npm ci did not install {missing}")
    shutil.copy(lock, STAMP)


# --------------------------------------------------------------------------- saved widgets, static

def saved_figure(state, model_id):
    """The static rendering of a widget view (saved_widget_html.static_html, CSS classes
    saved-...), its SVG ids prefixed with STATIC_ID_PREFIX so that they never shadow the
    ids of the live widget drawn from the same state in the same page."""
    return prefix_ids(static_html(state, model_id, prefix="saved-"), STATIC_ID_PREFIX)


class SavedFigures(Preprocessor):
    """Store, in each widget view output's metadata (key SAVED_FIGURE), the static
    rendering of that view at its saved state (`saved_figure`); the template
    reveal_offline puts it next to the view. Outputs without saved state are left alone."""

    def preprocess(self, nb, resources):
        state = ((nb.metadata.get("widgets") or {}).get(STATE) or {}).get("state") or {}
        if state:
            for cell in nb.cells:
                for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                    view = (output.get("data") or {}).get(VIEW)
                    if isinstance(view, dict) and view.get("model_id") in state:
                        markup = saved_figure(state, view["model_id"])
                        if markup:
                            output.setdefault("metadata", {})[SAVED_FIGURE] = markup
        return nb, resources


def nbconvert_command(notebooks, output_dir=SLIDES):
    """The nbconvert command line that builds `notebooks` into `output_dir` (slides/)."""
    url = {key: f"{MODS}/{rel}" for key, rel in ASSETS.items()}
    return [
        sys.executable, "-m", "nbconvert", "--to", "slides", *map(str, notebooks),
        "--output-dir", str(output_dir),
        f"--TemplateExporter.extra_template_basedirs={SLIDES / 'templates'}",
        "--template", "reveal_offline",
        "--reveal-prefix", url["reveal"],
        "--SlidesExporter.reveal_theme=white",
        "--SlidesExporter.reveal_scroll=False",
        "--SlidesExporter.reveal_transition=none",
        "--SlidesExporter.reveal_number=c/t",
        f"--SlidesExporter.require_js_url={url['require_js_url']}",
        f"--SlidesExporter.jquery_url={url['jquery_url']}",
        f"--SlidesExporter.mathjax_url={url['mathjax_url']}?config=TeX-AMS_CHTML-full,Safe",
        f"--SlidesExporter.widget_renderer_url={url['widget_renderer_url']}",
        "--TagRemovePreprocessor.enabled=True",
        "--TagRemovePreprocessor.remove_cell_tags=remove-cell",
        "--TagRemovePreprocessor.remove_input_tags=remove-input",
        "--TagRemovePreprocessor.remove_all_outputs_tags=remove-output",
        "--SlidesExporter.preprocessors=build_slides.SavedFigures",
        "--no-prompt", "--log-level=WARN",
    ]


def nbconvert_env():
    """The environment of the nbconvert process: tools/ on the path, for SavedFigures."""
    path = [str(ROOT / "tools"), *filter(None, [os.environ.get("PYTHONPATH")])]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path))


def default_notebooks():
    return sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def is_korean(notebook):
    return Path(notebook).parent.name == "ko"


def deck_path(notebook):
    """slides/NN_name.slides.html, or slides/NN_name.ko.slides.html for a Korean notebook."""
    suffix = ".ko" if is_korean(notebook) else ""
    return SLIDES / f"{Path(notebook).stem}{suffix}.slides.html"


def build(notebooks=None, output_dir=SLIDES):
    """Build the decks of `notebooks` (default: every lecture) into `output_dir`; returns
    their paths. A deck outside slides/ finds the assets only if `output_dir` has a
    `vendor` link to slides/vendor (the tests make one)."""
    notebooks = [Path(nb).resolve() for nb in (notebooks or default_notebooks())]
    missing = [str(nb) for nb in notebooks if not nb.is_file()]
    if missing:
        raise BuildError(f"no such notebook: {', '.join(missing)}")
    ensure_vendor()
    for nb in notebooks:
        print(f"build_slides: {nb.relative_to(ROOT) if nb.is_relative_to(ROOT) else nb}")
    english = [nb for nb in notebooks if not is_korean(nb)]
    if english:
        subprocess.run(nbconvert_command(english, output_dir), cwd=ROOT, check=True, env=nbconvert_env())
    for nb in notebooks:
        if is_korean(nb):       # its own name (the English deck has the same file name), lang="ko"
            subprocess.run([*nbconvert_command([nb], output_dir), "--output", f"{nb.stem}.ko",
                            "--SlidesExporter.language_code=ko"], cwd=ROOT, check=True, env=nbconvert_env())
    return [Path(output_dir) / deck_path(nb).name for nb in notebooks]


def main(argv):
    try:
        decks = build(argv or None)
    except BuildError as exc:
        print(f"build_slides: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"build_slides: {exc}", file=sys.stderr)
        return 1
    print(f"build_slides: done ({len(decks)} deck(s) in slides/)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
