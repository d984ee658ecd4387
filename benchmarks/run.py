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


# ============================================================================= a busy core
# A student's laptop is often busy with something else. The browser measurements are made
# quiet and with one core kept busy by a process this benchmark starts (a Python loop,
# pinned to no core), paused with SIGSTOP for the quiet ones and resumed with SIGCONT for
# the busy ones, the two interleaved, and killed at the end whatever happens.

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


# ============================================================================= slider panels: measure
# A panel (optim_helpers.widgets) runs and draws every setting when it is made: a background
# PNG per figure, one SVG overlay + readout per setting (svg_frames.FrameLayers), parts that
# several settings share once. The browser then switches Stacks jslinked to the controls.
# Measured here: what making a panel costs, split into its parts within the same build, and
# the bytes it saves, against full PNG frames of every setting (the design it replaced).

PANEL_NAMES = {"landscape": "landscape", "classifier": "classifier", "sgd": "SGD"}
STATE_JSON = {"indent": 1, "sort_keys": True, "ensure_ascii": False}   # as nbformat writes a notebook


def _panel_cases(digits):
    """(key, notebook, grid description, make_panel, make_figure) for each slider panel,
    made with the arguments notebooks 03 and 04 use; make_figure(setting) -> a new figure of
    the kind that draws that setting (for the full-PNG comparison)."""
    from optim_helpers import slider_figures, sliders, widgets
    from optim_helpers.landscapes import LANDSCAPES
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    reg = 0.05                                           # as notebooks 03 and 04
    n_lr_land, n_lr = len(sliders.lr_grid(1e-3, 31.6)), len(sliders.lr_grid(1e-3, 100))

    def sgd_setup():
        return sliders.sgd_setup(X, y, Xv, yv, reg=reg, n_steps=100, eval_every=10, rng=np.random.default_rng(0))

    return [
        ("landscape", "03", f"{len(LANDSCAPES)} landscapes x {n_lr_land} lr",
         lambda: widgets.lr_slider_landscape("mountain", lr=0.1, lr_min=1e-3, lr_max=31.6, n_steps=50),
         lambda setting: slider_figures.LandscapeFigure(setting[0], 50)),
        ("classifier", "03", f"{n_lr} lr",
         lambda: widgets.lr_slider_classifier(X, y, Xv, yv, reg=reg, lr=1.0, lr_min=1e-3, lr_max=100.0, n_steps=60),
         lambda setting: slider_figures.ClassifierFigure(sliders.classifier_setup(X, y, Xv, yv, reg, 60))),
        ("sgd", "04", f"{n_lr} lr x {len(sliders.BATCH_SIZES)} batch sizes",
         lambda: widgets.sgd_sliders(X, y, Xv, yv, reg=reg, lr=0.316, batch_size=32, lr_min=1e-3, lr_max=100.0,
                                     n_steps=100, eval_every=10, rng=np.random.default_rng(0)),
         lambda setting: slider_figures.SGDFigure(sgd_setup())),
    ]


BUILD_PARTS = ("runs", "draw", "svg", "background")


@contextlib.contextmanager
def _build_clock():
    """Within the block, the seconds a panel spends in each part of its build (a dict
    filled as it goes): the runs (sliders.*_run), setting the figure's artists
    (SliderFigure.draw), the SVG overlays and shared parts (FrameLayers.add, overlay,
    shared_defs) and the background PNGs (FrameLayers.background_png)."""
    import functools
    from unittest import mock

    from optim_helpers import slider_figures, sliders, svg_frames
    spent = dict.fromkeys(BUILD_PARTS, 0.0)

    def timed(part, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[part] += time.perf_counter() - start
        return wrapper

    layers = svg_frames.FrameLayers
    patches = [mock.patch.object(sliders, name, timed("runs", getattr(sliders, name)))
               for name in ("landscape_run", "classifier_run", "sgd_run")]
    patches += [mock.patch.object(cls, "draw", timed("draw", cls.draw)) for cls in
                (slider_figures.LandscapeFigure, slider_figures.ClassifierFigure, slider_figures.SGDFigure)]
    patches += [mock.patch.object(layers, name, timed("svg", getattr(layers, name)))
                for name in ("add", "overlay", "shared_defs")]
    patches.append(mock.patch.object(layers, "background_png", timed("background", layers.background_png)))
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        yield spent


def _panel_parts(widget, images, shared):
    """The background Images and the shared-parts HTML of a panel's figure (its widget tree)."""
    import ipywidgets
    if isinstance(widget, ipywidgets.Image):
        images.append(widget)
    elif isinstance(widget, ipywidgets.HTML) and "optim-shared" in widget.value:
        shared.append(widget)
    for child in getattr(widget, "children", ()):
        _panel_parts(child, images, shared)
    return images, shared


def _panel_bytes(panel):
    """Bytes of a made panel: backgrounds, each setting's frame (SVG overlay + readout),
    shared parts, and its whole widget state as a notebook saves it (JSON, base64 images)."""
    from ipywidgets.embed import dependency_state
    images, shared = _panel_parts(panel.figure, [], [])
    state = json.dumps(dependency_state([panel]), **STATE_JSON)
    png = images[0].value
    return {"background_bytes": [len(i.value) for i in images],
            "frame_bytes": [len(f.value.encode()) for f in panel.frames.values()],
            "shared_bytes": [len(h.value.encode()) for h in shared],
            "state_bytes": len(state.encode()),
            "png_size": list(struct.unpack(">II", png[16:24])),
            "stacks": len(panel.stacks)}


def _full_pngs(panel, make_figure, n):
    """The old design's cost, sampled: n settings spread over the panel's, each drawn on a
    new figure of its kind and rendered whole with SliderFigure.png(): bytes and seconds."""
    settings = list(panel.runs)
    sample = [settings[round(i * (len(settings) - 1) / max(n - 1, 1))] for i in range(n)]
    figures, out = {}, {"png_bytes": [], "png_seconds": []}
    for setting in sample:
        key = setting[:1] if isinstance(setting[0], str) else ()
        if key not in figures:
            figures[key] = make_figure(setting)
        figure = figures[key].draw(panel.runs[setting])
        start = time.perf_counter()
        png = figure.png()
        out["png_seconds"].append(time.perf_counter() - start)
        out["png_bytes"].append(len(png))
    return out


def measure_panels(digits, quick=False):
    """Each slider panel made `rounds` times (the panels interleaved, quiet), its build split
    into parts; the bytes of the last one made; full PNGs of a sample of its settings."""
    import matplotlib
    matplotlib.use("Agg")
    rounds, n_png = (1, 3) if quick else (2, 8)
    cases = _panel_cases(digits)
    out = {key: {"slider": key, "notebook": nb, "grid": grid, "rounds": rounds, "build_seconds": [],
                 "part_seconds": {part: [] for part in BUILD_PARTS}} for key, nb, grid, _, _ in cases}
    panels = {}
    for r in range(rounds):
        for key, _, _, make_panel, _ in rotated(cases, r):
            panels.pop(key, None)
            with _build_clock() as spent:
                start = time.perf_counter()
                panels[key] = make_panel()
                out[key]["build_seconds"].append(time.perf_counter() - start)
            for part in BUILD_PARTS:
                out[key]["part_seconds"][part].append(spent[part])
            out[key]["panel_build_seconds"] = panels[key].build_seconds
    for key, _, _, _, make_figure in cases:
        panel = panels[key]
        out[key]["settings"] = len(panel.runs)
        out[key].update(_panel_bytes(panel))
        out[key].update(_full_pngs(panel, make_figure, n_png))
    return [out[key] for key, *_ in cases]


# ============================================================================= slider panels: render

def b64(n):
    """Bytes of n bytes as base64 (how a notebook stores a PNG)."""
    return 4 * math.ceil(n / 3)


def panel_numbers(r):
    """Derived numbers of one panel's results (medians over the rounds, totals, estimates)."""
    parts = {part: statistics.median(r["part_seconds"][part]) for part in BUILD_PARTS}
    build = statistics.median(r["build_seconds"])
    png = statistics.median(r["png_bytes"])
    full = r["settings"] * b64(png)
    return {"build": build, **parts, "drawing": parts["draw"] + parts["svg"] + parts["background"],
            "other": build - sum(parts.values()), "png": png, "full_png_b64": full,
            "png_seconds": statistics.median(r["png_seconds"]),
            "svg_per_setting": parts["svg"] / r["settings"],
            "overlays": sum(r["frame_bytes"]), "backgrounds": sum(r["background_bytes"]),
            "shared": sum(r["shared_bytes"])}


def render_panels(res):
    build_rows, byte_rows, png_rows = [], [], []
    for r in res:
        n = panel_numbers(r)
        name = f"{PANEL_NAMES[r['slider']]} ({r['notebook']})"
        build_rows.append((name, f"{r['settings']} ({r['grid']})", fmt_time(n["build"]), fmt_time(n["runs"]),
                           fmt_time(n["drawing"]), fmt_time(n["draw"]), fmt_time(n["svg"]), fmt_time(n["background"]),
                           fmt_time(n["other"]), fmt_ratio(n["drawing"] / n["runs"]), r["rounds"]))
        backgrounds = f"{len(r['background_bytes'])} x {fmt_bytes(statistics.median(r['background_bytes']))}"
        byte_rows.append((name, r["settings"], backgrounds,
                          fmt_bytes(statistics.median(r["frame_bytes"])), fmt_bytes(max(r["frame_bytes"])),
                          fmt_bytes(n["overlays"]), fmt_bytes(n["shared"]), fmt_bytes(r["state_bytes"])))
        png_rows.append((name, len(r["png_bytes"]), fmt_bytes(n["png"]), fmt_bytes(max(r["png_bytes"])),
                         fmt_bytes(n["full_png_b64"]), fmt_bytes(r["state_bytes"]),
                         fmt_ratio(n["full_png_b64"] / r["state_bytes"]), fmt_ms(n["png_seconds"]),
                         fmt_ms(n["svg_per_setting"]), fmt_ratio(n["png_seconds"] / n["svg_per_setting"])))
    text = table(["panel (notebook)", "settings", "made in (median)", "runs", "drawing", "of which: set the artists",
                  "SVG overlays and shared parts", "background PNG", "other (figures, widgets)",
                  "drawing / runs", "builds (median over)"], build_rows)
    text += ("\n\n" + " ".join(
        f"The {row[0]} panel runs and draws its {row[1].split()[0]} settings in {row[2]}: {row[3]} of runs and "
        f"{row[4]} of drawing ({row[9]} the runs)." for row in build_rows)
        + " Each part is timed inside the same builds; \"other\" is the rest: the figures and setups "
          "made once, the widgets and readouts.")
    w, h = res[0]["png_size"]
    text += ("\n\nWhat a panel saves, bytes of the last build (a frame is a setting's SVG overlay and "
             "its readout; the widget state is the panel's, as a notebook stores it: JSON, images as "
             "base64):\n\n" + table(
                 ["panel (notebook)", "settings", "background PNGs", "frame per setting (median)",
                  "frame per setting (max)", "all frames", "shared parts", "saved widget state"], byte_rows))
    text += ("\n\nAgainst the design it replaced, a full PNG frame for every setting: a sample of settings "
             f"spread over each grid, each drawn whole with `SliderFigure.png()` ({w} x {h} px), the median "
             "times the number of settings, as base64; and the time of one such PNG against the SVG "
             "overlay time per setting of the build above:\n\n" + table(
                 ["panel (notebook)", "settings sampled", "full PNG per setting (median)",
                  "full PNG per setting (max)", "full PNGs for every setting, as base64 (estimate)",
                  "saved widget state (measured)", "full PNGs / saved state", "one full PNG (median)",
                  "SVG overlay per setting (build mean)", "PNG / SVG time"], png_rows))
    text += ("\n\n" + " ".join(
        f"For the {row[0]} panel, full PNGs would weigh {row[4]}, {row[6]} its saved widget state of {row[5]}."
        for row in png_rows))
    return text


# ============================================================================= notebook files and history

NOTEBOOK_BUDGET = 3e6          # bytes of one notebook file (issue 16)
HISTORY_BUDGET = 15e6          # bytes of git objects the feature adds (issue 16)
HISTORY_BASE = "28aa7df"       # the last commit before the kernel-free sliders


def _git(*args, stdin=None):
    return subprocess.run(["git", *args], cwd=ROOT, input=stdin, capture_output=True, check=True).stdout


def measure_sizes():
    """Every lecture notebook file (English and Korean): bytes, of which saved widget state
    (as nbformat writes it), and whether the file differs from the commit checked out."""
    out = []
    for path in [*sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")),
                 *sorted((ROOT / "notebooks" / "ko").glob("[0-9]*.ipynb"))]:
        data = path.read_bytes()
        widgets = json.loads(data).get("metadata", {}).get("widgets")
        rel = path.relative_to(ROOT).as_posix()
        changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", rel], cwd=ROOT).returncode != 0
        out.append({"notebook": rel, "file_bytes": len(data),
                    "widget_bytes": len(json.dumps(widgets, **STATE_JSON).encode()) if widgets else 0,
                    "changed": changed})
    return out


def measure_history(base=HISTORY_BASE):
    """Git objects reachable from HEAD and not from `base` (the feature's commits): how many,
    their raw size, packed alone (self-contained, as `git pack-objects --stdout` writes
    them) and as a thin pack (deltas against `base`'s objects, as a push sends them); the
    paths that add the most raw bytes."""
    head = _git("rev-parse", "HEAD").decode().strip()      # one commit throughout, whatever lands meanwhile
    listed = _git("rev-list", "--objects", f"{base}..{head}")
    names = [line.split(" ", 1) for line in listed.decode().splitlines()]
    checked = _git("cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                   stdin="".join(f"{n[0]}\n" for n in names).encode()).decode().split()
    kinds = {checked[i]: (checked[i + 1], int(checked[i + 2])) for i in range(0, len(checked), 3)}
    by_path = {}
    for sha, *path in names:
        kind, size = kinds[sha]
        if kind == "blob":
            row = by_path.setdefault(path[0] if path else "?", [0, 0])
            row[0] += 1
            row[1] += size
    full = _git("-c", "pack.threads=1", "pack-objects", "--stdout", "-q", stdin=listed)
    thin = _git("-c", "pack.threads=1", "pack-objects", "--revs", "--thin", "--stdout", "-q",
                stdin=f"{head}\n^{base}\n".encode())
    largest = sorted(by_path.items(), key=lambda kv: -kv[1][1])[:6]
    return {"base": base, "head": head[:7], "commits": int(_git("rev-list", "--count", f"{base}..{head}")),
            "objects": len(names), "raw_bytes": sum(size for _, size in kinds.values()),
            "pack_bytes": len(full), "thin_pack_bytes": len(thin),
            "largest": [{"path": p, "versions": v, "raw_bytes": s} for p, (v, s) in largest]}


def render_sizes(res):
    rows = [(f"`{r['notebook']}`", fmt_bytes(r["file_bytes"]),
             fmt_bytes(r["widget_bytes"]) if r["widget_bytes"] else "none",
             f"<= {NOTEBOOK_BUDGET / 1e6:.0f} MB", "met" if r["file_bytes"] <= NOTEBOOK_BUDGET else "MISSED",
             "yes" if r["changed"] else "no") for r in res]
    text = table(["notebook file", "bytes", "of which saved widget state", "budget", "",
                  "differs from the commit measured"], rows)
    big = max(zip(res, rows), key=lambda rr: rr[0]["file_bytes"])[1]
    missed = [row[0] for row in rows if row[4] == "MISSED"]
    text += (f"\n\nThe largest notebook file is {big[0]} at {big[1]}, {big[2]} of it saved widget state; "
             + ("every file is within the 3 MB budget." if not missed else
                "over the 3 MB budget: " + ", ".join(missed) + "."))
    changed = [row[0] for row in rows if row[5] == "yes"]
    if changed:
        text += (" Measured in the working tree: " + ", ".join(changed)
                 + " had changes not yet committed when the run read them.")
    return text


def render_history(res):
    rows = [(f"`{res['base']}`..`{res['head']}`", res["commits"], f"{res['objects']:,}", fmt_bytes(res["raw_bytes"]),
             fmt_bytes(res["pack_bytes"]), fmt_bytes(res["thin_pack_bytes"]), f"<= {HISTORY_BUDGET / 1e6:.0f} MB",
             "met" if res["pack_bytes"] <= HISTORY_BUDGET else "MISSED")]
    text = table(["commits measured", "commits", "objects added", "their raw size",
                  "packed alone (git pack-objects --stdout)", "thin pack (as a push sends it)", "budget (packed alone)",
                  ""], rows)
    row = rows[0]
    text += (f"\n\nThe objects reachable from `{res['head']}` and not from `{res['base']}` (`git rev-list --objects "
             f"{res['base']}..HEAD`), packed alone with `git pack-objects --stdout`, take {row[4]}: "
             + ("within" if row[7] == "met" else "over") + f" the 15 MB budget. As a push sends them, deltas "
             f"against the older objects allowed (`git pack-objects --revs --thin`), they take {row[5]}. "
             "Changes not yet committed are not counted. Where the raw bytes come from (every version of "
             "a file the commits add):\n\n"
             + table(["path", "versions added", "raw bytes"],
                     [(f"`{p['path']}`", p["versions"], fmt_bytes(p["raw_bytes"])) for p in res["largest"]]))
    return text


# ============================================================================= in a browser: measure
# Decks built by tools/build_slides.py (into a temporary folder with a `vendor` link to
# slides/vendor) from a copy of notebooks 03 and 04 taken at the start of the section (the
# copy is what both the decks and the expected readouts come from), opened from file:// in
# Debian's Chromium with every request that leaves the disk aborted.

BROWSER_DECKS = ("03_gradient_descent", "04_stochastic_gradient_descent")
PANELS_IN_DECK = {"03_gradient_descent": ["landscape", "classifier"], "04_stochastic_gradient_descent": ["SGD"]}
FIRST_SLIDE_BUDGET, REDRAW_BUDGET = 2.0, 0.100     # seconds (issue 16)
VIEWPORT = (1280, 720)

FIRST_SLIDE_JS = """(() => {
  // From the document's start, every animation frame: is the first slide shown (reveal.js
  // ready, the present slide laid out with its text, its images decoded, its formulas
  // typeset)? Are all saved widgets drawn? Each time is taken after the frame that showed it
  // was painted (the message posted from that frame's requestAnimationFrame), in ms since
  // the navigation started (performance.now()).
  const times = {};
  window.__firstSlide = new Promise((resolve) => {
    const afterPaint = (key) => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        times[key] = performance.now();
        if (times.slide && times.widgets) resolve(times);
      };
      channel.port2.postMessage(0);
    });
    const slideShown = () => {
      const reveal = document.querySelector('.reveal.ready');
      const slide = reveal && reveal.querySelector('.slides section.present:not(.stack)');
      if (!slide || !slide.getClientRects().length || !slide.innerText.trim()) return false;
      if (![...slide.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0)) return false;
      const formulas = slide.querySelectorAll('script[type^="math/tex"]').length;
      return slide.querySelectorAll('.MathJax_CHTML').length >= formulas;
    };
    const widgetsDrawn = () => document.readyState !== 'loading' && document.querySelectorAll('.widget-subarea').length
        >= document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
    let slide = false, widgets = false;
    const tick = () => {
      if (!slide && slideShown()) { slide = true; afterPaint('slide'); }
      if (!widgets && widgetsDrawn()) { widgets = true; afterPaint('widgets'); }
      if (!(slide && widgets)) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
})();"""

NAV_JS = """() => { const n = performance.getEntriesByType('navigation')[0];
  const f = performance.getEntriesByName('first-contentful-paint')[0];
  return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: f ? f.startTime : null}; }"""

FIND_VIEW_JS = """(id) => {
  // Mark the view of widget model `id`, show its slide; returns the slide's indices.
  const script = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
      .find((s) => JSON.parse(s.textContent).model_id === id);
  script.parentElement.dataset.benchView = id;
  const where = Reveal.getIndices(script.closest('section'));
  Reveal.slide(where.h, where.v);
  return where;
}"""

ARM_MOVE_JS = """([id, want]) => {
  // Resolves {key, dom, paint} (ms since navigation) for the next key press: its keydown
  // (event.timeStamp), the first DOM change after which the view shows every readout text of
  // `want` and an SVG overlay, and the end of the frame that painted it.
  const root = document.querySelector(`[data-bench-view="${id}"]`);
  const textOf = TEXT_JS;
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const shows = () => {
    const got = [...root.querySelectorAll('.widget-html-content')].filter(visible).map(textOf);
    return want.every((t) => got.includes(t)) && [...root.querySelectorAll('svg.optim-overlay')].some(visible);
  };
  window.__move = new Promise((resolve) => {
    let key = null;
    document.addEventListener('keydown', (e) => { key = e.timeStamp; }, {capture: true, once: true});
    const observer = new MutationObserver(() => {
      if (key === null || !shows()) return;
      const dom = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({key, dom, paint: performance.now()});
        channel.port2.postMessage(0);
      });
    });
    observer.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
  });
  return true;
}"""


def _browser_tools():
    """(build_slides, check_slides, saved_sliders, sync_playwright), or raise RuntimeError."""
    for folder in ("tools", "tests/delivery"):
        if str(ROOT / folder) not in sys.path:
            sys.path.insert(0, str(ROOT / folder))
    import build_slides
    import check_slides
    import saved_sliders
    return build_slides, check_slides, saved_sliders, check_slides.require_playwright()


def _first_slide(ctx, deck):
    """Open `deck` in a new page; seconds from navigation to the first slide shown, to every
    widget drawn, to the first contentful paint, DOMContentLoaded and the load event."""
    page = ctx.new_page()
    try:
        page.goto(Path(deck).as_uri(), wait_until="commit")
        page.wait_for_function("() => window.__firstSlide !== undefined")
        times = page.evaluate("() => window.__firstSlide")
        page.wait_for_load_state("load")
        nav = page.evaluate(NAV_JS)
    finally:
        page.close()
    return {"slide": times["slide"] / 1e3, "widgets": times["widgets"] / 1e3,
            "fcp": None if nav["fcp"] is None else nav["fcp"] / 1e3, "dcl": nav["dcl"] / 1e3, "load": nav["load"] / 1e3}


def _walk(start, n_positions, n_moves):
    """n_moves (from, to) steps of one position, from `start`, turning at either end."""
    moves, pos, step = [], start, 1
    for _ in range(n_moves):
        if not 0 <= pos + step < n_positions:
            step = -step
        moves.append((pos, pos + step))
        pos += step
    return moves


def _redraws(page, slider, saved_sliders, n_moves, switch):
    """Move `slider` (a saved_sliders.KernelFreeSlider) n_moves times by an arrow key on its
    handle, busy and quiet in turn; per move: busy?, from, to, seconds from the keydown to the
    readout and overlay in the DOM and to their frame painted, and whether the overlay shown
    is the saved one (checked after the timing)."""
    page.evaluate(FIND_VIEW_JS, slider.view_id)
    view = page.locator(f"[data-bench-view='{slider.view_id}']")
    handle = view.locator(".widget-slider .noUi-handle").nth(slider.position_in_view)
    handle.focus()
    arm = ARM_MOVE_JS.replace("TEXT_JS", saved_sliders.TEXT_JS)

    def press(frm, to):
        page.evaluate(arm, [slider.view_id, slider.expected(to)[1]])
        handle.press("ArrowRight" if to > frm else "ArrowLeft")
        t = page.evaluate("() => window.__move")
        if t is None:
            raise RuntimeError(f"{slider.description!r}: position {to} was not shown within 10 s")
        return t

    out = []
    walk = _walk(slider.index, slider.n_positions, n_moves)
    for k, (frm, to) in enumerate(walk):
        busy = k % 2 == 1
        switch(busy)
        try:
            t = press(frm, to)
        finally:
            switch(False)
        shown = saved_sliders.shown(view)["figures"]
        out.append({"busy": busy, "from": frm, "to": to, "dom": (t["dom"] - t["key"]) / 1e3,
                    "paint": (t["paint"] - t["key"]) / 1e3, "as_saved": shown == slider.expected(to)[2]})
    pos = walk[-1][1]
    while pos != slider.index:       # back to the saved position: the other sliders' frames assume it
        step = 1 if slider.index > pos else -1
        press(pos, pos + step)
        pos += step
    return out


def _arrow_turns_slide(page, slider, saved_sliders):
    """Press an arrow key on the focused handle of `slider` (at its saved position) in the
    deck as shipped: (did the slide change, did the readout change). Reload the deck after."""
    where = page.evaluate(FIND_VIEW_JS, slider.view_id)
    view = page.locator(f"[data-bench-view='{slider.view_id}']")
    handle = view.locator(".widget-slider .noUi-handle").nth(slider.position_in_view)
    handle.focus()
    before = saved_sliders.shown(view)["texts"]
    handle.press("ArrowLeft" if slider.index > 0 else "ArrowRight")
    page.wait_for_timeout(500)
    after = page.evaluate("() => Reveal.getIndices()")
    page.evaluate("([h, v]) => Reveal.slide(h, v)", [where["h"], where["v"]])
    page.wait_for_timeout(100)
    return [after["h"], after["v"]] != [where["h"], where["v"]], saved_sliders.shown(view)["texts"] != before


def measure_browser(quick=False):
    """The decks of 03 and 04 in Chromium from disk: the first slide shown (loads busy and
    quiet in turn), and every kernel-free slider's redraw after an arrow key."""
    import shutil
    import tempfile
    try:
        build_slides, check_slides, saved_sliders, sync_playwright = _browser_tools()
    except (ImportError, RuntimeError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    try:
        build_slides.ensure_vendor()
    except build_slides.BuildError as exc:
        return {"error": f"BuildError: {exc}"}
    loads, moves = (2, 6) if quick else (10, 40)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "vendor").symlink_to(build_slides.VENDOR, target_is_directory=True)
        notebooks = []
        for name in BROWSER_DECKS:
            shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", tmp / f"{name}.ipynb")
            notebooks.append(tmp / f"{name}.ipynb")
        with contextlib.redirect_stdout(sys.stderr):
            decks = build_slides.build(notebooks, output_dir=tmp)
        result = {"viewport": list(VIEWPORT), "loads": loads, "decks": [], "sliders": []}
        off_disk = []
        with sync_playwright() as p, busy_core() as switch:
            browser = check_slides.launch(p)
            result["chromium"] = f"Chromium {browser.version}"
            try:
                ctx = check_slides.offline_context(browser, *VIEWPORT, off_disk)
                ctx.add_init_script(FIRST_SLIDE_JS)
                for name, deck in zip(BROWSER_DECKS, decks):
                    runs = []
                    for k in range(loads):
                        switch(k % 2 == 1)
                        runs.append({"busy": k % 2 == 1, **_first_slide(ctx, deck)})
                        switch(False)
                    result["decks"].append({"deck": name, "deck_bytes": deck.stat().st_size, "runs": runs})
                page = ctx.new_page()
                for name, deck, notebook in zip(BROWSER_DECKS, decks, notebooks):
                    sliders = saved_sliders.kernel_free_sliders(notebook)
                    check_slides.open_deck(page, deck)
                    turned, moved = _arrow_turns_slide(page, sliders[0], saved_sliders)
                    check_slides.open_deck(page, deck)      # every slider at its saved position again
                    if turned:                              # time the slider, not the deck turning
                        page.evaluate("() => Reveal.configure({keyboard: false})")
                    views = list(dict.fromkeys(s.view_id for s in sliders))
                    panels = PANELS_IN_DECK[name] if len(views) == len(PANELS_IN_DECK[name]) else [
                        f"panel {k + 1}" for k in range(len(views))]
                    for slider in sliders:
                        timed = _redraws(page, slider, saved_sliders, moves, switch)
                        label = f"{panels[views.index(slider.view_id)]} {slider.description}"
                        result["sliders"].append({"deck": name, "slider": label, "positions": slider.n_positions,
                                                  "moves": timed})
                    next(d for d in result["decks"] if d["deck"] == name).update(arrow_turns_slide=turned,
                                                                                 arrow_moves_slider=moved)
                ctx.close()
            finally:
                browser.close()
        result["off_disk"] = off_disk
    return result


# ============================================================================= in a browser: render

def render_browser(res):
    if "error" in res:
        return f"Not measured: {res['error']}."
    w, h = res["viewport"]
    rows = []
    for d in res["decks"]:
        quiet = [r for r in d["runs"] if not r["busy"]]
        busy = [r for r in d["runs"] if r["busy"]]
        worst = max(r["slide"] for r in d["runs"])
        rows.append((f"`{d['deck']}`", fmt_bytes(d["deck_bytes"]), f"{len(quiet)} / {len(busy)}",
                     fmt_ms(statistics.median(r["slide"] for r in quiet)), fmt_ms(max(r["slide"] for r in quiet)),
                     fmt_ms(statistics.median(r["slide"] for r in busy)), fmt_ms(max(r["slide"] for r in busy)),
                     f"<= {FIRST_SLIDE_BUDGET:.0f} s", "met" if worst <= FIRST_SLIDE_BUDGET else "MISSED",
                     fmt_ms(statistics.median(r["fcp"] for r in quiet if r["fcp"] is not None)),
                     fmt_ms(statistics.median(r["widgets"] for r in quiet)),
                     fmt_ms(statistics.median(r["load"] for r in quiet)),
                     ("turns the slide" if d["arrow_turns_slide"] else "keeps the slide")
                     + (" and moves the slider" if d["arrow_moves_slider"] else ", the slider does not move")))
    text = table(["deck", "file", "loads quiet / busy", "first slide shown (p50 quiet)", "(max quiet)",
                  "(p50 busy)", "(max busy)", "budget (every load)", "", "first contentful paint (p50 quiet)",
                  "every saved widget drawn (p50 quiet)", "load event (p50 quiet)",
                  "an arrow key on a focused slider handle (the deck as shipped)"], rows)
    slowest = max(rows, key=lambda row: float(row[6].split()[0]))
    text += (f"\n\nAt {w} x {h}, from disk: the first slide of each deck is shown in {rows[0][3]} ({rows[0][0]}) "
             f"and {rows[1][3]} ({rows[1][0]}) quiet, at most {slowest[6]} with a core busy ({slowest[0]}); "
             + ("every load within the 2 s budget." if all(row[8] == "met" for row in rows) else
                "not every load within the 2 s budget.")
             + " Shown means: reveal.js ready and the present slide laid out with its text, its images decoded "
               "and its formulas typeset, timed after the frame that painted it. Every saved widget of the "
               f"deck is drawn at {rows[0][10]} and {rows[1][10]} (p50 quiet), the sliders' panels included.")
    srows = []
    for s in res["sliders"]:
        quiet = [m for m in s["moves"] if not m["busy"]]
        busy = [m for m in s["moves"] if m["busy"]]
        p95_busy = percentile([m["paint"] for m in busy], 95)
        srows.append((s["slider"], f"`{s['deck']}`", s["positions"], f"{len(quiet)} / {len(busy)}",
                      fmt_ms(percentile([m["dom"] for m in quiet], 50)),
                      fmt_ms(percentile([m["paint"] for m in quiet], 50)),
                      fmt_ms(percentile([m["paint"] for m in quiet], 95)),
                      fmt_ms(percentile([m["paint"] for m in busy], 50)), fmt_ms(p95_busy),
                      f"<= {REDRAW_BUDGET * 1e3:.0f} ms", "met" if p95_busy <= REDRAW_BUDGET else "MISSED",
                      f"{sum(m['as_saved'] for m in s['moves'])} of {len(s['moves'])}"))
    text += ("\n\nA kernel-free slider's redraw: from the keydown of an arrow key on the focused handle "
             "(`event.timeStamp`) to the new setting's readout and SVG overlay in the page (a "
             "MutationObserver on the panel), and to the end of the frame that painted them (a message "
             "posted from that frame's requestAnimationFrame); moves of one position, quiet and busy in "
             "turn, walking the range and turning at its ends:\n\n" + table(
                 ["slider", "deck", "positions", "moves quiet / busy", "in the DOM (p50 quiet)",
                  "painted (p50 quiet)", "painted (p95 quiet)", "painted (p50 busy)", "painted (p95 busy)",
                  "budget (p95 busy)", "", "overlay as saved"], srows))
    quiet = max(srows, key=lambda row: float(row[6].split()[0]))
    busy = max(srows, key=lambda row: float(row[8].split()[0]))
    text += (f"\n\nA move is painted within {quiet[6]} at p95 quiet ({quiet[0]}) and within {busy[8]} with a core "
             f"busy ({busy[0]}): " + ("every slider meets the 100 ms budget." if all(row[10] == "met" for row in srows)
                               else "not every slider meets the 100 ms budget.")
             + " No move needs a kernel: the page switches Stacks of frames drawn in advance.")
    turned = [row[0] for row in rows if row[12].startswith("turns")]
    if turned:
        text += (" In " + ", ".join(turned) + " an arrow key on a focused slider handle turned the slide "
                 "(reveal.js's keyboard navigation), so there the moves were timed with it switched off "
                 "(`Reveal.configure({keyboard: false})`).")
    else:
        text += (" The moves were made in the decks as shipped: an arrow key on a focused handle moves "
                 "the slider and leaves the slide where it is (the last column of the first table).")
    if res["off_disk"]:
        text += f" The decks asked for {len(res['off_disk'])} resources off disk (aborted)."
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
python benchmarks/run.py --only browser   # one section, printed only
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
- **each slider panel** of notebooks 03 and 04 (`optim_helpers.widgets`), made with the
  notebooks' arguments: a panel runs and draws every setting when it is made, so what is
  timed is the making, split into its parts inside the same builds (the runs of
  `optim_helpers.sliders`; the drawing: `SliderFigure.draw`, the SVG overlays of
  `svg_frames.FrameLayers`, the background PNG), the panels' builds interleaved; and the
  bytes it keeps: background PNGs, each setting's frame (SVG overlay + readout), the parts
  several settings share, the panel's whole widget state as a notebook saves it. Against
  these, the design the panels replaced, a full PNG for every setting: `SliderFigure.png()`
  of a sample of settings spread over each grid, its median times the number of settings;
- **each notebook file**, English and Korean: bytes, and how much of them is saved widget
  state;
- **the history the kernel-free sliders add**: the git objects of the commits since the last
  one before them, counted by `git rev-list --objects`, packed by `git pack-objects`;
- **in a browser** (Debian's Chromium, from disk, every request off disk aborted), the
  decks of notebooks 03 and 04 built by `tools/build_slides.py`: time from navigation to
  the first slide shown with its content, and, for every kernel-free slider, time from an
  arrow key on its handle to the new setting's readout and overlay in the page and painted.
  Loads and moves are made quiet and with one core busy, in turn: "busy" is one core kept
  busy by a process the benchmark starts (a Python loop, pinned to no core; paused with
  SIGSTOP for the quiet ones, killed at the end), as on a laptop busy with a video call;
- **each notebook**: headless Run-All in a fresh kernel (nbclient), against starting and
  stopping a bare kernel.

Before the sliders needed no kernel, a slider move ran its setting and drew a PNG in the
kernel, and this file timed those moves (p50 and p95 of run + draw + PNG + readout, quiet
and under load), the levers that sped them up (one BLAS thread per run, the whole path
scored at once, blitting a background, a cheaper PNG encoder), the PNG encoders on one
frame, and every setting computed ahead as PNGs. Those timed a path that is gone (a move
computed in the kernel, `frames.BlitRenderer`, the panels' cache of PNG frames): a move is
now the browser switching frames drawn in advance, timed in the browser section, and what
a move used to cost is paid once, for every setting, when a panel is made, timed in the
panels section."""


def conditions(results):
    """The conditions table: when, how long, how loaded, and the machine."""
    load = lambda xs: ", ".join(f"{x:.2f}" for x in xs)   # noqa: E731
    rows = [["date", results["date"]], ["command", f"`{results['command']}`"],
            ["run time", f"{results['seconds']:.0f} s"],
            ["run time per section",
             ", ".join(f"{key} {sec:.0f} s" for key, sec in results["section_seconds"].items())],
            ["load average at start (1, 5, 15 min)", load(results["load_start"])],
            ["load average at end (1, 5, 15 min)", load(results["load_end"])]]
    if results.get("panels"):
        w, h = results["panels"][0]["png_size"]
        rows.append(["slider figures", f"{w} x {h} px background PNG, SVG overlays"])
    if results.get("browser") and "error" not in results["browser"]:
        w, h = results["browser"]["viewport"]
        rows.append(["browser", f"{results['browser'].get('chromium', 'Chromium')}, headless, {w} x {h} viewport"])
    return rows + results["machine"]


SECTIONS = ("losses", "naive", "numerical", "sgd", "panels", "sizes", "history", "browser", "notebooks")
TITLES = {
    "losses": "Loss + gradient against the floor of its two matrix products",
    "naive": "Vectorized against naive loops",
    "numerical": "Numerical gradient against its own floor",
    "sgd": "SGD against full-batch gradient descent on digits",
    "panels": "Slider panels: every setting run and drawn when a panel is made",
    "sizes": "Notebook files",
    "history": "Repository history added by the kernel-free sliders",
    "browser": "In a browser: the decks' first slide and the sliders' redraw",
    "notebooks": "Notebooks: headless Run-All against a bare kernel",
}
RENDER = {"losses": render_losses, "numerical": render_numerical, "sgd": render_sgd_vs_gd,
          "panels": render_panels, "sizes": render_sizes, "history": render_history,
          "browser": render_browser, "notebooks": render_notebooks}


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
        if key == "naive":
            body = render_naive(results[key], results.get("losses"))
        else:
            body = RENDER[key](results[key])
        parts.append(f"### {TITLES[key]}\n\n{body}")
    return "\n\n".join(parts) + "\n"


# ============================================================================= main

def measure(args, digits):
    """Run the chosen sections; return the results dict (JSON-ready)."""
    reps = 60 if args.quick else 600
    benches = {
        "losses": lambda: measure_losses(digits, reps),
        "naive": lambda: measure_naive(digits, 5 if args.quick else 15),
        "numerical": lambda: measure_numerical(digits, 3 if args.quick else 9),
        "sgd": lambda: measure_sgd_vs_gd(digits, 2 if args.quick else 5),
        "panels": lambda: measure_panels(digits, args.quick),
        "sizes": measure_sizes,
        "history": measure_history,
        "browser": lambda: measure_browser(args.quick),
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
