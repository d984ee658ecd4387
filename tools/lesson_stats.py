#!/usr/bin/env python3
"""Reading time and Korean glosses of the lecture notebooks, computed from the files.

Usage: python tools/lesson_stats.py [NOTEBOOK ...]   (default: notebooks/NN_*.ipynb)

Each notebook states its reading time in "What you'll need" ("about N minutes"); the
test suite (tests/lessons/test_lessons.py) checks that the stated N is what this tool computes,
so the estimate is derived, not guessed. The estimate covers the lesson, everything
before the "## Exercises" heading:

    minutes = prose words / 120 (technical prose with maths, read carefully)
            + 1 per code cell (read it, run it, read its output)
            + 1 per figure (read it against the text)
            + 3 per slider panel (move it and watch)

rounded up to the next 5 minutes. The exercises are counted apart.

Korean key terms are glossed once per notebook at first use, e.g. "learning rate
(학습률)". A gloss is a parenthesis holding Hangul. The rule checked here: every gloss
appears once per notebook, in the lesson (not in the exercises or their solutions).
"""
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 120
MINUTES_PER_CODE_CELL = 1
MINUTES_PER_FIGURE = 1
MINUTES_PER_SLIDER = 3
ROUND_TO = 5
EXERCISES = re.compile(r"^##\s+Exercises\b", re.MULTILINE)
STATED = re.compile(r"about (\d+) minutes")
GLOSS = re.compile(r"\(([^()]*[\uac00-\ud7a3][^()]*)\)")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def split_lesson(nb):
    """(lesson cells, exercise cells): the cells before and from the "## Exercises" heading."""
    cells = nb["cells"]
    for k, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and EXERCISES.search(_source(cell)):
            return cells[:k], cells[k:]
    return cells, []


def prose_words(cells):
    """Words a reader reads in the markdown cells (maths and code spans count as words)."""
    return sum(len(_source(c).split()) for c in cells if c["cell_type"] == "markdown")


def _outputs(cells, predicate):
    return sum(1 for c in cells if c["cell_type"] == "code"
               for out in c.get("outputs", []) if predicate(out.get("data", {})))


def reading_minutes(nb):
    """The lesson's estimated reading time in minutes, rounded up to ROUND_TO."""
    lesson, _ = split_lesson(nb)
    code = sum(1 for c in lesson if c["cell_type"] == "code" and _source(c).strip()
               and c.get("metadata", {}).get("slideshow", {}).get("slide_type") != "skip")
    figures = _outputs(lesson, lambda d: "image/png" in d and WIDGET_VIEW not in d)
    sliders = _outputs(lesson, lambda d: WIDGET_VIEW in d)
    raw = (prose_words(lesson) / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL
           + figures * MINUTES_PER_FIGURE + sliders * MINUTES_PER_SLIDER)
    return ROUND_TO * math.ceil(raw / ROUND_TO), {
        "words": prose_words(lesson), "code cells": code, "figures": figures, "sliders": sliders}


def stated_minutes(nb):
    """The N of the first "about N minutes" in the notebook's markdown, or None."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            match = STATED.search(_source(cell))
            if match:
                return int(match.group(1))
    return None


def glosses(nb):
    """{gloss: [(cell index, in lesson?), ...]} for every Hangul parenthesis in markdown."""
    lesson, _ = split_lesson(nb)
    found = {}
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for match in GLOSS.finditer(_source(cell)):
            found.setdefault(match.group(1).strip(), []).append((k, k < len(lesson)))
    return found


def gloss_problems(nb):
    """Sentences naming each gloss used more than once or only outside the lesson."""
    problems = []
    for term, places in glosses(nb).items():
        if len(places) > 1:
            problems.append(f"({term}) is glossed {len(places)} times (cells {[p for p, _ in places]}): once is enough")
        if not places[0][1]:
            problems.append(f"({term}) first appears in the exercises (cell {places[0][0]}): gloss it in the lesson")
    return problems


def main(argv):
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    status = 0
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        minutes, parts = reading_minutes(nb)
        stated = stated_minutes(nb)
        detail = ", ".join(f"{v} {k}" for k, v in parts.items())
        print(f"{path.name}: about {minutes} minutes ({detail}); the notebook says {stated}")
        for problem in gloss_problems(nb):
            print(f"  {problem}")
            status = 1
        if stated != minutes:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
