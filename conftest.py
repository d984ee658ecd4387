"""Test-suite wiring shared by tests/ and the nbval run over notebooks/.

nbval opens its sanitize file relative to the current folder, so we give it an
absolute path here: `pytest` works from any directory.
"""
import os
from pathlib import Path

# One BLAS thread for the notebook kernels nbval starts (they inherit this environment),
# the same as tools/regenerate_notebooks.sh uses when it stores the outputs. On a busy
# 2-core machine, multi-threaded OpenBLAS on these small matrices can be 10-50x slower,
# and the stored outputs are computed with the same thread count they are checked with.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent

# The Korean notebooks (notebooks/ko/) are the English ones with translated markdown: the
# same code cells and stored outputs, which tests/test_korean.py proves cell by cell. nbval
# re-runs the English ones only, so the suite does not run every lecture twice.
collect_ignore = ["notebooks/ko"]


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None and hasattr(config.option, "nbval_sanitize_with"):
        config.option.nbval_sanitize_with = str(ROOT / "notebooks" / "sanitize.cfg")
