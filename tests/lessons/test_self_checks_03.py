"""Notebook 03's exercise self-checks: each rejects the wrong answers a student would try,
with a hint, and accepts the right answer.

The checks are taken from the notebook itself, not copied: the test runs the notebook's
Setup cell, the cell that makes the `W` of "Reading the gradient" (exercise 2 starts from
it), and every code cell between the "## Exercises" and "## Solutions" headings (the
answer stubs and the self-checks, which print "not answered yet"). Then it calls
``check_descent``, ``check_steps``, ``check_lr_edge`` and ``check_shallow_valley`` with
answers of its own. A wrong answer must raise AssertionError whose message names the
mistake (checked by a keyword), and that hint must also appear, quoted, in the Korean
edition's text above the self-check, on a line that explains it in Korean (as in
test_self_checks_01_02.py).
"""
import json
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from optim_helpers import landscapes, optimizers

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "03_gradient_descent.ipynb"
KOREAN = ROOT / "notebooks" / "ko" / "03_gradient_descent.ipynb"
HINT_TEXT = {1: "f1615038", 2: "6e97feeb", 3: "758be4fd", 4: "289d2ec8"}   # markdown above each check
HANGUL = re.compile("[\uac00-\ud7a3]")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def exercise_cells(cells):
    """The code cells between the '## Exercises' and '## Solutions' headings."""
    heading = [k for k, c in enumerate(cells) if c["cell_type"] == "markdown"
               and re.match(r"##\s+(Exercises|Solutions)\b", _source(c))]
    assert len(heading) == 2, "notebook 03 needs one '## Exercises' and one '## Solutions' heading"
    return [c for c in cells[heading[0]:heading[1]] if c["cell_type"] == "code"]


@pytest.fixture(scope="module")
def nb03():
    """The namespace the notebook's self-checks run in (stubs unanswered)."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    setup = [c for c in code if "default_rng(0)" in _source(c)][0]
    gradient_table = [c for c in code if "W = rng.standard_normal" in _source(c)][0]
    namespace = {}
    with matplotlib.rc_context():             # the Setup cell applies ROOM_STYLE
        for cell in [setup, gradient_table] + exercise_cells(cells):
            exec(compile(_source(cell), f"<notebook 03, cell {cell['id']}>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def korean():
    """{exercise: the Korean edition's text above its self-check, where each hint is quoted}."""
    cells = {c["id"]: c for c in json.loads(KOREAN.read_text(encoding="utf-8"))["cells"]}
    return {k: _source(cells[cell_id]) for k, cell_id in HINT_TEXT.items()}


def rejects(check, answer, keyword, korean_text):
    """check(answer) fails with a hint naming the mistake, quoted and explained in Korean."""
    with pytest.raises(AssertionError) as info:
        check(answer)
    hint = str(info.value)
    assert re.search(keyword, hint), f"expected a hint about {keyword!r}, got {hint!r}"
    lines = [line for line in korean_text.splitlines() if hint in line]
    assert lines, f"the Korean text above the self-check does not quote the hint {hint!r}"
    assert all(HANGUL.search(line.replace(hint, "")) for line in lines), (
        f"the Korean text quotes {hint!r} without explaining it in Korean")


def test_the_stubs_print_not_answered(nb03, capsys):
    for cell in exercise_cells(json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]):
        exec(compile(_source(cell), f"<notebook 03, cell {cell['id']}>", "exec"), nb03)
    out = capsys.readouterr().out
    assert [f"exercise {k}: not answered yet" in out for k in (1, 2, 3, 4)] == [True] * 4


# ------------------------------------------------------------------ exercise 1: my_descent

def right_descent(loss_grad_fn, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    recorded = []
    for _ in range(n_steps):
        loss, grad = loss_grad_fn(w)
        recorded.append(loss)
        w = w - lr * grad
    return recorded + [loss_grad_fn(w)[0]]


def without_first(f, w0, lr, n):            # records the loss after each step only
    return right_descent(f, w0, lr, n)[1:]


def without_last(f, w0, lr, n):             # records the loss before each step only
    return right_descent(f, w0, lr, n)[:-1]


def in_place(f, w0, lr, n):                 # updates the caller's array
    recorded = []
    for _ in range(n):
        loss, grad = f(w0)
        recorded.append(loss)
        w0 -= lr * grad
    return recorded + [f(w0)[0]]


def ascent(f, w0, lr, n):                   # + instead of -
    w, recorded = np.array(w0, dtype=float), []
    for _ in range(n):
        loss, grad = f(w)
        recorded.append(loss)
        w = w + lr * grad
    return recorded + [f(w)[0]]


def fixed_lr(f, w0, lr, n):                 # ignores the lr it is given
    return right_descent(f, w0, 0.1, n)


def the_path(f, w0, lr, n):                 # returns the points, not the losses
    return optimizers.gradient_descent(f, np.array(w0, dtype=float), lr, n_steps=n).path


def final_only(f, w0, lr, n):               # one number
    return right_descent(f, w0, lr, n)[-1]


def one_too_many(f, w0, lr, n):
    return right_descent(f, w0, lr, n + 1)


MOUNTAIN_LOSSES = right_descent(landscapes.MOUNTAIN.loss_grad, [2.8, 2.5], 0.316, 20)


def hard_coded(f, w0, lr, n):               # pastes the mountain's answer
    return list(MOUNTAIN_LOSSES)


def returns_none(f, w0, lr, n):
    return None


@pytest.mark.parametrize("wrong, hint", [
    (returns_none, "returned None"),
    (without_first, "loss at w0 is missing"),
    (without_last, "after the last step is missing"),
    (in_place, "changed w0"),
    (ascent, "differ from gradient_descent"),
    (fixed_lr, "differ from gradient_descent"),
    (the_path, "not the points"),
    (final_only, "a flat list"),
    (one_too_many, "n_steps \\+ 1"),
    (hard_coded, "n_steps \\+ 1"),
], ids=lambda x: getattr(x, "__name__", None))
def test_exercise_1_rejects_wrong_loops(nb03, korean, wrong, hint):
    rejects(nb03["check_descent"], wrong, hint, korean[1])


def test_exercise_1_accepts_the_right_loop(nb03):
    nb03["check_descent"](right_descent)


def test_exercise_1_passes_a_students_own_error_through(nb03):
    def broken(f, w0, lr, n):
        raise KeyError("mine")
    with pytest.raises(KeyError, match="mine"):
        nb03["check_descent"](broken)


# ------------------------------------------------------------------ exercise 2: steps_that_help

@pytest.mark.parametrize("wrong, hint", [
    ([0.01, 0.1, 1, 10, 31.6, 100], "raised the loss"),
    ([31.6, 100], "raised the loss"),
    ([0.01, 0.1, 1, 10, 31.6], "raised the loss"),
    ([0.01, 0.1, 1], "is missing"),
    ([10], "is missing"),
    ([], "is missing"),
    ([0.01, 0.1, 1, 10, 30], "not one of the exercise's"),
    (10, "must be a list of step sizes"),
    ("0.01, 0.1", "must be a list of step sizes"),
])
def test_exercise_2_rejects_wrong_lists(nb03, korean, wrong, hint):
    rejects(nb03["check_steps"], wrong, hint, korean[2])


@pytest.mark.parametrize("right", [[0.01, 0.1, 1, 10], (10, 1, 0.1, 0.01), np.array([0.01, 0.1, 1.0, 10.0])])
def test_exercise_2_accepts_the_right_steps(nb03, right):
    nb03["check_steps"](right)


# ------------------------------------------------------------------ exercise 3: lr_edge

def curvatures(w, h=1e-4):
    g = landscapes.MOUNTAIN.grad
    H = np.column_stack([(g(w + h * e) - g(w - h * e)) / (2 * h) for e in np.eye(2)])
    return np.linalg.eigvalsh((H + H.T) / 2)


@pytest.fixture(scope="module")
def shallow():
    lowest = optimizers.gradient_descent(landscapes.MOUNTAIN.loss_grad, np.array([1.41, -0.75]), 0.1,
                                         n_steps=500).w
    small, large = curvatures(lowest)
    return {"L": large, "small": small, "deep": curvatures(np.array(landscapes.MOUNTAIN.minimum)).max()}


@pytest.mark.parametrize("mistake, hint", [
    (lambda s: s["L"], "that is L"),
    (lambda s: 1 / s["L"], "that is 1/L"),
    (lambda s: 2 / s["small"], "smallest curvature"),
    (lambda s: 4 / (s["small"] + s["L"]), "mean curvature"),     # 2 / the mean: 1.6 % high
    (lambda s: 1.08 * 2 / s["L"], "not the shallow valley's edge"),    # over 1 % from every candidate
    (lambda s: 0.985 * 2 / s["L"], "not the shallow valley's edge"),
    (lambda s: 2 / s["deep"], "deep valley's edge"),
    (lambda s: 1.0, "not the shallow valley's edge"),
    (lambda s: 0.5, "not the shallow valley's edge"),
    (lambda s: [0.57], "one number"),
    (lambda s: -2 / s["L"], "positive"),
], ids=["L", "1/L", "smallest", "mean", "8 % high", "1.5 % low", "deep valley", "1.0", "0.5",
        "a list", "negative"])
def test_exercise_3_rejects_wrong_edges(nb03, korean, shallow, mistake, hint):
    rejects(nb03["check_lr_edge"], mistake(shallow), hint, korean[3])


@pytest.mark.parametrize("factor", [1.0, 0.992, 1.006])
def test_exercise_3_accepts_the_edge(nb03, shallow, factor):
    nb03["check_lr_edge"](factor * 2 / shallow["L"])


def test_exercise_3_accepts_the_edge_rounded_to_two_decimals(nb03, shallow):
    nb03["check_lr_edge"](round(2 / shallow["L"], 2))


# ------------------------------------------------------------------ exercise 4: my_start

@pytest.mark.parametrize("wrong, hint", [
    (landscapes.MOUNTAIN.start, "ends in the deep valley"),
    (landscapes.MOUNTAIN.minimum, "ends in the deep valley"),
    ((1.41, -0.75), "at least 1 away"),
    ((2.0, -1.0), "at least 1 away"),
    ((100.0, 100.0), "does not end in the shallow valley"),     # still on its way after 200 steps
    ((1.0, 2.0, 3.0), "one point"),
    ("here", "one point"),
])
def test_exercise_4_rejects_wrong_starts(nb03, korean, wrong, hint):
    rejects(nb03["check_shallow_valley"], wrong, hint, korean[4])


@pytest.mark.parametrize("right", [np.array([2.5, -2.0]), (2.5, -2.0), [1.5, -2.5], (50.0, -50.0)])
def test_exercise_4_accepts_a_start_that_drains_into_the_shallow_valley(nb03, right):
    nb03["check_shallow_valley"](right)
