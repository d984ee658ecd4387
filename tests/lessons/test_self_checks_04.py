"""Notebook 04's self-checks: the right answer passes, the wrong answers students try fail
with a hint.

The checks are run as the notebook defines them: this file executes the notebook's Setup
cell and the code cells of its exercises (everything between the "## Exercises" list and the
"## Solutions" heading), then feeds each check the answers below. A wrong answer must raise
AssertionError whose message names the mistake (checked by a keyword), and that hint must
also appear, quoted, in the Korean edition's exercise text on a line that explains it in
Korean (as in test_self_checks_01_02.py); the reference answer, computed here the way the
solutions compute it, must pass.
"""
import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "04_stochastic_gradient_descent.ipynb"
KOREAN = ROOT / "notebooks" / "ko" / "04_stochastic_gradient_descent.ipynb"
EXERCISE_TEXT = "f89cbf0f"          # the markdown cell with the four exercises
HANGUL = re.compile("[\uac00-\ud7a3]")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture(scope="module")
def nb04():
    """The notebook's namespace after Setup and the unanswered exercise cells, and what they printed."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    setup = [c for c in cells if c["cell_type"] == "code" and "def batch_loss_grad" in _source(c)]
    assert len(setup) == 1, "the Setup cell (defining batch_loss_grad) was not found"
    start = next(k for k, c in enumerate(cells) if c["cell_type"] == "markdown"
                 and _source(c).lstrip().startswith("## Exercises"))
    stop = next(k for k, c in enumerate(cells) if c["cell_type"] == "markdown"
                and _source(c).lstrip().startswith("## Solutions"))
    exercise_code = [c for c in cells[start:stop] if c["cell_type"] == "code"]
    namespace = {"__name__": "nb04"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for cell in setup + exercise_code:
            exec(compile(_source(cell), "notebook-04-cell", "exec"), namespace)
    return namespace, printed.getvalue()


@pytest.fixture(scope="module")
def korean():
    """The Korean edition's text of the exercises, where each hint is quoted and explained."""
    cells = json.loads(KOREAN.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if c["id"] == EXERCISE_TEXT]
    return _source(cell)


def rejects(check, *answer, hint, korean):
    """check(*answer) fails with an AssertionError whose message contains hint and is quoted,
    with a Korean explanation on the same line, in the Korean exercise text."""
    with pytest.raises(AssertionError) as info:
        check(*answer)
    message = str(info.value)
    assert hint in message, f"expected a hint about {hint!r}, got {message!r}"
    lines = [line for line in korean.splitlines() if message in line]
    assert lines, f"the Korean exercise text does not quote the hint {message!r}"
    assert all(HANGUL.search(line.replace(message, "")) for line in lines), (
        f"the Korean exercise text quotes {message!r} without explaining it in Korean")


def test_every_unanswered_exercise_says_so(nb04):
    _, printed = nb04
    for k in (1, 2, 3, 4):
        assert f"exercise {k}: not answered yet" in printed


# ---------------------------------------------------------------- exercise 1


def right_minibatch_gradient(ns):
    def minibatch_gradient(W, m, rng):
        idx = rng.choice(ns["N"], size=m, replace=False)
        return ns["batch_loss_grad"](W, ns["X_train"][idx], ns["y_train"][idx])[1]
    return minibatch_gradient


def test_exercise_1_accepts_the_solution(nb04):
    ns, _ = nb04
    spread, spread_half, miss = ns["check_minibatch_gradient"](right_minibatch_gradient(ns))
    assert 0.9 < spread < 1.1 and 0.9 < spread_half < 1.1 and miss < 2


def test_exercise_1_rejects_the_full_gradient(nb04, korean):
    ns, _ = nb04
    rejects(ns["check_minibatch_gradient"], lambda W, m, rng: ns["loss_grad"](W)[1],
            hint="all your estimates are the same", korean=korean)


def test_exercise_1_rejects_a_fixed_batch(nb04, korean):
    ns, _ = nb04
    X, y = ns["X_train"], ns["y_train"]
    rejects(ns["check_minibatch_gradient"], lambda W, m, rng: ns["batch_loss_grad"](W, X[:m], y[:m])[1],
            hint="all your estimates are the same", korean=korean)


def test_exercise_1_rejects_a_batch_size_that_ignores_m(nb04, korean):
    ns, _ = nb04
    X, y, N = ns["X_train"], ns["y_train"], ns["N"]

    def batch_of_32(W, m, rng):
        idx = rng.choice(N, size=32, replace=False)
        return ns["batch_loss_grad"](W, X[idx], y[idx])[1]

    def batch_of_4(W, m, rng):
        idx = rng.choice(N, size=4, replace=False)
        return ns["batch_loss_grad"](W, X[idx], y[idx])[1]

    rejects(ns["check_minibatch_gradient"], batch_of_32, hint="use exactly m examples", korean=korean)
    rejects(ns["check_minibatch_gradient"], batch_of_4, hint="use exactly m examples", korean=korean)


def test_exercise_1_rejects_drawing_with_replacement(nb04, korean):
    """rng.integers draws some examples twice: at m = 16 the spread is barely larger, at m = 600
    it is about twice the spread of m distinct examples."""
    ns, _ = nb04
    X, y, N = ns["X_train"], ns["y_train"], ns["N"]

    def with_replacement(W, m, rng):
        idx = rng.integers(0, N, size=m)
        return ns["batch_loss_grad"](W, X[idx], y[idx])[1]

    def choice_with_replacement(W, m, rng):
        idx = rng.choice(N, size=m)                 # replace=True is choice's default
        return ns["batch_loss_grad"](W, X[idx], y[idx])[1]

    for answer in (with_replacement, choice_with_replacement):
        rejects(ns["check_minibatch_gradient"], answer, hint="each at most once", korean=korean)


@pytest.mark.parametrize("off_by", [1, -1])
def test_exercise_1_rejects_a_batch_one_example_off(nb04, korean, off_by):
    """m + 1 or m - 1 distinct examples scatter within the noise of 400 draws at m = 16 and
    m = 600; the m = N - 1 check counts the examples exactly."""
    ns, _ = nb04
    X, y, N = ns["X_train"], ns["y_train"], ns["N"]

    def one_off(W, m, rng):
        idx = rng.permutation(N)[:m + off_by]
        return ns["batch_loss_grad"](W, X[idx], y[idx])[1]

    rejects(ns["check_minibatch_gradient"], one_off, hint="leave out exactly one example", korean=korean)


def test_exercise_1_rejects_a_gradient_without_the_l2_term(nb04, korean):
    ns, _ = nb04
    X, y, N = ns["X_train"], ns["y_train"], ns["N"]
    losses = ns["losses"]

    def data_only(W, m, rng):
        idx = rng.choice(N, size=m, replace=False)
        return losses.softmax_loss_grad(W, X[idx], y[idx], reg=0.0)[1]

    rejects(ns["check_minibatch_gradient"], data_only, hint="L2 term", korean=korean)


def test_exercise_1_rejects_a_sum_over_the_batch(nb04, korean):
    ns, _ = nb04
    right = right_minibatch_gradient(ns)
    rejects(ns["check_minibatch_gradient"], lambda W, m, rng: m * right(W, m, rng),
            hint="average over the batch", korean=korean)


def test_exercise_1_rejects_ignoring_the_rng(nb04, korean):
    ns, _ = nb04
    X, y, N = ns["X_train"], ns["y_train"], ns["N"]
    other = np.random.default_rng(123)

    def own_generator(W, m, rng):
        idx = other.choice(N, size=m, replace=False)
        return ns["batch_loss_grad"](W, X[idx], y[idx])[1]

    rejects(ns["check_minibatch_gradient"], own_generator, hint="the rng you are given", korean=korean)


def test_exercise_1_rejects_the_loss_instead_of_the_gradient(nb04, korean):
    ns, _ = nb04
    X, y = ns["X_train"], ns["y_train"]
    rejects(ns["check_minibatch_gradient"],
            lambda W, m, rng: ns["batch_loss_grad"](W, X[:m], y[:m])[0], hint="shaped like W", korean=korean)


# ---------------------------------------------------------------- exercise 2


def test_exercise_2_accepts_the_count(nb04):
    ns, _ = nb04
    ns["check_n_updates"](5 * (ns["N"] // 64))
    ns["check_n_updates"](np.int64(90))


@pytest.mark.parametrize("answer, hint", [
    (5 * 1200 / 64, "whole number"),           # 93.75: a fraction of an update
    (94, "left over"),                         # rounded up: a partial batch
    (95, "left over"),                         # one partial batch per epoch
    (18, "one epoch"),
    (6000, "examples, not updates"),
    (5, "gradient descent"),
    (100, "how many whole batches"),
    ("90", "one number"),
    (True, "one number"),
])
def test_exercise_2_rejects_likely_wrong_counts(nb04, korean, answer, hint):
    ns, _ = nb04
    rejects(ns["check_n_updates"], answer, hint=hint, korean=korean)


# ---------------------------------------------------------------- exercise 3


@pytest.fixture(scope="module")
def tau_runs(nb04):
    ns, _ = nb04
    return ns["runs_by_tau"]()


def test_exercise_3_accepts_the_losses(nb04, tau_runs):
    ns, _ = nb04
    exact = {tau: ns["full_loss"](run.w) for tau, run in tau_runs.items()}
    ns["check_final_losses"](exact)
    ns["check_final_losses"]({tau: round(float(v), 4) for tau, v in exact.items()})


def test_exercise_3_cannot_be_passed_by_a_guess(nb04, korean):
    ns, _ = nb04
    for guess in ({30: 1.0, 600: 2.0}, {30: 2.0, 600: 1.0}, {30: np.log(10), 600: np.log(10)}):
        rejects(ns["check_final_losses"], guess, hint="not quite", korean=korean)


def test_exercise_3_rejects_swapped_losses(nb04, korean, tau_runs):
    ns, _ = nb04
    full = {tau: ns["full_loss"](run.w) for tau, run in tau_runs.items()}
    rejects(ns["check_final_losses"], {30: full[600], 600: full[30]}, hint="swapped", korean=korean)


def test_exercise_3_rejects_the_last_minibatch_loss(nb04, korean, tau_runs):
    ns, _ = nb04
    rejects(ns["check_final_losses"], {tau: run.losses[-1] for tau, run in tau_runs.items()},
            hint="last minibatch", korean=korean)


def test_exercise_3_rejects_the_loss_without_the_penalty(nb04, korean, tau_runs):
    ns, _ = nb04
    losses, X, y = ns["losses"], ns["X_train"], ns["y_train"]
    rejects(ns["check_final_losses"], {tau: losses.softmax_loss(run.w, X, y) for tau, run in tau_runs.items()},
            hint="L2 penalty", korean=korean)


def test_exercise_3_rejects_other_settings(nb04, korean):
    ns, _ = nb04
    sgd, schedules = ns["optimizers"].sgd, ns["schedules"]
    old = {tau: ns["full_loss"](sgd(ns["batch_loss_grad"], ns["W0"], ns["X_train"], ns["y_train"],
                                    lr=schedules.linear_decay(0.3, 0.003, tau), batch_size=32,
                                    n_steps=600, rng=np.random.default_rng(5)).w)
           for tau in (30, 600)}
    rejects(ns["check_final_losses"], old, hint="check lr=schedules.linear_decay", korean=korean)


@pytest.mark.parametrize("answer, hint", [
    (600, "one entry per tau"),
    ({30: 1.6}, "one entry per tau"),
    ({30: "1.59", 600: "1.37"}, "give one number"),
])
def test_exercise_3_rejects_the_wrong_shape_of_answer(nb04, korean, answer, hint):
    ns, _ = nb04
    rejects(ns["check_final_losses"], answer, hint=hint, korean=korean)


# ---------------------------------------------------------------- exercise 4


@pytest.fixture(scope="module")
def lr_table(nb04):
    ns, _ = nb04
    runs = ns["runs_by_lr"]()
    final = {key: ns["full_loss"](run.w) for key, run in runs.items()}
    best = {m: min((0.1, 1.0, 10.0), key=lambda lr: final[m, lr]) for m in (8, 256)}
    return runs, final, best


def test_exercise_4_accepts_the_answer(nb04, lr_table):
    ns, _ = nb04
    _, final, best = lr_table
    ns["check_best_lr"](best, {m: final[m, best[m]] for m in (8, 256)})
    ns["check_best_lr"](best, {m: round(float(final[m, best[m]]), 4) for m in (8, 256)})


def test_exercise_4_rejects_wrong_learning_rates(nb04, korean, lr_table):
    ns, _ = nb04
    _, final, best = lr_table
    lowest = {m: final[m, best[m]] for m in (8, 256)}
    assert best[8] != best[256]
    rejects(ns["check_best_lr"], {8: best[256], 256: best[8]}, lowest, hint="swapped", korean=korean)
    for lr in (0.1, 1.0, 10.0):            # one learning rate for both batch sizes
        rejects(ns["check_best_lr"], {8: lr, 256: lr}, lowest, hint="does not end lowest", korean=korean)
    rejects(ns["check_best_lr"], {8: "0.1", 256: 1.0}, lowest, hint="choose each best_lr", korean=korean)
    rejects(ns["check_best_lr"], {8: 0.1}, lowest, hint="one entry per batch size", korean=korean)


def test_exercise_4_rejects_wrong_losses(nb04, korean, lr_table):
    ns, _ = nb04
    runs, final, best = lr_table
    minibatch = {m: runs[m, best[m]].losses[-1] for m in (8, 256)}
    rejects(ns["check_best_lr"], best, minibatch, hint="last minibatch", korean=korean)
    other_lr = {m: final[m, 10.0] for m in (8, 256)}
    rejects(ns["check_best_lr"], best, other_lr, hint="not the final full training loss", korean=korean)
    rejects(ns["check_best_lr"], best, None, hint="lowest_loss needs one entry", korean=korean)
    rejects(ns["check_best_lr"], best, {8: "1.37", 256: "1.37"}, hint="give one number per batch size",
            korean=korean)
