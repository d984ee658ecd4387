#!/usr/bin/env bash
# Re-run every lecture notebook in a fresh kernel and store its outputs and widget state
# (which holds every setting of every slider, for the offline decks, the site and viewers).
# Usage: bash tools/regenerate_notebooks.sh [NOTEBOOK ...]   (default: all of notebooks/)
# The tools run through one Python: $PYTHON if set, else the repository's .venv, else the
# `python3` on PATH; a venv need not be activated.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PYTHON:-}" ]; then py=$PYTHON
elif [ -x .venv/bin/python ]; then py=.venv/bin/python
else py=python3
fi
if [ "$#" -eq 0 ]; then set -- notebooks/[0-9]*.ipynb; fi
# One BLAS thread, as the test suite uses (see conftest.py).
export OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0
for nb in "$@"; do
  echo "running $nb"
  # timeout: nbconvert has been seen to hang on interact cells (nbclient#312)
  timeout 300 "$py" -m nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.timeout=120 --ExecutePreprocessor.kernel_name=python3 \
    --ExecutePreprocessor.record_timing=False "$nb"
done
"$py" tools/clean_metadata.py "$@"
