#!/usr/bin/env bash
# Re-run every lecture notebook in a fresh kernel and store its outputs (and widget
# state, so GitHub and nbviewer show each slider's first frame).
# Usage: bash tools/regenerate_notebooks.sh [NOTEBOOK ...]   (default: all of notebooks/)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then set -- notebooks/[0-9]*.ipynb; fi
# One BLAS thread, as the test suite uses (see conftest.py).
export OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0
for nb in "$@"; do
  echo "running $nb"
  # timeout: nbconvert has been seen to hang on interact cells (nbclient#312)
  timeout 300 jupyter nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.timeout=120 --ExecutePreprocessor.kernel_name=python3 \
    --ExecutePreprocessor.record_timing=False "$nb"
done
python3 tools/clean_metadata.py "$@"
