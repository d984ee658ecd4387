"""Claims every notebook makes about itself, checked against the notebook.

- "What you'll need" states the lesson's reading time as "about N minutes", and N is
  what tools/lesson_stats.py computes from the notebook (prose, code cells, figures and
  sliders), so the estimate cannot drift from the lesson it describes;
- every Korean gloss, e.g. "learning rate (학습률)", appears once per notebook, at its first
  use in the lesson (not first in the exercises or solutions).
"""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
_spec = importlib.util.spec_from_file_location("lesson_stats", ROOT / "tools" / "lesson_stats.py")
lesson_stats = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lesson_stats)


def test_the_four_lectures_exist():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stated_reading_time_is_computed(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    minutes, parts = lesson_stats.reading_minutes(nb)
    assert lesson_stats.stated_minutes(nb) == minutes, (
        f"{path.name} should say 'about {minutes} minutes' ({parts})")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_korean_terms_glossed_once_in_the_lesson(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert lesson_stats.glosses(nb), f"{path.name} glosses no Korean term"
    assert lesson_stats.gloss_problems(nb) == []


def test_gloss_rule_catches_repeats_and_late_glosses():
    nb = {"cells": [
        {"cell_type": "markdown", "source": "the learning rate (학습률) and the gradient"},
        {"cell_type": "markdown", "source": "again the learning rate (학습률)"},
        {"cell_type": "markdown", "source": "## Exercises\n\nan epoch (에폭)"},
    ]}
    problems = lesson_stats.gloss_problems(nb)
    assert any("학습률" in p and "2 times" in p for p in problems)
    assert any("에폭" in p and "exercises" in p for p in problems)
