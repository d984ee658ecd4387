"""Benchmarks of optim_helpers and the notebooks: where a student waits, how long, and against what.

Usage (from the repository root):

    python benchmarks/run.py            # print the tables (about 4 minutes on 2 cores)
    python benchmarks/run.py --readme   # ... and write them into benchmarks/README.md
    python benchmarks/run.py --quick    # fewer repeats, no notebooks (a smoke run)

Every figure is a ratio of two things measured side by side in the same run (their
repeats interleaved, so a busy neighbour slows both alike), printed with the absolute
medians. Not part of the test suite: nothing here passes or fails.
"""
import argparse
import asyncio
import contextlib
import datetime
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- results: begin -->", "<!-- results: end -->"

from optim_helpers import gradients, losses, optimizers  # noqa: E402
from optim_helpers.data import load_digits  # noqa: E402


# ----------------------------------------------------------------------------- timing

def side_by_side(fns, repeats):
    """Median seconds of each function in ``fns`` (name -> f), their runs interleaved."""
    times = {name: [] for name in fns}
    names = list(fns)
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:   # rotate the order
            start = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def fmt_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- machine

def machine_facts():
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
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("NumPy", np.__version__),
        ("matplotlib", matplotlib.__version__),
        ("BLAS", "; ".join(blas)),
        ("OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE", f"{env['OPENBLAS_CORETYPE']} / {env['OPENBLAS_L2_SIZE']}"),
        ("load average at start (1, 5, 15 min)", ", ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]


# ----------------------------------------------------------------------------- losses

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


def bench_loss_vs_floor(digits, repeats):
    """loss + gradient against the fastest layout of each of the two matrix products they need.

    The floor is the fastest forward product (X @ W.T or W @ X.T) plus the fastest gradient
    product (dS (N, C) or (C, N) times X, in three layouts), every candidate timed side by
    side with the losses, so no layout the losses could have chosen is left out of the floor.
    """
    shapes = [("digits (N 1200, D 65)", digits.X_train, digits.y_train,
               np.random.default_rng(0).standard_normal((10, 65)) * 1e-3, repeats),
              ("CIFAR-10 shape (N 2000, D 3073), synthetic", *problem(2000, 3073)[1:], problem(2000, 3073)[0],
               max(repeats // 20, 15))]
    rows = []
    for label, X, y, W, reps in shapes:
        dS_nc = np.random.default_rng(1).standard_normal((len(y), W.shape[0]))
        dS_cn = np.ascontiguousarray(dS_nc.T)
        products = {name: (lambda f=f: f(W, X, dS_nc, dS_cn))
                    for name, f in {**FORWARD_LAYOUTS, **GRADIENT_LAYOUTS}.items()}
        t = side_by_side({
            **products,
            "exp": lambda: np.exp(dS_cn),
            "svm": lambda: losses.svm_loss_grad(W, X, y, 0.1),
            "softmax": lambda: losses.softmax_loss_grad(W, X, y, 0.1),
        }, reps)
        forward = min(FORWARD_LAYOUTS, key=t.get)
        gradient = min(GRADIENT_LAYOUTS, key=t.get)
        floor = t[forward] + t[gradient]
        for name in ("svm", "softmax"):
            rows.append((label, f"{name}_loss_grad", fmt_time(t[name]), fmt_time(floor),
                         f"{forward}, {gradient}", f"{t[name] / floor:.2f}x", "<= 1.3x",
                         fmt_time(t["exp"]), f"{t['exp'] / floor:.2f}x"))
    return table(["size", "function", "median", "floor: fastest forward + fastest gradient product",
                  "fastest layouts", "ratio", "target", "one np.exp over the N x C scores",
                  "exp / floor"], rows)


def bench_naive(digits, repeats):
    X, y = digits.X_train, digits.y_train
    W = np.random.default_rng(0).standard_normal((10, 65)) * 1e-3
    rows = []
    for name in ("svm", "softmax"):
        fast = getattr(losses, f"{name}_loss_grad")
        naive = getattr(losses, f"{name}_loss_naive")
        t = side_by_side({"fast": lambda: fast(W, X, y, 0.1), "naive": lambda: naive(W, X, y, 0.1)},
                         repeats)
        rows.append((f"{name} (digits, N 1200, D 65)", fmt_time(t["naive"]), fmt_time(t["fast"]),
                     f"{t['naive'] / t['fast']:.0f}x", ">= 30x"))
    return table(["loss + gradient", "naive loops", "vectorized", "speed-up", "target"], rows)


def bench_numerical(digits, repeats):
    """numerical_gradient against its own floor: 2 loss evaluations per entry, nothing else."""
    X, y = digits.X_train, digits.y_train
    W = np.random.default_rng(0).standard_normal((10, 65)) * 1e-3

    def f(w):
        return losses.softmax_loss(w, X, y)

    def floor():
        for _ in range(2 * W.size):
            f(W)
    t = side_by_side({"floor": floor, "numerical": lambda: gradients.numerical_gradient(f, W)}, repeats)
    return table(["numerical gradient (softmax, digits, 650 entries)", "median",
                  "floor: 1300 loss calls", "ratio", "target"],
                 [("centered differences", fmt_time(t["numerical"]), fmt_time(t["floor"]),
                   f"{t['numerical'] / t['floor']:.3f}x", "~1.0x (no overhead beyond the loss calls)")])


# ----------------------------------------------------------------------------- SGD vs GD

GD_LRS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0)
SGD_LRS, SGD_BATCHES = (1.0, 3.0, 10.0, 30.0, 100.0), (16, 64, 256, 1024)
SGD_GRID = [(lr, m) for lr in SGD_LRS for m in SGD_BATCHES]


def bench_sgd_vs_gd(digits, repeats, target=0.95, reg=1e-3):
    """Optimizer wall-clock (History.seconds, evaluation excluded) until test accuracy >= target.

    Each method gets a grid of settings; every setting of both methods runs once per round,
    in an order rotated from round to round (the contenders interleaved), and SGD uses seed r
    in round r. The table shows the fastest setting of each method (median over the rounds),
    and the sentence under it says whether a winner sits at the edge of its grid.
    """
    X, y, Xt, yt = digits.X_train, digits.y_train, digits.X_test, digits.y_test
    W0 = np.zeros((10, 65))

    def acc(W):
        return losses.accuracy(W, Xt, yt)

    def gd_run(lr):
        h = optimizers.gradient_descent(lambda W: losses.softmax_loss_grad(W, X, y, reg), W0, lr,
                                        n_steps=600)
        k = next((k for k, W in enumerate(h.path) if np.all(np.isfinite(W)) and acc(W) >= target), None)
        return None if k is None else (h.seconds[k], k, k * len(y))

    def sgd_run(lr, batch, seed):
        h = optimizers.sgd(lambda W, Xb, yb: losses.softmax_loss_grad(W, Xb, yb, reg), W0, X, y, lr,
                           batch, n_epochs=30, rng=np.random.default_rng(seed), eval_fn=acc,
                           eval_every=5)
        hits = np.nonzero(h.eval_losses >= target)[0]
        if not len(hits):
            return None
        step = int(h.eval_steps[hits[0]])
        return (h.seconds[step - 1] if step else 0.0), step, step * batch

    contenders = {("gd", lr): (lambda seed, lr=lr: gd_run(lr)) for lr in GD_LRS}   # GD draws nothing
    contenders.update({("sgd", lr, m): (lambda seed, lr=lr, m=m: sgd_run(lr, m, seed))
                       for lr, m in SGD_GRID})
    names = list(contenders)
    runs = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:   # rotate the order
            runs[name].append(contenders[name](r))

    def best(kind):
        """(median seconds, median steps, median examples, name) of the fastest setting of a kind."""
        done = [(statistics.median(res[0] for res in runs[name]),
                 statistics.median_low(res[1] for res in runs[name]),
                 statistics.median_low(res[2] for res in runs[name]), name)
                for name in names if name[0] == kind and all(res is not None for res in runs[name])]
        return min(done) if done else None

    gd, sgd = best("gd"), best("sgd")
    rows = []
    for label, res in (("full-batch gradient descent", gd), ("minibatch SGD", sgd)):
        if res is None:
            rows.append((label, "-", "never reached", "-", "-"))
        else:
            setting = f"lr {res[3][1]}" + (f", batch {res[3][2]}" if res[3][0] == "sgd" else "")
            rows.append((label, setting, fmt_time(res[0]), res[1], f"{res[2]:,}"))
    text = table(["method", "best setting", f"wall-clock to {target:.0%} test accuracy", "steps",
                  "examples seen"], rows) + "\n\n"
    if gd and sgd:
        time_ratio, example_ratio = gd[0] / sgd[0], gd[2] / sgd[2]
        text += (f"SGD reaches {target:.0%} test accuracy "
                 + (f"{time_ratio:.1f}x sooner than" if time_ratio >= 1 else f"{1 / time_ratio:.1f}x later than")
                 + " full-batch gradient descent, after "
                 + (f"{example_ratio:.1f}x fewer" if example_ratio >= 1 else f"{1 / example_ratio:.1f}x more")
                 + " training examples. ")
    text += (f"Softmax, reg = {reg}, W starts at 0; medians over {repeats} interleaved rounds "
             "(SGD: one seed per round); optimizer time only, the accuracy checks excluded.")
    edges = [("gd", 1, GD_LRS, "gradient descent's learning rate"),
             ("sgd", 1, SGD_LRS, "SGD's learning rate"), ("sgd", 2, SGD_BATCHES, "SGD's batch size")]
    for kind, i, grid, what in edges:
        res = gd if kind == "gd" else sgd
        if res is not None:
            value = res[3][i]
            where = "at the edge of its grid: widen it" if value in (grid[0], grid[-1]) else "inside its grid"
            text += f" {what[0].upper()}{what[1:]}: best {value} of {grid[0]} .. {grid[-1]}, {where}."
    return text


# ----------------------------------------------------------------------------- sliders
# A student's kernel runs with the default BLAS threads (no OPENBLAS_NUM_THREADS), often on a
# laptop that is busy with something else. So every slider is timed twice, its moves
# interleaved: quiet, and with one core kept busy by a process this benchmark starts (a
# Python loop, pinned to no core), paused with SIGSTOP for the quiet moves and resumed with
# SIGCONT for the loaded ones, and killed at the end whatever happens.

SLIDER_TARGETS_MS = {"landscape": 100, "classifier": 150, "sgd": 150}   # p95 under load


@contextlib.contextmanager
def busy_core():
    """Keep one core busy for the block; yields switch(on) to resume (True) or pause it."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])

    def switch(on):
        proc.send_signal(signal.SIGCONT if on else signal.SIGSTOP)
        time.sleep(0.02)                      # let the scheduler see the change

    try:
        yield switch
    finally:
        proc.kill()
        proc.wait()


def _move(panel, name, value):
    """Seconds for one move: update + PNG render + readout, as a notebook's slider runs it."""
    start = time.perf_counter()
    panel.sliders[name].value = value
    return time.perf_counter() - start


def _log_positions(slider):
    """Every position of a FloatLogSlider: 10 ** (min, min + step, ..., max)."""
    exps = np.arange(slider.min, slider.max + slider.step / 2, slider.step)
    return [float(10 ** e) for e in exps]


def _slider_cases(digits):
    """(label, kind, make_panel, control name, positions) for each slider of notebooks 03 and 04."""
    from optim_helpers import widgets
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    reg = 0.05                                           # as notebooks 03 and 04
    cases = []
    for name in ("mountain", "bowl", "ravine"):
        cases.append((f"landscape lr ({name}, 50 steps)", "landscape",
                      lambda name=name: widgets.lr_slider_landscape(name, lr=0.1, lr_min=1e-3,
                                                                    lr_max=30.0, n_steps=50),
                      "lr", None))
    cases.append(("classifier lr (digits, 60 full-batch steps)", "classifier",
                  lambda: widgets.lr_slider_classifier(X, y, Xv, yv, reg=reg, lr=1.0, lr_min=1e-3,
                                                       lr_max=100.0, n_steps=60), "lr", None))

    def sgd_panel():
        return widgets.sgd_sliders(X, y, Xv, yv, reg=reg, lr=0.3, batch_size=32, lr_min=1e-3,
                                   lr_max=100.0, n_steps=100, eval_every=10,
                                   rng=np.random.default_rng(0))
    cases.append(("SGD lr (digits, 100 steps, batch 32)", "sgd", sgd_panel, "lr", None))
    cases.append(("SGD batch size (lr 0.3, all sizes)", "sgd", sgd_panel, "batch_size",
                  list(widgets.BATCH_SIZES)))
    return cases


def bench_sliders(digits, quick=False):
    """Each slider's moves, quiet and under load interleaved, then the levers side by side."""
    import matplotlib
    matplotlib.use("Agg")
    from optim_helpers.frames import FrameCache
    rows, frame = [], None
    with busy_core() as switch:
        for label, kind, make_panel, name, positions in _slider_cases(digits):
            panels = {"quiet": make_panel(), "load": make_panel()}
            for panel in panels.values():
                panel.frames = FrameCache(0)             # every move timed is a first visit
            control = panels["quiet"].sliders[name]
            positions = positions or _log_positions(control)
            positions = [v for v in positions if v != control.value][::3 if quick else 1]
            times = {"quiet": [], "load": []}
            for k, value in enumerate(positions):
                for state in (("quiet", "load") if k % 2 else ("load", "quiet")):
                    switch(state == "load")
                    times[state].append(_move(panels[state], name, value))
            switch(False)
            p = {state: np.percentile(np.array(t) * 1e3, [50, 95]) for state, t in times.items()}
            target = SLIDER_TARGETS_MS[kind]
            rows.append((label, len(positions), f"{p['quiet'][0]:.0f} ms", f"{p['quiet'][1]:.0f} ms",
                         f"{p['load'][0]:.0f} ms", f"{p['load'][1]:.0f} ms", f"<= {target} ms",
                         "met" if p["load"][1] <= target else "MISSED"))
            frame = panels["quiet"].view.fig
        hit = _frame_cache_hit(make_panel, name, positions)
        levers = bench_slider_levers(digits, switch, quick)
    size = f"{frame.bbox.width:.0f} x {frame.bbox.height:.0f} px at {frame.dpi:.0f} dpi"
    return (table(["slider (update + PNG render + readout)", "moves", "p50 quiet", "p95 quiet",
                   "p50 load", "p95 load", "target (p95 under load)", ""], rows)
            + f"\n\nFrames are {size}. \"load\": one core kept busy by another process, the "
              f"default BLAS threads. Going back to a setting already shown (the panel's frame "
              f"cache) takes {hit * 1e3:.1f} ms (p50, quiet).\n\n"
            + "Levers, under load, added one at a time (each row keeps the rows above it; "
              "p95 per move, the ratio to the first row in brackets):\n\n" + levers)


def _frame_cache_hit(make_panel, name, positions):
    """Median seconds of a move back to a setting the panel has already shown."""
    panel = make_panel()
    shown = positions[:6]
    for value in shown:
        panel.sliders[name].value = value
    return statistics.median(_move(panel, name, v) for v in shown[-2::-1] + shown[1:])


def _per_step_metrics(path, X, y, reg):
    """The old way: every W of the path scored on its own (one product per W and metric)."""
    return (np.array([losses.softmax_loss_or_inf(W, X, y, reg) for W in path]),
            np.array([losses.accuracy_or_nan(W, X, y) for W in path]))


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


def _lever_patches():
    """(row label, patch that undoes the lever) in the order the levers are added."""
    from unittest import mock

    from optim_helpers import classifier_views, frames, views
    return [
        ("one BLAS thread per update (threadpoolctl)",
         mock.patch.object(views, "threadpool_limits", lambda **kw: contextlib.nullcontext())),
        ("whole path scored with 2 matrix products",
         mock.patch.multiple(classifier_views, softmax_path_metrics=_per_step_metrics,
                             path_accuracies=lambda P, X, y: _per_step_metrics(P, X, y, 0.0)[1])),
        ("static background drawn once (blitting)",
         mock.patch.object(frames.BlitRenderer, "png", _full_redraw)),
        ("PNG rows unfiltered, zlib level 1 (was PIL, level 3)",
         mock.patch.object(frames, "rgba_png", _pil_png)),
    ]


def bench_slider_levers(digits, switch, quick):
    """p95 per move under load with none, one, two, ... of the levers, their moves interleaved."""
    from optim_helpers import classifier_views, views
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    subjects = {
        "landscape (mountain)": (views.LandscapeLRView("mountain", n_steps=50), lambda v, lr: v.update(lr)),
        "classifier": (classifier_views.ClassifierLRView(X, y, Xv, yv, reg=0.05, n_steps=60),
                       lambda v, lr: v.update(lr)),
        "SGD (batch 32)": (classifier_views.SGDView(X, y, Xv, yv, reg=0.05, n_steps=100, eval_every=10,
                                                    rng=np.random.default_rng(0)),
                           lambda v, lr: (v._gd_runs.clear(), v.update(lr, 32))[1]),
    }
    levers = _lever_patches()
    n_rows = len(levers) + 1
    times = {(row, name): [] for row in range(n_rows) for name in subjects}
    lrs = [float(10 ** e) for e in np.arange(-3, 1.49, 0.5 if quick else 0.125)]  # 36 positions
    switch(True)
    try:
        for k, lr in enumerate(lrs):
            for row in np.roll(np.arange(n_rows), k):          # rotate the order of the variants
                with contextlib.ExitStack() as stack:
                    for _, patch in levers[row:]:                # row r: the first r levers on
                        stack.enter_context(patch)
                    for name, (view, update) in subjects.items():
                        start = time.perf_counter()
                        view.readout(update(view, lr))
                        view.render()
                        times[row, name].append(time.perf_counter() - start)
    finally:
        switch(False)
    p95 = {key: np.percentile(np.array(t) * 1e3, 95) for key, t in times.items()}
    rows = []
    for row in range(n_rows):
        label = "before: none of the levers" if row == 0 else f"+ {levers[row - 1][0]}"
        rows.append((label, *(f"{p95[row, name]:.0f} ms ({p95[row, name] / p95[0, name]:.2f}x)"
                              for name in subjects)))
    return table(["levers on", *(f"{name}, p95 load" for name in subjects)], rows)


# ----------------------------------------------------------------------------- notebooks

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


def bench_notebooks():
    import nbformat
    os.environ.update(MPLBACKEND="module://matplotlib_inline.backend_inline", PYTHONHASHSEED="0")
    paths = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    if not paths:
        return "No notebooks in notebooks/ yet."
    bare_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    rows, slow = [], []
    for path in paths:
        # bare kernel and notebook alternate (2 rounds each), so both see the same machine
        bares, totals = [], []
        for r in range(2):
            bares.append(asyncio.run(_execute(nbformat.from_dict(bare_nb), path)))
            nb = nbformat.read(path, as_version=4)
            totals.append(asyncio.run(_execute(nb, path)))
        bare, total = statistics.median(bares), statistics.median(totals)
        rows.append((path.name, f"{total:.1f} s", f"{bare:.1f} s", f"{total - bare:.1f} s",
                     f"{total / bare:.1f}x", "met" if total <= 15 else "MISSED"))
        cells = sorted(((_cell_seconds(c), i) for i, c in enumerate(nb.cells) if c.cell_type == "code"),
                       reverse=True)[:3]
        slow.append(f"{path.name}: " + ", ".join(f"cell {i} {s:.1f} s" for s, i in cells))
    return (table(["notebook", "Run-All (fresh kernel, headless; median of 2)", "bare kernel start + stop (median of 2)",
                   "cells alone", "ratio", "target <= 15 s"], rows)
            + "\n\nSlowest cells (execute_input to execute_reply):\n\n"
            + "\n".join(f"- {s}" for s in slow))


# ----------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="write the tables into benchmarks/README.md")
    parser.add_argument("--quick", action="store_true", help="few repeats, no notebooks")
    parser.add_argument("--only", choices=["losses", "naive", "numerical", "sgd", "sliders", "notebooks"],
                        help="run one section (with the machine facts); never writes the README")
    args = parser.parse_args()
    reps = 60 if args.quick else 600
    digits = load_digits()
    command = " ".join(["python benchmarks/run.py"] + sys.argv[1:])
    started = time.perf_counter()
    benches = {
        "losses": ("Loss + gradient against the floor of its two matrix products",
                   lambda: bench_loss_vs_floor(digits, reps)),
        "naive": ("Vectorized against naive loops", lambda: bench_naive(digits, 5 if args.quick else 15)),
        "numerical": ("Numerical gradient against its own floor",
                      lambda: bench_numerical(digits, 3 if args.quick else 9)),
        "sgd": ("SGD against full-batch gradient descent on digits",
                lambda: bench_sgd_vs_gd(digits, 2 if args.quick else 5)),
        "sliders": ("Sliders: one move = update + PNG render + readout, as in the notebooks",
                    lambda: bench_sliders(digits, args.quick)),
        "notebooks": ("Notebooks: headless Run-All against a bare kernel", bench_notebooks),
    }
    chosen = [args.only] if args.only else [k for k in benches if not (args.quick and k == "notebooks")]
    sections = [("Machine", table(["fact", "value"], machine_facts()))]
    sections += [(benches[k][0], benches[k][1]()) for k in chosen]
    if args.only:
        args.readme = False
    text = "\n\n".join(f"### {title}\n\n{body}" for title, body in sections)
    text = (f"Command: `{command}` (run from the repository root), "
            f"{time.perf_counter() - started:.0f} s in all.\n\n{text}")
    print(text)
    if args.readme:
        readme = README.read_text()
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
        if not pattern.search(readme):
            sys.exit(f"{README} lacks the markers {BEGIN} ... {END}")
        README.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", readme))
        print(f"\nwrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
