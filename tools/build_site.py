"""Build the lectures' static site, offline, from the stored outputs: site/_build/html/.

Usage (from anywhere; no venv needs to be activated):

    .venv/bin/python tools/build_site.py            # then open site/_build/html/index.html

The site has a landing page, the four English lectures (notebooks/*.ipynb, pages en/NN_name)
and the four Korean ones (notebooks/ko/*.ipynb, pages ko/NN_name), navigation between them,
a language switch on every lecture page, and search. It is Sphinx with MyST-NB
(site/conf.py, pinned in requirements-site.txt) and the sphinx-book-theme.

Nothing is executed (MyST-NB's nb_execution_mode = "off"): the pages show the outputs and
the widget state saved in the notebooks, and the Jupyter widgets HTML manager draws the
widgets in the page with no kernel. Nothing is fetched when the site is built or read:
require.js, the HTML manager and MathJax come from the same pinned npm install as the
offline decks (slides/package-lock.json, installed once into slides/vendor/ by
tools/build_slides.py; it needs npm the first time) and are copied into the site's
_static/vendor/. The pages work opened from disk (file://) and from any static host.

Steps: (1) the npm assets; (2) lay the Sphinx sources out in site/_build/src/: site/'s own
files (conf.py, index.md, _ext/, _templates/, _static/), the notebooks as en/ and ko/, and
the assets the pages use in _static/vendor/; (3) run Sphinx into site/_build/html/
(incremental: an unchanged notebook is not read again; --clean starts afresh).
"""
import argparse
import contextlib
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402  (the pinned npm assets of the decks)

SITE = ROOT / "site"
BUILD = SITE / "_build"
MODULES = build_slides.VENDOR / "node_modules"
LANGUAGES = {"en": ROOT / "notebooks", "ko": ROOT / "notebooks" / "ko"}

# What the site takes from slides/vendor/node_modules: (source, destination under vendor/,
# file patterns to keep or None for the file itself).
MATHJAX_PARTS = [  # MathJax 2 with TeX input and CommonHTML output (7 MB of its 73 MB)
    "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions",
    "jax/input/TeX", "jax/output/CommonHTML", "jax/output/PreviewHTML", "jax/element",
    "fonts/HTML-CSS/TeX/woff", "localization/en", "localization/ko",
]
HTML_MANAGER = "@jupyter-widgets/html-manager/dist"


class BuildError(RuntimeError):
    """The site could not be built; the message says why."""


def _copy(src, dst):
    """Copy a file (only when missing or changed: keeps Sphinx's build incremental)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if not dst.exists() or dst.stat().st_size != src.stat().st_size or dst.stat().st_mtime < src.stat().st_mtime:
        shutil.copy2(src, dst)
    return dst


def _copy_tree(src, dst):
    """Copy every file under `src` to `dst`; returns the destination paths."""
    if src.is_file():
        return [_copy(src, dst)]
    return [_copy(path, dst / path.relative_to(src)) for path in sorted(src.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts]


def vendor_assets(dest):
    """require.js, the widgets HTML manager and its icon fonts, and MathJax 2, into `dest`
    (the site's _static/vendor/); returns the paths written."""
    try:
        build_slides.ensure_vendor()
    except build_slides.BuildError as exc:
        raise BuildError(str(exc)) from None
    dist = MODULES / HTML_MANAGER
    written = [_copy(MODULES / "requirejs" / "require.js", dest / "require.js"),
               _copy(dist / "embed-amd.js", dest / "embed-amd.js")]
    for font in [*dist.glob("*.woff2"), *dist.glob("*.woff"), *dist.glob("*.ttf")]:
        written.append(_copy(font, dest / HTML_MANAGER / font.name))  # where the manager looks
    for part in MATHJAX_PARTS:
        written += _copy_tree(MODULES / "mathjax" / part, dest / "mathjax" / part)
    return written


def lay_out_sources(src, extra_pages=()):
    """The Sphinx source folder `src`: site/'s files (conf.py, index.md, _ext/, _templates/,
    _static/) and, in _ext/, tools/saved_widget_html.py (the static rendering of saved
    widgets, shared with the offline decks), en/NN_name.ipynb and ko/NN_name.ipynb (copies), _static/vendor/ (assets), and
    `extra_pages`: (notebook, path under src) pairs (the tests add a probe page; such a page
    is in no toctree, so its notebook's metadata must say "orphan": true)."""
    wanted = [_copy(Path(nb), src / rel) for nb, rel in extra_pages]
    wanted.append(_copy(ROOT / "tools" / "saved_widget_html.py", src / "_ext" / "saved_widget_html.py"))
    for path in sorted(SITE.iterdir()):
        if path.name != "_build":
            wanted += _copy_tree(path, src / path.name)
    for language, folder in LANGUAGES.items():
        notebooks = sorted(folder.glob("[0-9]*.ipynb"))
        if not notebooks:
            raise BuildError(f"no lecture notebooks in {folder}")
        wanted += [_copy(nb, src / language / nb.name) for nb in notebooks]
    wanted += vendor_assets(src / "_static" / "vendor")
    keep = set(wanted)
    for path in src.rglob("*"):  # a lecture renamed or removed leaves no stale page
        if path.is_file() and path not in keep and "__pycache__" not in path.parts:
            path.unlink()


def build(build_dir=BUILD, clean=False, quiet=True, extra_pages=()):
    """Build the site into `build_dir`/html/ (sources in src/, Sphinx's cache in doctrees/);
    returns the path of its index.html. `extra_pages`: see lay_out_sources."""
    from sphinx.cmd.build import build_main

    build_dir = Path(build_dir)
    if clean:
        shutil.rmtree(build_dir, ignore_errors=True)
    src, out = build_dir / "src", build_dir / "html"
    lay_out_sources(src, extra_pages)
    args = ["-b", "html", "-d", str(build_dir / "doctrees"), "-W", "--keep-going",
            *(["-q"] if quiet else []), str(src), str(out)]
    if build_main(args) != 0:
        raise BuildError("Sphinx reported errors or warnings (above)")
    return out / "index.html"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="rebuild everything from scratch")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    parser.add_argument("--build-dir", type=Path, default=BUILD,
                        help="where to build (default: site/_build; the site is its html/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        index = build(args.build_dir, clean=args.clean, quiet=not args.verbose)
    except BuildError as exc:
        print(f"build_site: {exc}", file=sys.stderr)
        return 1
    with contextlib.suppress(ValueError):
        index = index.relative_to(Path.cwd())
    print(f"build_site: done in {time.perf_counter() - start:.1f} s; open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
