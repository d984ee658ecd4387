"""Test-suite wiring shared by tests/ and the nbval run over notebooks/.

nbval opens its sanitize file relative to the current folder, so we give it an
absolute path here: `pytest` works from any directory.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None and hasattr(config.option, "nbval_sanitize_with"):
        config.option.nbval_sanitize_with = str(ROOT / "notebooks" / "sanitize.cfg")
