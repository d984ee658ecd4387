"""The self-checks of notebooks 01 and 02 reject the wrong answers a student would try.

Each exercise's self-check lives in its notebook, beside the exercise, where the student
reads it, and compares the answer with a reference it computes itself. These tests run a
notebook's code cells up to its "## Solutions" heading in one namespace (the lesson, the
exercise cells with their unanswered placeholders and the checks' definitions), then call
each check:

- with the right answer: it prints "correct";
- with each likely wrong answer: it raises AssertionError whose message is a hint naming
  the mistake (checked by a keyword), and the hint also appears, quoted, in the Korean
  edition's text of that exercise on a line that explains it in Korean.
"""
import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
NB01 = "01_random_search.ipynb"
NB02 = "02_follow_the_slope.ipynb"
HANGUL = re.compile("[\uac00-\ud7a3]")


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def run_until_solutions(name):
    """The namespace of notebook `name` after its code cells before "## Solutions"."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    show = plt.show
    plt.show = lambda *args, **kwargs: plt.close("all")
    try:
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown" and _source(cell).startswith("## Solutions"):
                break
            if cell["cell_type"] == "code":
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(_source(cell), f"{name}:{cell['id']}", "exec"), namespace)
    finally:
        plt.show = show
        plt.close("all")
    return namespace


def korean_text(name, cell_id):
    nb = json.loads((ROOT / "notebooks" / "ko" / name).read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if c["id"] == cell_id]
    return _source(cell)


def rejects(check, answer, keyword, korean):
    """check(*answer) must fail with a hint containing keyword, quoted in the Korean text."""
    with pytest.raises(AssertionError) as info:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            check(*answer)
    hint = str(info.value)
    assert "correct" not in out.getvalue()
    assert keyword in hint, f"expected a hint about {keyword!r}, got {hint!r}"
    lines = [line for line in korean.splitlines() if hint in line]
    assert lines, f"the Korean exercise text does not quote the hint {hint!r}"
    assert all(HANGUL.search(line.replace(hint, "")) for line in lines), (
        f"the Korean exercise text quotes {hint!r} without explaining it in Korean")
    return hint


def passes(check, answer):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        check(*answer)
    assert "correct" in out.getvalue()


# ---------------------------------------------------------------- notebook 01


@pytest.fixture(scope="module")
def nb01():
    return run_until_solutions(NB01)


def test_01_checks_start_unanswered(nb01):
    assert nb01["softmax_losses"] is None and nb01["ratio"] is None
    assert nb01["final_loss"] == {} and nb01["best_step"] is None


def test_01_exercise_2(nb01):
    ns = nb01
    check, korean = ns["check_exercise_2"], korean_text(NB01, "eefeda77")
    optimizers, losses = ns["optimizers"], ns["losses"]
    X_train, y_train, X_test, y_test = ns["X_train"], ns["y_train"], ns["X_test"], ns["y_test"]

    def softmax_run(rng_seed=1, scale=0.0001, X=X_train, y=y_train):
        return optimizers.random_search(lambda W: losses.softmax_loss(W, X, y), (10, 65), n_tries=1000,
                                        scale=scale, rng=np.random.default_rng(rng_seed))

    right = softmax_run()
    svm_gap = ns["search"].losses - 9
    softmax_gap = right.losses - np.log(10)
    ratio = (svm_gap @ softmax_gap) / (softmax_gap @ softmax_gap)
    passes(check, (right.losses, ratio))
    passes(check, (list(right.losses), float(ratio)))

    # softmax_losses
    rejects(check, (ns["search"].losses, ratio), "SVM search", korean)
    rejects(check, (right, ratio), ".losses", korean)
    rejects(check, (right.best_so_far, ratio), "best losses so far", korean)
    rejects(check, (int(np.argmin(right.losses)), ratio), "1000 numbers", korean)   # the old answer: 694
    rejects(check, (right.losses[:100], ratio), "1000 numbers", korean)
    for wrong in (softmax_run(rng_seed=2), softmax_run(scale=0.01),
                  softmax_run(X=X_test[:, :], y=y_test)):
        rejects(check, (wrong.losses, ratio), "settings", korean)
    # ratio
    rejects(check, (right.losses, (svm_gap @ softmax_gap) / (svm_gap @ svm_gap)), "other way round", korean)
    rejects(check, (right.losses, ns["search"].losses.mean() / right.losses.mean()), "subtract", korean)
    rejects(check, (right.losses, 10), "least-squares fit", korean)                 # typed in, not computed
    rejects(check, (right.losses, svm_gap.mean() / softmax_gap.mean()), "least-squares fit", korean)
    rejects(check, (right.losses, svm_gap / softmax_gap), "one number", korean)
    rejects(check, (right.losses, "10"), "one number", korean)


def test_01_exercise_3(nb01):
    ns = nb01
    check, korean = ns["check_exercise_3"], korean_text(NB01, "96ddc1a8")
    optimizers, f, W0, step_sizes = ns["optimizers"], ns["svm_on_train"], ns["W0"], ns["step_sizes"]

    def local(step, n_tries=300, rng=None, start=W0):
        rng = np.random.default_rng(4) if rng is None else rng
        return optimizers.random_local_search(f, start, n_tries=n_tries, step_size=step, rng=rng)

    runs = {step: local(step) for step in step_sizes}
    right = {step: run.best_loss for step, run in runs.items()}
    best = min(right, key=right.get)
    assert best == 0.1
    passes(check, (right, best))

    rejects(check, ({step: run.losses[-1] for step, run in runs.items()}, best), "last try", korean)
    thirty = {step: local(step, n_tries=30).best_loss for step in step_sizes}
    rejects(check, (thirty, best), "30 tries", korean)
    pure = {step: optimizers.random_search(f, (10, 65), n_tries=300, scale=step,
                                           rng=np.random.default_rng(4)).best_loss for step in step_sizes}
    rejects(check, (pure, min(pure, key=pure.get)), "random_search", korean)
    shared = np.random.default_rng(4)
    one_rng = {step: local(step, rng=shared).best_loss for step in step_sizes}
    rejects(check, (one_rng, best), "fresh generator", korean)
    from_zero = {step: local(step, start=np.zeros_like(W0)).best_loss for step in step_sizes}
    rejects(check, (from_zero, best), "is not the best loss", korean)
    # a student who redefines W0 (say, by drawing a new one) and runs from it
    other_W0 = np.random.default_rng(11).standard_normal(W0.shape) * 0.0001
    from_other = {step: local(step, start=other_W0).best_loss for step in step_sizes}
    ns["W0"] = other_W0
    try:
        rejects(check, (from_other, min(from_other, key=from_other.get)), "W0 was redefined", korean)
        passes(check, (right, best))                           # the lesson's start still passes
    finally:
        ns["W0"] = W0
    rejects(check, (dict(runs), best), "one number", korean)
    rejects(check, (list(right.values()), best), "dictionary", korean)
    three = {step: loss for step, loss in right.items() if step != 1.0}
    rejects(check, (three, best), "one entry per step size", korean)
    # best_step
    rejects(check, (right, min(right)), "lowest", korean)                  # the smallest key, 0.001
    rejects(check, (right, 0.01), "lowest", korean)                        # the lesson's step size
    rejects(check, (right, min(right.values())), "not a loss", korean)


# ---------------------------------------------------------------- notebook 02


@pytest.fixture(scope="module")
def nb02():
    return run_until_solutions(NB02)


def test_02_checks_start_unanswered(nb02):
    assert nb02["reg_grad"](np.ones((2, 2)), 0.1) is None
    assert nb02["n_forward"] is None and nb02["n_centered"] is None
    assert nb02["fixed_softmax_loss_grad"](nb02["W_test"], nb02["X_train"], nb02["y_train"], 0.1)[1] is None


def test_02_exercise_1(nb02):
    check, korean = nb02["check_exercise_1"], korean_text(NB02, "115ebeb8")
    passes(check, (lambda W, reg: reg * W,))

    def in_place(W, reg):
        W *= reg
        return W

    rejects(check, (in_place,), "in place", korean)
    rejects(check, (lambda W, reg: 2 * reg * W,), "twice too large", korean)    # CS231n's convention
    rejects(check, (lambda W, reg: 0.5 * reg * W,), "half too small", korean)
    rejects(check, (lambda W, reg: W,), "reg is missing", korean)
    rejects(check, (lambda W, reg: 0.1 * W,), "ignores its argument reg", korean)
    rejects(check, (lambda W, reg: reg * W.sum(),), "shape of W", korean)
    rejects(check, (lambda W, reg: reg * W.T,), "shape of W", korean)
    rejects(check, (lambda W, reg: 0.5 * reg * np.sum(W ** 2),), "shape of W", korean)
    rejects(check, (lambda W, reg: "reg * W",), "shape of W", korean)
    rejects(check, (lambda W, reg: 0.5 * reg * W ** 2,), "does not match", korean)
    rejects(check, (lambda W, reg: reg * np.abs(W),), "does not match", korean)


def test_02_exercise_3(nb02):
    check, korean = nb02["check_exercise_3"], korean_text(NB02, "eb06f3d7")
    n = 10 * 3073
    passes(check, (n + 1, 2 * n))
    passes(check, (float(n + 1), np.int64(2 * n)))

    rejects(check, (n, 2 * n), "at W itself", korean)
    rejects(check, (651, 1300), "digits", korean)
    rejects(check, (3074, 6146), "10 x 3073", korean)
    rejects(check, (n + 1, n + 1), "twice per weight", korean)
    rejects(check, (n + 1, n), "twice per weight", korean)
    rejects(check, (n + 1, 2 * n + 1), "never evaluates", korean)
    rejects(check, (2 * n, n + 1), "swapped", korean)
    rejects(check, (n + 1.5, 2 * n), "whole numbers", korean)
    rejects(check, (str(n + 1), 2 * n), "whole numbers", korean)
    rejects(check, (n + 1, 2 * n + 2), "not the number of loss evaluations of one centred", korean)
    rejects(check, (n + 2, 2 * n), "not the number of loss evaluations of one forward", korean)


def test_02_exercise_4(nb02):
    ns = nb02
    check, korean = ns["check_exercise_4"], korean_text(NB02, "508cf1b5")
    buggy = ns["buggy_softmax_loss_grad"]

    def parts(W, X, y):
        N = len(y)
        s = X @ W.T
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        data_loss = -np.mean(np.log(p[np.arange(N), y]))
        G = p.copy()
        G[np.arange(N), y] -= 1
        return data_loss, G.T @ X / N, G.T @ X

    def fixed(W, X, y, reg):
        data_loss, data_grad, _ = parts(W, X, y)
        return data_loss + 0.5 * reg * np.sum(W ** 2), data_grad + reg * W

    passes(check, (fixed,))
    rejects(check, (buggy,), "still the gradient of reg * sum", korean)
    X_train, y_train = ns["X_train"], ns["y_train"]
    rejects(check, (lambda W, X, y, reg: fixed(W, X_train, y_train, reg),),    # the globals, not X, y
            "ignores its arguments X and y", korean)
    rejects(check, (lambda W, X, y, reg: (parts(W, X, y)[0] + reg * np.sum(W ** 2),
                                          parts(W, X, y)[1] + 2 * reg * W),), "loss has changed", korean)
    rejects(check, (lambda W, X, y, reg: (fixed(W, X, y, reg)[0], parts(W, X, y)[1]),), "missing", korean)
    rejects(check, (lambda W, X, y, reg: fixed(W, X, y, reg)[1],), "pair", korean)
    rejects(check, (lambda W, X, y, reg: (fixed(W, X, y, reg)[0], fixed(W, X, y, reg)[1].T),),
            "shape", korean)
    rejects(check, (lambda W, X, y, reg: (fixed(W, X, y, reg)[0], parts(W, X, y)[2] + reg * W),),
            "data part", korean)                                                 # forgot the 1/N
    rejects(check, (lambda W, X, y, reg: (fixed(W, X, y, reg)[0], parts(W, X, y)[1] + 0.1 * W),),
            "ignores its argument reg", korean)                                  # reg hard-coded
    rejects(check, (lambda W, X, y, reg: (fixed(W, X, y, reg)[0], parts(W, X, y)[1] + reg ** 2 * W),),
            "regularization part", korean)
    rejects(check, (lambda W, X, y, reg: (None, fixed(W, X, y, reg)[1]),), "loss has changed", korean)
