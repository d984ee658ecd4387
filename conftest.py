"""Test-suite wiring shared by tests/ and the nbval run over notebooks/.

`python -m pytest` runs everything: the tests under tests/ and, where nbval is installed,
every lecture notebook re-run in strict mode (its stored outputs are the specification).
The nbval settings live here, not in pyproject's addopts, so that `python -m pytest
tests/unit/test_losses.py` works in any environment with pytest, with or without nbval
or pytest-xdist. The README's test command adds `-n 2 --dist loadfile` (pytest-xdist).
"""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

# One BLAS thread for the notebook kernels nbval starts (they inherit this environment),
# the same as tools/regenerate_notebooks.sh uses when it stores the outputs. On a busy
# 2-core machine, multi-threaded OpenBLAS on these small matrices can be 10-50x slower,
# and the stored outputs are computed with the same thread count they are checked with.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# The Korean notebooks (notebooks/ko/) are the English ones with translated markdown: the
# same code cells and stored outputs, which tests/lessons/test_korean.py proves cell by
# cell. nbval re-runs the English ones only, so the suite does not run every lecture twice.
collect_ignore = ["notebooks/ko"]

# How nbval runs the notebooks unless the command line says otherwise.
NBVAL_SANITIZE = ROOT / "notebooks" / "sanitize.cfg"   # masks labelled timings
NBVAL_CELL_TIMEOUT = 120.0                             # seconds; nbval's own default is 2000
NBVAL_DEFAULT_CELL_TIMEOUT = 2000.0


def on_ci():
    """True where the CI script runs: the environment variable CI is set (and not 0/false/no).
    The same rule as tests/conftest.py's ``require`` (tests/delivery/test_requirements.py
    checks that the two agree)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("nbval"):
        return                   # each notebook becomes one item that says so (below)
    option = config.option
    if not option.nbval_lax:
        option.nbval = True                       # strict: every output is compared
    if option.nbval_kernel_name is None:
        option.nbval_current_env = True           # this environment's kernel, not the stored one
    if option.nbval_sanitize_with is None:        # an absolute path: pytest from any folder
        option.nbval_sanitize_with = str(NBVAL_SANITIZE)
    if option.nbval_cell_timeout == NBVAL_DEFAULT_CELL_TIMEOUT:
        option.nbval_cell_timeout = NBVAL_CELL_TIMEOUT


class NotebookWithoutNbval(pytest.File):
    """A lecture notebook where nbval is missing: one item that skips, saying so, or fails
    under CI, instead of the notebook silently not being checked."""

    def collect(self):
        yield NbvalMissing.from_parent(self, name="nbval")


class NbvalMissing(pytest.Item):
    def runtest(self):
        reason = ("nbval is not installed (or disabled with -p no:nbval), so this notebook's "
                  "stored outputs are not checked: pip install -r requirements-dev.txt")
        if on_ci():
            pytest.fail(f"required under CI, and it cannot run here: {reason}", pytrace=False)
        pytest.skip(reason)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: nbval missing"


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".ipynb" and not parent.config.pluginmanager.hasplugin("nbval"):
        return NotebookWithoutNbval.from_parent(parent, path=file_path)
