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
The deck's layer comes from the cells' metadata (slides/AUTHORING.md): `slide_type`
("skip" cells are left out, "notes" go to the speaker view), the tag `remove-input`
(show the output, not the code), `remove-cell` and `remove-output`. nbconvert runs in
this same Python (`sys.executable -m nbconvert`), with the template
slides/templates/reveal_offline.
"""
import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

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
        "--no-prompt", "--log-level=WARN",
    ]


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
        subprocess.run(nbconvert_command(english, output_dir), cwd=ROOT, check=True)
    for nb in notebooks:
        if is_korean(nb):       # its own name: the English deck has the same file name
            subprocess.run([*nbconvert_command([nb], output_dir), "--output", f"{nb.stem}.ko"],
                           cwd=ROOT, check=True)
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
