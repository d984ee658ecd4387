#!/usr/bin/env bash
# Build one reveal.js deck per lecture notebook that works OFFLINE (no CDN):
#   slides/NN_name.slides.html
# Usage: bash tools/build_slides.sh [NOTEBOOK ...]   (default: all of notebooks/NN_*.ipynb)
#
# The browser assets (reveal.js 4, require.js, jQuery, MathJax 2 and the Jupyter widgets
# HTML manager) come from the npm registry at the exact versions in slides/package.json and
# slides/package-lock.json; `npm ci` installs them into slides/vendor/ (ignored by git).
# They are fetched again only when the lock file changes. Open a deck straight from disk
# (file://); keep it next to slides/vendor/ (the deck links to it by relative paths).
#
# The decks use the stored outputs and widget state (nothing is executed here), drop cells
# tagged `remove-cell`, show only the output of cells tagged `remove-input`, and leave out
# cells whose slide type is "skip".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then set -- notebooks/[0-9]*.ipynb; fi
for nb in "$@"; do
  if [ ! -f "$nb" ]; then echo "build_slides: no such notebook: $nb" >&2; exit 2; fi
done

vendor=slides/vendor
stamp="$vendor/.lock-stamp"
if ! [ -f "$stamp" ] || ! cmp -s slides/package-lock.json "$stamp" \
   || ! [ -f "$vendor/node_modules/reveal.js/dist/reveal.js" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "build_slides: npm is needed once to fetch the slide assets (apt-get install -y npm)" >&2
    exit 3
  fi
  echo "build_slides: installing the pinned slide assets into $vendor (npm ci)"
  rm -rf "$vendor"
  mkdir -p "$vendor"
  cp slides/package.json slides/package-lock.json "$vendor/"
  (cd "$vendor" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp slides/package-lock.json "$stamp"
fi

# Paths relative to the deck (slides/NN_name.slides.html).
mods=vendor/node_modules
for f in reveal.js/dist/reveal.js reveal.js/plugin/notes/notes.js requirejs/require.js \
         jquery/dist/jquery.min.js mathjax/MathJax.js \
         @jupyter-widgets/html-manager/dist/embed-amd.js; do
  if ! [ -f "slides/$mods/$f" ]; then echo "build_slides: missing slides/$mods/$f" >&2; exit 4; fi
done

for nb in "$@"; do
  echo "build_slides: $nb"
  jupyter nbconvert --to slides "$nb" --output-dir slides \
    --TemplateExporter.extra_template_basedirs=slides/templates --template reveal_offline \
    --reveal-prefix "$mods/reveal.js" \
    --SlidesExporter.reveal_theme=white --SlidesExporter.reveal_scroll=True \
    --SlidesExporter.reveal_number=c/t \
    --SlidesExporter.require_js_url="$mods/requirejs/require.js" \
    --SlidesExporter.jquery_url="$mods/jquery/dist/jquery.min.js" \
    --SlidesExporter.mathjax_url="$mods/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe" \
    --SlidesExporter.widget_renderer_url="$mods/@jupyter-widgets/html-manager/dist/embed-amd.js" \
    --TagRemovePreprocessor.enabled=True \
    --TagRemovePreprocessor.remove_cell_tags='remove-cell' \
    --TagRemovePreprocessor.remove_input_tags='remove-input' \
    --TagRemovePreprocessor.remove_all_outputs_tags='remove-output' \
    --no-prompt --log-level=WARN
done
echo "build_slides: done ($# deck(s) in slides/)"
