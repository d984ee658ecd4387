"""Benchmarks of optim_helpers and the notebooks: where a student waits, how long, and against what.

Usage (from the repository root):

    python benchmarks/run.py            # measure, print the README it would write (several minutes)
    python benchmarks/run.py --readme   # ... and write benchmarks/README.md and benchmarks/results.json
    python benchmarks/run.py --quick    # fewer repeats and settings, no notebooks: a smoke run, printed only
    python benchmarks/run.py --from-json benchmarks/results.json --readme   # the README from recorded results

A run records its raw measurements (seconds, bytes, per-move samples) in one dict,
``results``; ``readme_text(results)`` writes the whole README from it: tables, and prose
whose every number is formatted in from those tables (the fixed prose holds no measured
number). So ``--from-json`` reproduces the committed README byte for byte, and
tests/contracts/test_benchmarks_readme.py checks both.

Every speed claim is a ratio of two things measured side by side in the same run (their
repeats interleaved, so a busy neighbour slows both alike), printed with the absolute
medians. Any "best setting" is chosen on the validation set, never on the test set. Not
part of the test suite: nothing here passes or fails.
"""
import argparse
import asyncio
import contextlib
import datetime
import json
import math
import os
import platform
import signal
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "benchmarks" / "README.md"
RESULTS = ROOT / "benchmarks" / "results.json"
from optim_helpers import gradients, losses, optimizers  # noqa: E402
from optim_helpers.data import load_digits  # noqa: E402


# ============================================================================= helpers

def side_by_side(fns, repeats):
    """Median seconds of each function in ``fns`` (name -> f), their runs interleaved."""
    times = {name: [] for name in fns}
    names = list(fns)
    for r in range(repeats):
        for name in rotated(names, r):
            start = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def rotated(items, k):
    """items rotated left by k: round k of an interleaved measurement starts elsewhere."""
    k %= len(items)
    return list(items[k:]) + list(items[:k])


def fmt_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ms(seconds):
    return f"{seconds * 1e3:.0f} ms"


def fmt_ratio(r):
    return f"{r:.2f}x"


def fmt_bytes(n):
    if n < 1e6:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.2f} MB"


def fmt_lr(lr):
    return f"{lr:.3g}"


def percentile(samples, q):
    return float(np.percentile(np.asarray(samples, dtype=float), q))


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ratio_words(r):
    """A ratio of a new time to an old one, in words."""
    if r < 0.67:
        return "cuts"
    if r < 0.9:
        return "trims"
    if r <= 1.1:
        return "leaves about the same"
    return "raises"


# ============================================================================= machine

def machine_facts():
    """(fact, value) pairs: the hardware and software a run measured."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i['internal_api']} {i['version']} ({i.get('architecture')}, {i['num_threads']} threads)"
                for i in threadpool_info() if i["user_api"] == "blas"]
    except ImportError:
        blas = ["threadpoolctl not installed"]
    import matplotlib
    env = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    return [
        ["CPU", f"{cpu}, {os.cpu_count()} cores"],
        ["OS", platform.platform()],
        ["Python", platform.python_version()],
        ["NumPy", np.__version__],
        ["matplotlib", matplotlib.__version__],
        ["BLAS", "; ".join(blas)],
        ["OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE", f"{env['OPENBLAS_CORETYPE']} / {env['OPENBLAS_L2_SIZE']}"],
    ]


# ============================================================================= losses: measure

def problem(n, d, seed=0, n_classes=10):
    rng = np.random.default_rng(seed)
    X = np.hstack([rng.standard_normal((n, d - 1)), np.ones((n, 1))])
    y = rng.integers(0, n_classes, size=n)
    W = rng.standard_normal((n_classes, d)) * 1e-3
    return W, X, y


# The losses' two matrix products, each in every layout an implementation could use:
# scores (N, C) or (C, N), and the weights' gradient from dS held either way.
FORWARD_LAYOUTS = {
    "X @ W.T": lambda W, X, dS_nc, dS_cn: X @ W.T,
    "W @ X.T": lambda W, X, dS_nc, dS_cn: W @ X.T,
}
GRADIENT_LAYOUTS = {
    "dS.T @ X": lambda W, X, dS_nc, dS_cn: dS_nc.T @ X,
    "dS @ X": lambda W, X, dS_nc, dS_cn: dS_cn @ X,
    "(X.T @ dS.T).T": lambda W, X, dS_nc, dS_cn: (X.T @ dS_cn.T).T,
}
OUR_LAYOUTS = ("W @ X.T", "dS @ X")        # what losses.py uses (its speed note)
# The per-example reduction over the classes (log-sum-exp), in either layout of the scores.
REDUCTIONS = {"(C, N) scores, over axis 0": 0, "(N, C) scores, over axis 1": 1}
REG = 0.1                                   # the reg of every loss timing


def logsumexp(S, axis):
    """log sum exp of S along axis, shifted by the max (as the softmax loss computes it)."""
    top = S.max(axis=axis, keepdims=True)
    return np.log(np.exp(S - top).sum(axis=axis)) + top.squeeze(axis)


def measure_losses(digits, repeats):
    """Medians of both losses, every layout of both products and one np.exp, side by side."""
    W_digits = np.random.default_rng(0).standard_normal((10, 65)) * 1e-3
    W_c, X_c, y_c = problem(2000, 3073)
    shapes = [("the digits size", "digits (N 1200, D 65)", digits.X_train, digits.y_train, W_digits, repeats),
              ("the CIFAR-10 shape", "CIFAR-10 shape (N 2000, D 3073), synthetic", X_c, y_c, W_c,
               max(repeats // 20, 15))]
    out = []
    for short, label, X, y, W, reps in shapes:
        dS_nc = np.random.default_rng(1).standard_normal((len(y), W.shape[0]))
        dS_cn = np.ascontiguousarray(dS_nc.T)
        products = {name: (lambda f=f: f(W, X, dS_nc, dS_cn))
                    for name, f in {**FORWARD_LAYOUTS, **GRADIENT_LAYOUTS}.items()}
        scores = {0: dS_cn, 1: dS_nc}
        reductions = {name: (lambda axis=axis: logsumexp(scores[axis], axis)) for name, axis in REDUCTIONS.items()}
        t = side_by_side({
            **products,
            **reductions,
            "exp": lambda: np.exp(dS_cn),
            "svm_loss_grad": lambda: losses.svm_loss_grad(W, X, y, REG),
            "softmax_loss_grad": lambda: losses.softmax_loss_grad(W, X, y, REG),
        }, reps)
        out.append({"short": short, "label": label, "repeats": reps, "seconds": t})
    return out


def measure_naive(digits, repeats):
    """Naive loops against the vectorized loss: the vectorized one timed right after a
    loop, and again right after itself (what a call costs depends on what ran before)."""
    X, y = digits.X_train, digits.y_train
    W = np.random.default_rng(0).standard_normal((10, 65)) * 1e-3
    out = []
    for name in ("svm", "softmax"):
        fast = getattr(losses, f"{name}_loss_grad")
        naive = getattr(losses, f"{name}_loss_naive")
        times = {"naive": [], "after_loop": [], "again": []}
        for _ in range(repeats):
            for key, fn in (("naive", naive), ("after_loop", fast), ("again", fast)):
                start = time.perf_counter()
                fn(W, X, y, REG)
                times[key].append(time.perf_counter() - start)
        out.append({"loss": name, "repeats": repeats,
                    "seconds": {k: statistics.median(v) for k, v in times.items()}})
    return out


def measure_numerical(digits, repeats):
    """numerical_gradient against its own floor: 2 loss evaluations per entry, nothing else."""
    X, y = digits.X_train, digits.y_train
    W = np.random.default_rng(0).standard_normal((10, 65)) * 1e-3

    def f(w):
        return losses.softmax_loss(w, X, y)

    def floor():
        for _ in range(2 * W.size):
            f(W)
    t = side_by_side({"floor": floor, "numerical": lambda: gradients.numerical_gradient(f, W)}, repeats)
    return {"entries": int(W.size), "repeats": repeats, "seconds": t}


# ============================================================================= losses: render

def render_losses(res):
    rows, layout_rows, sentences = [], [], []
    for size in res:
        t = size["seconds"]
        forward = min(FORWARD_LAYOUTS, key=t.get)
        gradient = min(GRADIENT_LAYOUTS, key=t.get)
        floor = t[forward] + t[gradient]
        ratios = {}
        for name in ("svm_loss_grad", "softmax_loss_grad"):
            ratios[name] = t[name] / floor
            rows.append((size["label"], name, fmt_time(t[name]), fmt_time(floor), f"{forward}, {gradient}",
                         fmt_ratio(ratios[name]), "<= 1.3x", fmt_time(t["exp"]),
                         fmt_ratio(t["exp"] / floor), size["repeats"]))
        met = [name for name in ratios if ratios[name] <= 1.3]
        verdict = ("both meet the 1.3x target" if len(met) == 2 else
                   "both miss the 1.3x target" if not met else f"only {met[0]} meets the 1.3x target")
        sentences.append(f"At {size['short']} the losses take "
                         f"{fmt_ratio(ratios['svm_loss_grad'])} (SVM) and "
                         f"{fmt_ratio(ratios['softmax_loss_grad'])} (softmax) of their floor: {verdict}.")
        if min(ratios.values()) < 1:
            sentences.append("A ratio below 1x means the floor's products ran slower at the moments they "
                             "were timed than inside the losses: the machine's other work reached into "
                             "the measurement.")
        ours = OUR_LAYOUTS[1]
        if gradient == ours:
            sentences.append(f"There the gradient layout the losses use, `{ours}`, is the fastest measured.")
        else:
            sentences.append(f"There the fastest gradient layout is `{gradient}` "
                             f"({fmt_time(t[gradient])}); the losses' `{ours}` computes the same product in "
                             f"{fmt_time(t[ours])}.")
    for name in (*FORWARD_LAYOUTS, *GRADIENT_LAYOUTS):
        layout_rows.append((f"`{name}`" + (" (the losses' layout)" if name in OUR_LAYOUTS else ""),
                            *(fmt_time(size["seconds"][name]) for size in res)))
    digits_ratio = max(rows[0][5], rows[1][5], key=lambda s: float(s[:-1]))
    big_ratio = max(rows[2][5], rows[3][5], key=lambda s: float(s[:-1]))
    if float(digits_ratio[:-1]) > float(big_ratio[:-1]):
        sentences.append(
            f"The losses sit further above their floor at the digits size (up to {digits_ratio}) than "
            f"at the CIFAR-10 shape (up to {big_ratio}): with D small the products are small, and the "
            "fixed cost of the other NumPy passes over the scores and of the input checks weighs more. "
            "Getting closer would take fusing those passes in compiled code, which this package avoids "
            "on purpose: students read these functions.")
    else:
        sentences.append(
            f"The losses sit no further above their floor at the digits size (up to {digits_ratio}) than "
            f"at the CIFAR-10 shape (up to {big_ratio}).")
    text = table(["size", "function", "median", "floor: fastest forward + fastest gradient product",
                  "fastest layouts", "ratio", "target", "one np.exp over the N x C scores", "exp / floor",
                  "calls (median over)"], rows)
    text += "\n\n" + " ".join(sentences) + "\n\nEvery layout of the two products, medians of the same run:\n\n"
    text += table(["product", *(size["label"] for size in res)], layout_rows)
    ours, other = REDUCTIONS
    reduction_rows = [(size["label"], fmt_time(size["seconds"][ours]), fmt_time(size["seconds"][other]),
                       fmt_ratio(size["seconds"][other] / size["seconds"][ours])) for size in res]
    text += ("\n\nThe per-example log-sum-exp over the classes (the softmax loss's reduction), in both "
             "layouts of the scores, same run:\n\n"
             + table(["size", f"{ours} (the losses' layout)", other, "ratio"], reduction_rows))
    text += ("\n\nHolding the scores as (C, N) makes that reduction run along contiguous rows: the (N, C) "
             "layout takes " + " and ".join(f"{row[3]} its time at {size['short']}"
                                             for row, size in zip(reduction_rows, res)) + ".")
    return text


def render_naive(res, losses_res=None):
    rows = []
    for r in res:
        t = r["seconds"]
        first = ("-" if losses_res is None else
                 fmt_ratio(t["again"] / losses_res[0]["seconds"][f"{r['loss']}_loss_grad"]))
        rows.append((f"{r['loss']} (digits, N 1200, D 65)", fmt_time(t["naive"]), fmt_time(t["after_loop"]),
                     fmt_time(t["again"]), f"{t['naive'] / t['after_loop']:.0f}x", ">= 30x", r["repeats"], first))
    text = table(["loss + gradient", "naive loops", "vectorized, right after the loops",
                  "vectorized, again right after itself", "speed-up (loops / right after them)", "target",
                  "calls (median over)", "again / first table"], rows)
    speedups = [row[4] for row in rows]
    text += (f"\n\nThe naive loops are {speedups[0]} (SVM) and {speedups[1]} (softmax) slower than the "
             f"vectorized losses called right after them (target 30x).")
    if losses_res is None:
        return text
    # the same functions in two tables: say why their medians differ
    first = losses_res[0]
    names = [f"`{r['loss']}_loss_grad`" for r in res]
    in_first = [first["seconds"][f"{r['loss']}_loss_grad"] for r in res]
    after = [r["seconds"]["after_loop"] for r in res]
    again = [r["seconds"]["again"] for r in res]

    def close(a, b):
        return abs(a / b - 1) <= 0.15
    text += (f" {names[0]} and {names[1]} appear in both tables: here they take {rows[0][2]} and "
             f"{rows[1][2]} right after the loops and {rows[0][3]} and {rows[1][3]} again right after "
             f"themselves; in the first table, where each call follows other short calls (the products, "
             f"np.exp, the other loss), {fmt_time(in_first[0])} and {fmt_time(in_first[1])}, medians over "
             f"{first['repeats']} calls against {res[0]['repeats']} here.")
    if all(a > 1.15 * b for a, b in zip(after, again)):
        text += " What a call costs depends on what ran just before it: right after a loop it is slower."
    text += (f" Called again right after themselves they take {rows[0][7]} and {rows[1][7]} of the first "
             "table's medians: " + ("close to them." if all(close(a, f) for a, f in zip(again, in_first)) else
                                    "not close to them all; the two tables were measured at different moments "
                                    "of a shared machine."))
    return text


def render_numerical(res):
    t = res["seconds"]
    ratio = t["numerical"] / t["floor"]
    text = table(["numerical gradient (softmax, digits)", "entries", "median", "floor: 2 loss calls per entry",
                  "ratio", "target", "calls (median over)"],
                 [("centered differences", res["entries"], fmt_time(t["numerical"]), fmt_time(t["floor"]),
                   f"{ratio:.3f}x", "~1.0x (no overhead beyond the loss calls)", res["repeats"])])
    if ratio >= 1:
        text += (f"\n\nThe numerical gradient of {res['entries']} entries costs {ratio:.3f}x its loss "
                 "evaluations alone: the nudging loop and the check that each loss is one finite number "
                 "are the rest.")
    else:
        text += (f"\n\nThe numerical gradient of {res['entries']} entries took {ratio:.3f}x the time of its "
                 "loss evaluations alone, less than its own floor: the two were interleaved, but on a "
                 "busy machine a difference this small is noise.")
    return text


# ============================================================================= SGD against GD

SGD_TARGET, SGD_REG, SGD_EVAL_EVERY, SGD_MAX_STEPS = 0.95, 1e-3, 5, 200


def _grids():
    from optim_helpers import sliders
    return ([float(x) for x in sliders.lr_grid(0.316, 316)[::2]],     # quarter decades
            [float(x) for x in sliders.lr_grid(1, 100)[::4]],         # half decades
            [16, 64, 256, 1024])


def measure_sgd_vs_gd(digits, rounds, target=SGD_TARGET, reg=SGD_REG):
    """Optimizer wall-clock (History.seconds, evaluation excluded) until the validation
    accuracy first reaches target, for every setting of a grid of each method.

    Every setting of both methods runs once per round, in an order rotated from round to
    round (the contenders interleaved); SGD uses seed r in round r. Each run also records
    the test accuracy of the weights that first reached the target, for the table only:
    the best setting is chosen on validation (readme_text does it).
    """
    from optim_helpers.safe_metrics import accuracy_or_nan
    X, y = digits.X_train, digits.y_train
    W0 = np.zeros((10, 65))
    gd_lrs, sgd_lrs, batches = _grids()

    def val_acc(W):
        return accuracy_or_nan(W, digits.X_val, digits.y_val)

    def test_acc(W):
        return accuracy_or_nan(W, digits.X_test, digits.y_test)

    def gd_run(lr, seed):
        h = optimizers.gradient_descent(lambda W: losses.softmax_loss_grad(W, X, y, reg), W0, lr,
                                        n_steps=SGD_MAX_STEPS)
        k = next((k for k, W in enumerate(h.path) if val_acc(W) >= target), None)
        return None if k is None else [float(h.seconds[k]), k, k * len(y), test_acc(h.path[k])]

    def sgd_run(lr, batch, seed):
        h = optimizers.sgd(lambda W, Xb, yb: losses.softmax_loss_grad(W, Xb, yb, reg), W0, X, y, lr,
                           batch, n_steps=SGD_MAX_STEPS, rng=np.random.default_rng(seed), eval_fn=val_acc,
                           eval_every=SGD_EVAL_EVERY)
        hits = np.nonzero(h.eval_losses >= target)[0]
        if not len(hits):
            return None
        step = int(h.eval_steps[hits[0]])
        W = h.path[step] if step < len(h.path) else h.w
        return [float(h.seconds[step - 1]) if step else 0.0, step, step * batch, test_acc(W)]

    settings = [{"method": "gd", "lr": lr, "batch": None} for lr in gd_lrs]
    settings += [{"method": "sgd", "lr": lr, "batch": b} for lr in sgd_lrs for b in batches]
    for s in settings:
        s["runs"] = []
    for r in range(rounds):
        for s in rotated(settings, r):
            run = gd_run if s["method"] == "gd" else (lambda lr, seed, b=s["batch"]: sgd_run(lr, b, seed))
            s["runs"].append(run(s["lr"], r))
    return {"target": target, "reg": reg, "rounds": rounds, "eval_every": SGD_EVAL_EVERY, "n_train": len(y),
            "max_steps": SGD_MAX_STEPS,
            "grids": {"gd_lr": gd_lrs, "sgd_lr": sgd_lrs, "sgd_batch": batches}, "settings": settings}


def best_on_validation(res, method):
    """The setting of a method that reached the validation target soonest (median optimizer
    seconds over the rounds), among those that reached it in every round; or None."""
    done = [s for s in res["settings"] if s["method"] == method and all(run is not None for run in s["runs"])]
    if not done:
        return None
    return min(done, key=lambda s: statistics.median(run[0] for run in s["runs"]))


def render_sgd_vs_gd(res):
    target = f"{res['target']:.0%}"
    grids = res["grids"]
    rows, found = [], {}
    problem = f"softmax, reg {res['reg']:g}, W starts at 0, at most {res['max_steps']} steps"

    def where(value, grid):
        return "at the edge of its grid" if value in (grid[0], grid[-1]) else "inside its grid"

    for method, label in (("gd", "full-batch gradient descent"), ("sgd", "minibatch SGD")):
        best = best_on_validation(res, method)
        n_settings = sum(s["method"] == method for s in res["settings"])
        every = "1 step" if method == "gd" else f"{res['eval_every']} steps"
        if best is None:
            rows.append((label, f"none of {n_settings} reached it", "never reached", "-", "-", "-", every,
                         problem, res["rounds"]))
            continue
        runs = best["runs"]
        sec = statistics.median(run[0] for run in runs)
        steps = statistics.median_low(run[1] for run in runs)
        examples = statistics.median_low(run[2] for run in runs)
        test = statistics.median(run[3] for run in runs)
        lr_grid = grids["gd_lr" if method == "gd" else "sgd_lr"]
        setting = (f"lr {fmt_lr(best['lr'])} ({where(best['lr'], lr_grid)}: {fmt_lr(lr_grid[0])} .. "
                   f"{fmt_lr(lr_grid[-1])})")
        if method == "sgd":
            setting += (f", batch {best['batch']} ({where(best['batch'], grids['sgd_batch'])}: "
                        f"{grids['sgd_batch'][0]} .. {grids['sgd_batch'][-1]})")
        found[method] = (sec, examples)
        rows.append((label, f"{setting}, best of {n_settings} settings", fmt_time(sec), steps, f"{examples:,}",
                     f"{test:.3f}", every, problem, res["rounds"]))
    if len(found) == 2:
        rows.append(("gradient descent / SGD", "", fmt_ratio(found["gd"][0] / found["sgd"][0]), "",
                     fmt_ratio(found["gd"][1] / found["sgd"][1]), "", "", "", ""))
    text = table(["method", "best setting (chosen on validation accuracy)",
                  f"wall-clock to {target} validation accuracy", "steps", "examples seen",
                  "test accuracy of those weights", "accuracy checked every", "problem",
                  "rounds (median over)"], rows) + "\n\n"
    if len(found) == 2:
        time_ratio, example_ratio = rows[-1][2], rows[-1][4]
        faster = found["gd"][0] >= found["sgd"][0]
        fewer = found["gd"][1] >= found["sgd"][1]
        text += (f"At the settings chosen on validation, gradient descent takes {time_ratio} SGD's optimizer "
                 f"time to reach {target} validation accuracy (SGD is {'faster' if faster else 'slower'}) "
                 f"and sees {example_ratio} as many training examples (SGD needs "
                 f"{'fewer' if fewer else 'more'}). ")
    else:
        text += f"Not both methods reached {target} validation accuracy in every round, so no ratio. "
    text += ("Medians over interleaved rounds (SGD: one seed per round); optimizer time only, the "
             "accuracy checks excluded. The test accuracy column is read after the choice and never used "
             "to make it.")
    return text


# ============================================================================= sliders: measure
# A student's kernel runs with the default BLAS threads (no OPENBLAS_NUM_THREADS), often on a
# laptop that is busy with something else. So every slider move is timed quiet and with one
# core kept busy by a process this benchmark starts (a Python loop, pinned to no core), paused
# with SIGSTOP for the quiet moves and resumed with SIGCONT for the loaded ones, and killed at
# the end whatever happens. For three sliders the same sweep also times, under load, the
# panel with the speed levers undone in turn: the levers table's last row is the slider
# table's p95 under load, the same moves.

SLIDER_TARGETS_MS = {"landscape": 100, "classifier": 150, "sgd": 150}   # p95 under load
KIND_NAMES = {"landscape": "landscape", "classifier": "classifier", "sgd": "SGD"}


@contextlib.contextmanager
def busy_core():
    """Keep one core busy for the block; yields switch(on) to resume (True) or pause it."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    state = {"on": True}

    def switch(on):
        if on != state["on"]:
            proc.send_signal(signal.SIGCONT if on else signal.SIGSTOP)
            state["on"] = on
            time.sleep(0.02)                      # let the scheduler see the change

    try:
        switch(False)
        yield switch
    finally:
        proc.kill()
        proc.wait()


def _move(panel, name, value):
    """Seconds for one move: run + draw + PNG + readout, as a notebook's slider makes it."""
    start = time.perf_counter()
    panel.sliders[name].value = value
    return time.perf_counter() - start


def _slider_cases(digits):
    """(label, kind, make_panel, control name, positions, levers?) for each slider of 03 and 04."""
    from optim_helpers import sliders, widgets
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    reg = 0.05                                           # as notebooks 03 and 04
    landscape_lrs = [float(v) for v in sliders.lr_grid(1e-3, 31.6)]
    classifier_lrs = [float(v) for v in sliders.lr_grid(1e-3, 100)]
    cases = []
    for name in ("mountain", "bowl", "ravine"):
        cases.append((f"landscape lr ({name}, 50 steps)", "landscape",
                      lambda name=name: widgets.lr_slider_landscape(name, lr=0.1, lr_min=1e-3, lr_max=31.6,
                                                                    n_steps=50),
                      "lr", landscape_lrs, name == "mountain"))
    cases.append(("classifier lr (digits, 60 full-batch steps)", "classifier",
                  lambda: widgets.lr_slider_classifier(X, y, Xv, yv, reg=reg, lr=1.0, lr_min=1e-3,
                                                       lr_max=100.0, n_steps=60), "lr", classifier_lrs, True))

    def sgd_panel():
        return widgets.sgd_sliders(X, y, Xv, yv, reg=reg, lr=0.316, batch_size=32, lr_min=1e-3,
                                   lr_max=100.0, n_steps=100, eval_every=10, rng=np.random.default_rng(0))
    cases.append(("SGD lr (digits, 100 steps, batch 32)", "sgd", sgd_panel, "lr", classifier_lrs, True))
    cases.append(("SGD batch size (lr 0.316, every size)", "sgd", sgd_panel, "batch_size",
                  list(sliders.BATCH_SIZES), False))
    return cases


def _per_step_metrics(path, X, y, reg):
    """The old way: every W of the path scored on its own (one product per W and metric)."""
    from optim_helpers.safe_metrics import accuracy_or_nan, softmax_loss_or_inf
    return (np.array([softmax_loss_or_inf(W, X, y, reg) for W in path]),
            np.array([accuracy_or_nan(W, X, y) for W in path]))


def _full_redraw(renderer, compress_level=None):
    """The old way: draw the whole figure for every frame."""
    from optim_helpers import frames
    renderer.fig.canvas.draw()
    return frames.rgba_png(renderer.fig.canvas.buffer_rgba(), compress_level)


def _pil_png(rgba, compress_level=None):
    """The old way: PIL's PNG encoder (it tries every row filter on every row), zlib level 3."""
    import io

    import PIL.Image
    buffer = io.BytesIO()
    PIL.Image.fromarray(np.asarray(rgba)[..., :3]).save(buffer, format="png", compress_level=3)
    return buffer.getvalue()


LEVERS = ("one BLAS thread per run (threadpoolctl)",
          "whole path scored with 2 matrix products",
          "static background drawn once (blitting)",
          "PNG rows unfiltered, zlib level 1 (was PIL, level 3)")


def _lever_patches():
    """A patch that undoes each lever of LEVERS, in that order."""
    from unittest import mock

    from optim_helpers import frames, sliders
    return [
        mock.patch.object(sliders, "threadpool_limits", lambda **kw: contextlib.nullcontext()),
        mock.patch.multiple(sliders, softmax_path_metrics=_per_step_metrics,
                            path_accuracies=lambda P, X, y: _per_step_metrics(P, X, y, 0.0)[1]),
        mock.patch.object(frames.BlitRenderer, "png", _full_redraw),
        mock.patch.object(frames, "rgba_png", _pil_png),
    ]


def _back_to_shown(make_panel, name, positions):
    """Seconds of each move back to a setting the panel has already shown (its SettingCache)."""
    panel = make_panel()
    shown = positions[:6]
    for value in shown:
        panel.sliders[name].value = value
    return [_move(panel, name, v) for v in shown[-2::-1] + shown[1:]]


def measure_sliders(digits, quick=False):
    """Every slider swept over its positions, each move timed quiet and under load (and, for
    three sliders, under load with none, one, two, three of the four levers), interleaved."""
    import matplotlib
    matplotlib.use("Agg")
    from optim_helpers.sliders import SettingCache
    patches = _lever_patches()
    cases, frame = [], {}
    with busy_core() as switch:
        for label, kind, make_panel, name, positions, with_levers in _slider_cases(digits):
            variants = ["quiet", "load"] + ([f"levers {r}" for r in range(len(LEVERS))] if with_levers else [])
            panels = {}
            for variant in variants:
                panels[variant] = make_panel()
                panels[variant].frames = SettingCache(0)  # every move timed is a first visit
            start_value = panels["quiet"].sliders[name].value
            moves = [v for v in positions if v != start_value][::3 if quick else 1]
            times = {variant: [] for variant in variants}
            for k, value in enumerate(moves):
                for variant in rotated(variants, k):
                    switch(variant != "quiet")
                    with contextlib.ExitStack() as stack:
                        if variant.startswith("levers"):     # "levers r": the first r levers on
                            for patch in patches[int(variant.split()[1]):]:
                                stack.enter_context(patch)
                        times[variant].append(_move(panels[variant], name, value))
            switch(False)
            png = panels["quiet"].image.value
            frame = dict(zip(("width", "height"), struct.unpack(">II", png[16:24])))
            cases.append({"label": label, "kind": kind, "control": name, "moves": moves, "seconds": times,
                          "back": _back_to_shown(make_panel, name, moves)})
    return {"cases": cases, "levers": list(LEVERS), "targets_ms": SLIDER_TARGETS_MS, "frame": frame}


# ============================================================================= sliders: render

def slider_stats(case):
    s = case["seconds"]
    return {v: (percentile(s[v], 50), percentile(s[v], 95)) for v in s}


def render_sliders(res):
    rows = []
    targets = res["targets_ms"]
    for case in res["cases"]:
        p = slider_stats(case)
        target = targets[case["kind"]]
        rows.append((case["label"], len(case["moves"]), fmt_ms(p["quiet"][0]), fmt_ms(p["quiet"][1]),
                     fmt_ms(p["load"][0]), fmt_ms(p["load"][1]), f"<= {target} ms",
                     "met" if p["load"][1] * 1e3 <= target else "MISSED",
                     fmt_time(statistics.median(case["back"]))))
    frame = res["frame"]
    text = table(["slider (run + draw + PNG + readout)", "moves", "p50 quiet", "p95 quiet", "p50 load",
                  "p95 load", "target (p95 under load)", "", "back to a setting shown (p50 quiet)"], rows)
    missed = [row[0] for row in rows if row[7] == "MISSED"]
    text += "\n\n" + ("Every slider meets its target under load." if not missed else
                      "Under load these sliders miss their target: " + "; ".join(missed) + ".")
    by_kind = {}
    for case, row in zip(res["cases"], rows):
        by_kind.setdefault(case["kind"], []).append(row)
    text += " The p95 under load is at most " + ", ".join(
        f"{max((r[5] for r in rs), key=lambda c: float(c.split()[0]))} for the {KIND_NAMES[kind]} slider"
        + ("s" if len(rs) > 1 else "") + f" (target {targets[kind]} ms)"
        for kind, rs in by_kind.items()) + "."
    rise = max(zip(res["cases"], rows), key=lambda cr: slider_stats(cr[0])["load"][1] - slider_stats(cr[0])["quiet"][1])
    text += (f" The largest rise of the p95 from quiet to load is for {rise[1][0]}: {rise[1][3]} to "
             f"{rise[1][5]}.")
    text += (f" Frames are {frame['width']} x {frame['height']} px; a move back to a "
             "setting already shown reruns nothing and draws nothing (the last column).")

    # the levers, from the same sweep
    lever_cases = [c for c in res["cases"] if "levers 0" in c["seconds"]]
    n = len(res["levers"])
    p95 = {(i, c["label"]): percentile(c["seconds"][f"levers {i}"] if i < n else c["seconds"]["load"], 95)
           for i in range(n + 1) for c in lever_cases}
    lever_rows = []
    for i in range(n + 1):
        cells = []
        for c in lever_cases:
            cells.append(fmt_ms(p95[i, c["label"]]))
            cells.append("-" if i == 0 else fmt_ratio(p95[i, c["label"]] / p95[i - 1, c["label"]]))
        label = "none of the levers" if i == 0 else f"+ {res['levers'][i - 1]}"
        lever_rows.append((label + (" (as shipped)" if i == n else ""), *cells))
    lever_rows.append(("all levers against none", *(cell for c in lever_cases for cell in
                                                    ("", fmt_ratio(p95[n, c["label"]] / p95[0, c["label"]])))))
    short = {c["label"]: c["label"].split(" (")[0] for c in lever_cases}
    header = ["levers on (each row keeps the rows above)"]
    for c in lever_cases:
        header += [f"{short[c['label']]}: p95 load", "against the row above"]
    text += ("\n\nThe speed levers, undone in turn on three of the sliders in the same sweep (under load, "
             "their moves interleaved with the rows above):\n\n" + table(header, lever_rows))
    shipped = ", ".join(fmt_ms(p95[n, c["label"]]) for c in lever_cases)
    text += (f"\n\nThe last lever row is the shipped code: its p95 ({shipped}) is the slider table's p95 "
             "under load for the same sliders, the same moves.")
    return text, lever_rows, [short[c["label"]] for c in lever_cases]


# ============================================================================= PNG encoders

ENCODERS = ("rgba_png, zlib level 1 (shipped)", "rgba_png, zlib level 9", "PIL, zlib level 3 (before)")


def _slider_figures(digits):
    """(label, figure, a typical run) for each slider, as notebooks 03 and 04 make them."""
    from optim_helpers import slider_figures, sliders
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    c_setup = sliders.classifier_setup(X, y, Xv, yv, reg=0.05, n_steps=60)
    s_setup = sliders.sgd_setup(X, y, Xv, yv, reg=0.05, n_steps=100, eval_every=10,
                                rng=np.random.default_rng(0))
    return [("landscape (mountain)", slider_figures.LandscapeFigure("mountain", 50),
             sliders.landscape_run("mountain", 0.1)),
            ("classifier", slider_figures.ClassifierFigure(c_setup), sliders.classifier_run(c_setup, 1.0)),
            ("SGD", slider_figures.SGDFigure(s_setup), sliders.sgd_run(s_setup, 0.316, 32))]


def measure_png(digits, repeats):
    """Each encoder on the same frame of each slider, side by side: median seconds and bytes."""
    from optim_helpers import frames
    out = []
    for label, figure, run in _slider_figures(digits):
        figure.draw(run).png()
        rgba = np.asarray(figure.fig.canvas.buffer_rgba()).copy()
        encoders = dict(zip(ENCODERS, (lambda: frames.rgba_png(rgba, 1), lambda: frames.rgba_png(rgba, 9),
                                       lambda: _pil_png(rgba))))
        t = side_by_side(encoders, repeats)
        out.append({"slider": label, "repeats": repeats,
                    "encoders": {name: {"seconds": t[name], "bytes": len(encoders[name]())} for name in ENCODERS}})
    return out


def render_png(res):
    rows = []
    for r in res:
        ref = r["encoders"][ENCODERS[0]]
        for name in ENCODERS:
            e = r["encoders"][name]
            rows.append((r["slider"], name, fmt_time(e["seconds"]), fmt_ratio(e["seconds"] / ref["seconds"]),
                         fmt_bytes(e["bytes"]), fmt_ratio(e["bytes"] / ref["bytes"]), r["repeats"]))
    text = table(["frame", "encoder", "median", "time against shipped", "bytes", "bytes against shipped",
                  "calls (median over)"], rows)
    slow = [row for row in rows if row[1] == ENCODERS[2]]
    small = [row for row in rows if row[1] == ENCODERS[1]]
    text += ("\n\nOn the same frames, PIL's encoder takes " + ", ".join(row[3] for row in slow)
             + " the shipped encoder's time and writes " + ", ".join(row[5] for row in slow)
             + " its bytes; zlib level 9 writes " + ", ".join(row[5] for row in small) + " of the bytes in "
             + ", ".join(row[3] for row in small) + " of the time ("
             + ", ".join(r["slider"] for r in res) + "). These are the encoder alone on one frame, quiet; the "
             "levers table's PNG row is a whole move's p95 under load.")
    return text


# ============================================================================= every setting ahead of time

def measure_precompute(digits, quick=False):
    """Every setting of each slider's grid computed ahead of time: the runs alone against
    run + draw + PNG + readout, setting by setting interleaved (each side with its own
    setup, so neither reuses the other's cached gradient-descent runs); bytes per PNG."""
    import matplotlib
    matplotlib.use("Agg")
    from optim_helpers import slider_figures, sliders
    from optim_helpers.landscapes import LANDSCAPES
    from optim_helpers.readout import format_readout
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    thin = 4 if quick else 1
    land_lrs = [float(v) for v in sliders.lr_grid(1e-3, 31.6)][::thin]
    lrs = [float(v) for v in sliders.lr_grid(1e-3, 100)][::thin]
    batches = list(sliders.BATCH_SIZES)[::3 if quick else 1]

    def classifier_pair():
        return [sliders.classifier_setup(X, y, Xv, yv, reg=0.05, n_steps=60) for _ in range(2)]

    def sgd_pair():
        pair = [sliders.sgd_setup(X, y, Xv, yv, reg=0.05, n_steps=100, eval_every=10,
                                  rng=np.random.default_rng(0)) for _ in range(2)]
        sliders.gd_run(pair[0], 1.0)          # what SGDFigure(pair[1]) runs when it is made
        return pair

    c_run, c_frame = classifier_pair()
    s_run, s_frame = sgd_pair()
    land_figs = {name: slider_figures.LandscapeFigure(name, 50) for name in LANDSCAPES}
    c_fig, s_fig = slider_figures.ClassifierFigure(c_frame), slider_figures.SGDFigure(s_frame)

    def landscape_frame(s):
        run = sliders.landscape_run(s[0], s[1], 50)
        return run, land_figs[s[0]].draw(run)

    def classifier_frame(lr):
        run = sliders.classifier_run(c_frame, lr)
        return run, c_fig.draw(run)

    def sgd_frame(s):
        run = sliders.sgd_run(s_frame, *s)
        return run, s_fig.draw(run)

    subjects = [
        ("landscape", f"{len(LANDSCAPES)} landscapes x {len(land_lrs)} lr",
         [(name, lr) for name in LANDSCAPES for lr in land_lrs],
         lambda s: sliders.landscape_run(s[0], s[1], 50), landscape_frame),
        ("classifier", f"{len(lrs)} lr", lrs, lambda lr: sliders.classifier_run(c_run, lr), classifier_frame),
        ("SGD", f"{len(lrs)} lr x {len(batches)} batch sizes", [(lr, b) for lr in lrs for b in batches],
         lambda s: sliders.sgd_run(s_run, *s), sgd_frame),
    ]
    out = []
    for label, grid, settings, run_only, frame_of in subjects:
        run_s, frame_s, sizes = [], [], []
        for k, setting in enumerate(settings):
            for which in rotated(["run", "frame"], k):
                start = time.perf_counter()
                if which == "run":
                    run_only(setting)
                    run_s.append(time.perf_counter() - start)
                else:
                    run, figure = frame_of(setting)
                    png = figure.png()
                    format_readout(run)
                    frame_s.append(time.perf_counter() - start)
                    sizes.append(len(png))
        out.append({"slider": label, "grid": grid, "run_seconds": run_s, "frame_seconds": frame_s,
                    "png_bytes": sizes})
    return out


def render_precompute(res, sliders_res=None):
    rows = []
    for r in res:
        run_total, frame_total = sum(r["run_seconds"]), sum(r["frame_seconds"])
        total = sum(r["png_bytes"])
        rows.append((r["slider"], f"{len(r['png_bytes'])} ({r['grid']})", fmt_time(run_total),
                     fmt_time(frame_total), fmt_ratio(frame_total / run_total),
                     fmt_ms(statistics.median(r["frame_seconds"])), fmt_bytes(total),
                     fmt_bytes(statistics.median(r["png_bytes"])), fmt_bytes(max(r["png_bytes"])),
                     fmt_bytes(sum(4 * math.ceil(b / 3) for b in r["png_bytes"]))))
    text = table(["slider", "settings", "runs only (total)", "runs + draw + PNG + readout (total)", "ratio",
                  "one frame (p50)", "PNG bytes (total)", "per frame (p50)", "per frame (max)",
                  "as base64 (total)"], rows)
    text += ("\n\nQuiet, the grids the sliders move on. "
             + " ".join(f"Every setting of the {row[0]} slider takes {row[2]} to compute and {row[3]} to "
                        f"compute, draw and encode ({row[4]}); its frames weigh {row[6]}."
                        for row in rows))
    if sliders_res:
        quiet_p50 = {}
        for case in sliders_res["cases"]:
            kind = KIND_NAMES[case["kind"]]
            quiet_p50.setdefault(kind, []).append(fmt_ms(slider_stats(case)["quiet"][0]))
        text += (" A frame computed here is not a slider move: it calls the run function and the figure "
                 "directly, quiet, without the widget (a slider move also sets the panel's image and "
                 "readout); the landscape row covers every landscape; and in the SGD row every batch size "
                 "but the first reuses its learning rate's gradient-descent run, as a move of the "
                 "batch-size slider does, while every move of the learning-rate slider makes a new one. "
                 "So its one-frame p50 ("
                 + ", ".join(f"{row[5]} {row[0]}" for row in rows)
                 + ") is a neighbour of the slider table's p50 quiet ("
                 + "; ".join(f"{', '.join(v)} {kind}" for kind, v in quiet_p50.items())
                 + "), not the same measurement.")
    return text


# ============================================================================= notebooks

async def _execute(nb, path):
    from nbclient import NotebookClient
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    await client.async_execute()
    return time.perf_counter() - start


def _cell_seconds(cell):
    ex = cell.get("metadata", {}).get("execution", {})
    try:
        a = datetime.datetime.fromisoformat(ex["iopub.execute_input"].replace("Z", "+00:00"))
        b = datetime.datetime.fromisoformat(ex["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (b - a).total_seconds()


def measure_notebooks():
    """Each notebook's headless Run-All and a bare kernel's start and stop, alternating (2 rounds)."""
    import nbformat
    os.environ.update(MPLBACKEND="module://matplotlib_inline.backend_inline", PYTHONHASHSEED="0")
    out = []
    bare_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        bares, totals = [], []
        try:
            for _ in range(2):
                bares.append(asyncio.run(_execute(nbformat.from_dict(bare_nb), path)))
                nb = nbformat.read(path, as_version=4)
                totals.append(asyncio.run(_execute(nb, path)))
        except Exception as err:           # a notebook that fails is a result, not the end of the run
            out.append({"notebook": path.name, "error": type(err).__name__})
            continue
        cells = sorted(((_cell_seconds(c), i) for i, c in enumerate(nb.cells) if c.cell_type == "code"),
                       reverse=True)[:3]
        out.append({"notebook": path.name, "run_all": totals, "bare": bares,
                    "slowest": [[i, s] for s, i in cells]})
    return out


def render_notebooks(res):
    if not res:
        return "No notebooks in notebooks/ yet."
    rows, timed, slow = [], [], []
    for r in res:
        if "error" in r:               # it stopped with an error: no time to show
            rows.append((r["notebook"], "-", "-", "-", f"failed ({r['error']})"))
            continue
        total, bare = statistics.median(r["run_all"]), statistics.median(r["bare"])
        rows.append((r["notebook"], f"{total:.1f} s", f"{bare:.1f} s", f"{total - bare:.1f} s",
                     "met" if total <= 15 else "MISSED"))
        timed.append(rows[-1])
        slow.append((r["notebook"], ", ".join(f"cell {i}: {s:.1f} s" for i, s in r["slowest"])))
    text = table(["notebook", "Run-All (fresh kernel, headless; median of 2)",
                  "bare kernel start + stop (median of 2)", "cells alone", "target <= 15 s"], rows)
    failed = [row[0] for row in rows if row[4].startswith("failed")]
    if failed:
        text += "\n\nThese notebooks stopped with an error during the run and are not timed: " + ", ".join(failed) + "."
    if timed:
        by_total = sorted(timed, key=lambda row: float(row[1].split()[0]))
        by_bare = sorted(timed, key=lambda row: float(row[2].split()[0]))
        missed = [row[0] for row in timed if row[4] == "MISSED"]
        text += (f"\n\nThe notebooks timed run headless in {by_total[0][1]} to {by_total[-1][1]} each, of which "
                 f"a bare kernel's start and stop take {by_bare[0][2]} to {by_bare[-1][2]}; "
                 + ("each meets the 15 s target." if not missed else
                    "missing the 15 s target: " + ", ".join(missed) + ".")
                 + "\n\n" + table(["notebook", "slowest code cells (execute_input to execute_reply)"], slow))
    return text


# ============================================================================= the README

INTRO = """# Benchmarks

Where a student waits, how long, and against what. One command, from the repository root:

```bash
python benchmarks/run.py --readme     # measures, then rewrites this file and results.json
python benchmarks/run.py --quick      # a smoke run: fewer repeats and settings, no notebooks; printed only
python benchmarks/run.py --only sliders   # one section, printed only
python benchmarks/run.py --from-json benchmarks/results.json --readme   # this file from the recorded results
```

This file is generated, every word of it: `--readme` writes it from the run's raw
measurements, which it keeps beside it in `results.json`, and fixed prose that holds no
measured number; every number in a sentence is taken from the tables of the same run. Do
not edit it by hand: `tests/contracts/test_benchmarks_readme.py` checks that it is exactly
what `--from-json benchmarks/results.json --readme` writes.

Every speed claim is a ratio of two things measured side by side in the same run (their
repeats interleaved, so a busy machine slows both alike), printed with the absolute
medians. Any best setting is chosen on the validation set; the test set is only read
afterwards. The benchmarks are not part of the test suite: nothing here passes or fails."""

MEASURED = """## What is measured

- **loss + gradient** (`svm_loss_grad`, `softmax_loss_grad`) against the floor of the two
  matrix products any implementation needs, the scores and the weights' gradient, each
  timed in every layout (`X @ W.T` or `W @ X.T`; `dS.T @ X`, `dS @ X` or `(X.T @ dS.T).T`)
  and taken at its fastest, so the floor is never a layout the losses avoid; at the digits
  size and at a synthetic CIFAR-10 shape;
- **vectorized against the naive loops** (`*_loss_naive`) at the digits size, the
  vectorized loss timed right after each loop and again right after itself;
- **`numerical_gradient`** against its own floor: the two loss evaluations per entry, alone;
- **SGD against full-batch gradient descent**: optimizer wall-clock until the validation
  accuracy first reaches the target, each method at its best setting from a grid (every
  setting of both methods runs once per round, the rounds interleaved), chosen on
  validation; the test accuracy of the weights that reached the target is shown beside it;
- **each slider**: one move = the run, the drawing, the PNG and the readout, exactly what
  the notebooks' `SliderPanel` does when a control moves (`optim_helpers.widgets`), p50 and
  p95 over a sweep of every position of the control (each a first visit: the panel's frame
  cache is off for the sweep). Every move is made quiet and under load, the two
  interleaved: "load" is one core kept busy by a process the benchmark starts (a Python
  loop, pinned to no core; paused with SIGSTOP for the quiet moves, killed at the end),
  with the default BLAS threads, as in a student's kernel on a laptop busy with a video
  call. On three sliders the same sweep also makes each move with the speed levers undone
  in turn, under load: the levers table is part of the slider measurement, not a second one;
- **PNG encoders** on the same frame of each slider: time and bytes;
- **every setting ahead of time**: each slider's whole grid (`sliders.lr_grid`, and
  `sliders.BATCH_SIZES` for SGD) computed by the pure run functions of `optim_helpers.sliders`
  alone, against run + draw + PNG + readout with `optim_helpers.slider_figures`, setting by
  setting interleaved, quiet; and the bytes of every PNG;
- **each notebook**: headless Run-All in a fresh kernel (nbclient), against starting and
  stopping a bare kernel."""

LEVER_NOTES = (
    "**One BLAS thread per run** (`sliders.one_blas_thread`, threadpoolctl's `threadpool_limits`, "
    "around the classifier and SGD runs): NumPy's OpenBLAS splits even these small matrix products "
    "over both cores, and when another process keeps a core busy each product can wait for a "
    "descheduled helper thread. `landscape_run` does not use it, so for the landscape slider this "
    "row's ratio shows how far two rows differ by chance alone.",
    "**The whole recorded path scored at once** (`safe_metrics.softmax_path_metrics`, "
    "`safe_metrics.path_accuracies`): the classifier run stacks the weights of its path and scores "
    "them with one product per data set, instead of one small product per weight and metric. Only "
    "the classifier run scores a path, so for the other two sliders this row's ratio shows how far "
    "two rows differ by chance alone.",
    "**A background drawn once** (`frames.BlitRenderer`, matplotlib's blitting): the contour map, "
    "its colour bar, the legend and every axis whose limits did not change are kept as pixels; a "
    "frame redraws only the lines and titles, and an axis only when its limits change (log loss "
    "axes snap to round ticks, and the SGD loss axis has two states, so most moves redraw no tick "
    "label). `tests/unit/test_slider_figures.py` checks that a blitted frame equals a full redraw.",
    "**A cheaper PNG encoder** (`frames.rgba_png`): rows stored unfiltered and deflated at zlib "
    "level 1, where PIL's encoder tries every row filter on every row at level 3 (the PNG encoder "
    "table compares the two on one frame of each slider).",
)


def conditions(results):
    """The conditions table: when, how long, how loaded, and the machine."""
    load = lambda xs: ", ".join(f"{x:.2f}" for x in xs)   # noqa: E731
    rows = [["date", results["date"]], ["command", f"`{results['command']}`"],
            ["run time", f"{results['seconds']:.0f} s"],
            ["run time per section",
             ", ".join(f"{key} {sec:.0f} s" for key, sec in results["section_seconds"].items())],
            ["load average at start (1, 5, 15 min)", load(results["load_start"])],
            ["load average at end (1, 5, 15 min)", load(results["load_end"])]]
    if "sliders" in results:
        frame = results["sliders"]["frame"]
        rows.append(["slider frames", f"{frame['width']} x {frame['height']} px PNG"])
    return rows + results["machine"]


SECTIONS = ("losses", "naive", "numerical", "sgd", "sliders", "png", "precompute", "notebooks")
TITLES = {
    "losses": "Loss + gradient against the floor of its two matrix products",
    "naive": "Vectorized against naive loops",
    "numerical": "Numerical gradient against its own floor",
    "sgd": "SGD against full-batch gradient descent on digits",
    "sliders": "Sliders: one move = run + draw + PNG + readout, as in the notebooks",
    "png": "PNG encoders on one frame of each slider",
    "precompute": "Every setting of each slider ahead of time",
    "notebooks": "Notebooks: headless Run-All against a bare kernel",
}


def readme_text(results):
    """The whole of benchmarks/README.md from a run's results (a dict, as in results.json)."""
    rows = conditions(results)
    facts = dict(rows)
    load_start = facts["load average at start (1, 5, 15 min)"].split(", ")[0]
    load_end = facts["load average at end (1, 5, 15 min)"].split(", ")[0]
    parts = [INTRO, "## Conditions of this run",
             f"Measured on {facts['date']}, {facts['run time']} in all. The machine is shared: its "
             f"one-minute load average was {load_start} at the start and {load_end} at the end, so "
             "\"quiet\" below means without the benchmark's own busy process, not an idle machine."
             + ("" if not results["quick"] else
                " This was a `--quick` run: fewer repeats and settings, no notebooks."),
             table(["fact", "value"], rows)]
    coretype = facts["OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE"].split(" / ")[0]
    parts.append("The BLAS row says which kernel ran. On some machines the environment sets "
                 "`OPENBLAS_CORETYPE` (older OpenBLAS builds needed it), which can slow a current "
                 "NumPy; this run had it " + ("unset." if coretype == "unset" else f"set to `{coretype}`."))
    parts.append(MEASURED)
    parts.append("## Results")
    for key in SECTIONS:
        if key not in results:
            if key == "notebooks" and results["quick"]:
                parts.append(f"### {TITLES[key]}\n\nNot measured in a `--quick` run.")
            continue
        if key == "losses":
            body = render_losses(results[key])
        elif key == "naive":
            body = render_naive(results[key], results.get("losses"))
        elif key == "numerical":
            body = render_numerical(results[key])
        elif key == "sgd":
            body = render_sgd_vs_gd(results[key])
        elif key == "sliders":
            body, lever_rows, names = render_sliders(results[key])
        elif key == "png":
            body = render_png(results[key])
        elif key == "precompute":
            body = render_precompute(results[key], results.get("sliders"))
        else:
            body = render_notebooks(results[key])
        parts.append(f"### {TITLES[key]}\n\n{body}")
    if "sliders" in results:
        parts.append(render_lever_notes(lever_rows, names))
    return "\n\n".join(parts) + "\n"


def render_lever_notes(lever_rows, names):
    """Why each lever helps, with its p95 against the row above from the levers table."""
    first = lever_rows[0]
    text = ("## On a busy machine: what makes a slider move fast\n\n"
            "Without any of the levers below, under load, a move's p95 is "
            + ", ".join(f"{first[1 + 2 * j]} ({name})" for j, name in enumerate(names))
            + ". Each lever, added in turn (the levers table's rows, cumulative, their moves interleaved):\n")
    for i, note in enumerate(LEVER_NOTES, start=1):
        row = lever_rows[i]
        text += (f"\n- {note} Against the row above, the p95 goes to "
                 + ", ".join(f"{row[2 + 2 * j]} ({name})" for j, name in enumerate(names)) + ".")
    last = lever_rows[-1]
    text += ("\n\nAll four together take the p95 to "
             + ", ".join(f"{last[2 + 2 * j]} ({name})" for j, name in enumerate(names))
             + " of its value without them.\n\nGoing back to a setting already shown costs no run and no "
             "drawing: each panel keeps the frames it has shown (`sliders.SettingCache`, keyed by the "
             "control values); the sweeps switch it off so that every timed move is a first visit.")
    return text


# ============================================================================= main

def measure(args, digits):
    """Run the chosen sections; return the results dict (JSON-ready)."""
    reps = 60 if args.quick else 600
    benches = {
        "losses": lambda: measure_losses(digits, reps),
        "naive": lambda: measure_naive(digits, 5 if args.quick else 15),
        "numerical": lambda: measure_numerical(digits, 3 if args.quick else 9),
        "sgd": lambda: measure_sgd_vs_gd(digits, 2 if args.quick else 5),
        "sliders": lambda: measure_sliders(digits, args.quick),
        "png": lambda: measure_png(digits, 5 if args.quick else 30),
        "precompute": lambda: measure_precompute(digits, args.quick),
        "notebooks": measure_notebooks,
    }
    chosen = [args.only] if args.only else [k for k in benches if not (args.quick and k == "notebooks")]
    results = {"command": " ".join(["python benchmarks/run.py"] + args.argv), "quick": bool(args.quick),
               "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "load_start": list(os.getloadavg()), "machine": machine_facts()}
    started = time.perf_counter()
    results["section_seconds"] = {}
    for key in chosen:
        print(f"measuring {key} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        results[key] = benches[key]()
        results["section_seconds"][key] = time.perf_counter() - start
    results["seconds"] = time.perf_counter() - started
    results["load_end"] = list(os.getloadavg())
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true",
                        help="write benchmarks/README.md (and, after measuring, benchmarks/results.json)")
    parser.add_argument("--quick", action="store_true", help="few repeats and settings, no notebooks; printed only")
    parser.add_argument("--only", choices=SECTIONS, help="run one section; printed only")
    parser.add_argument("--from-json", metavar="PATH", help="take the results from PATH instead of measuring")
    parser.add_argument("--json", metavar="PATH", help="also write the results to PATH")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.from_json:
        results = json.loads(Path(args.from_json).read_text())
    else:
        if args.readme and (args.quick or args.only):
            parser.error("--readme needs a full run (no --quick, no --only), or --from-json")
        results = measure(args, load_digits())
    text = readme_text(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    if args.readme:
        if not args.from_json:
            RESULTS.write_text(json.dumps(results, indent=1) + "\n")
            print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
        README.write_text(text)
        print(f"wrote {README.relative_to(ROOT)}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
