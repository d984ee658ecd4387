"""Benchmarks of optim_helpers and the notebooks: where a student waits, how long, and against what.

Usage (from the repository root):

    python benchmarks/run.py            # print the tables (1 to 4 minutes on 2 cores)
    python benchmarks/run.py --readme   # ... and write them into benchmarks/README.md
    python benchmarks/run.py --quick    # fewer repeats, no notebooks (a smoke run)

Every figure is a ratio of two things measured side by side in the same run (their
repeats interleaved, so a busy neighbour slows both alike), printed with the absolute
medians. Not part of the test suite: nothing here passes or fails.
"""
import argparse
import asyncio
import datetime
import os
import platform
import re
import statistics
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


def bench_loss_vs_floor(digits, repeats):
    """loss + gradient against the two matrix products they need."""
    shapes = [("digits (N 1200, D 65)", digits.X_train, digits.y_train,
               np.random.default_rng(0).standard_normal((10, 65)) * 1e-3, repeats),
              ("CIFAR-10 shape (N 2000, D 3073), synthetic", *problem(2000, 3073)[1:], problem(2000, 3073)[0],
               max(repeats // 20, 15))]
    rows = []
    for label, X, y, W, reps in shapes:
        dS = np.random.default_rng(1).standard_normal((len(y), W.shape[0]))
        S = np.ascontiguousarray(dS.T)
        t = side_by_side({
            "floor": lambda: (X @ W.T, dS.T @ X),
            "exp": lambda: np.exp(S),
            "svm": lambda: losses.svm_loss_grad(W, X, y, 0.1),
            "softmax": lambda: losses.softmax_loss_grad(W, X, y, 0.1),
        }, reps)
        for name in ("svm", "softmax"):
            rows.append((label, f"{name}_loss_grad", fmt_time(t[name]), fmt_time(t["floor"]),
                         f"{t[name] / t['floor']:.2f}x", "<= 1.3x", fmt_time(t["exp"]),
                         f"{t['exp'] / t['floor']:.2f}x"))
    return table(["size", "function", "median", "floor: X @ W.T + dS.T @ X", "ratio", "target",
                  "one np.exp over the N x C scores", "exp / floor"], rows)


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

def bench_sgd_vs_gd(digits, repeats, target=0.95, reg=1e-3):
    """Optimizer wall-clock (History.seconds, evaluation excluded) until test accuracy >= target.

    Each method gets a small grid of settings; the table shows the fastest of each.
    """
    X, y, Xt, yt = digits.X_train, digits.y_train, digits.X_test, digits.y_test
    W0 = np.zeros((10, 65))

    def acc(W):
        return losses.accuracy(W, Xt, yt)

    def gd_run(lr):
        h = optimizers.gradient_descent(lambda W: losses.softmax_loss_grad(W, X, y, reg), W0, lr,
                                        n_steps=600)
        hits = [k for k, W in enumerate(h.path) if acc(W) >= target]
        if not hits:
            return None
        k = hits[0]
        return h.seconds[k], k, k * len(y)

    def sgd_run(lr, batch, seed):
        h = optimizers.sgd(lambda W, Xb, yb: losses.softmax_loss_grad(W, Xb, yb, reg), W0, X, y, lr,
                           batch, n_epochs=30, rng=np.random.default_rng(seed), eval_fn=acc,
                           eval_every=5)
        hits = np.nonzero(h.eval_losses >= target)[0]
        if not len(hits):
            return None
        step = int(h.eval_steps[hits[0]])
        return (h.seconds[step - 1] if step else 0.0), step, step * batch

    def best(runs):
        done = [(statistics.median(r[0] for r in rs), rs[0][1], rs[0][2], label)
                for label, rs in runs.items() if all(r is not None for r in rs)]
        return min(done) if done else None

    gd = best({f"lr {lr}": [gd_run(lr) for _ in range(repeats)] for lr in (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)})
    sgd = best({f"lr {lr}, batch {m}": [sgd_run(lr, m, s) for s in range(repeats)]
                for lr in (0.3, 1.0, 3.0, 10.0) for m in (16, 32, 128)})
    rows = []
    for name, res in (("full-batch gradient descent", gd), ("minibatch SGD", sgd)):
        if res is None:
            rows.append((name, "-", "never reached", "-", "-"))
        else:
            rows.append((name, res[3], fmt_time(res[0]), res[1], f"{res[2]:,}"))
    ratio = f"{gd[0] / sgd[0]:.1f}x" if gd and sgd else "-"
    return (table(["method", "best setting", f"wall-clock to {target:.0%} test accuracy", "steps",
                   "examples seen"], rows)
            + f"\n\nSGD reaches {target:.0%} test accuracy {ratio} sooner than full-batch gradient "
              f"descent (softmax, reg = {reg}, W starts at 0; SGD times are medians over "
              f"{repeats} seeds; optimizer time only, the accuracy checks excluded).")


# ----------------------------------------------------------------------------- sliders

def _sweep(panel, name, values):
    times = []
    for v in values:
        start = time.perf_counter()
        panel.sliders[name].value = v          # runs update + PNG render + readout, synchronously
        times.append(time.perf_counter() - start)
    return times


def _log_positions(slider):
    """Every position of a FloatLogSlider: 10 ** (min, min + step, ..., max)."""
    exps = np.arange(slider.min, slider.max + slider.step / 2, slider.step)
    return [float(10 ** e) for e in exps]


def bench_sliders(digits):
    import matplotlib
    matplotlib.use("Agg")
    from optim_helpers import widgets
    X, y, Xv, yv = digits.X_train, digits.y_train, digits.X_val, digits.y_val
    reg = 0.05                                           # as notebooks 03 and 04
    rows = []

    def row(label, times, target):
        p50, p95 = np.percentile(np.array(times) * 1e3, [50, 95])
        rows.append((label, len(times), f"{p50:.0f} ms", f"{p95:.0f} ms", target,
                     "met" if p95 <= float(target.split()[1]) else "MISSED"))

    panel = widgets.lr_slider_landscape("mountain", lr=0.1, lr_min=1e-3, lr_max=30.0, n_steps=50)
    lrs = _log_positions(panel.sliders["lr"])
    for name in ("mountain", "bowl", "ravine"):
        panel.sliders["landscape"].value = name           # first visit builds the view: not timed
        times = _sweep(panel, "lr", lrs[::-1] if panel.sliders["lr"].value == lrs[-1] else lrs)
        row(f"landscape lr ({name}, 50 steps)", times, "<= 100 ms")
    panel = widgets.lr_slider_classifier(X, y, Xv, yv, reg=reg, lr=1.0, lr_min=1e-3, lr_max=100.0,
                                         n_steps=60)
    row("classifier lr (digits, 60 full-batch steps)", _sweep(panel, "lr", _log_positions(panel.sliders["lr"])),
        "<= 250 ms")
    panel = widgets.sgd_sliders(X, y, Xv, yv, reg=reg, lr=0.3, batch_size=32, lr_min=1e-3,
                                lr_max=100.0, n_steps=100, eval_every=10, seed=0)
    lr_times = _sweep(panel, "lr", _log_positions(panel.sliders["lr"]))
    batch_times = _sweep(panel, "batch_size", [b for b in panel.sliders["batch_size"].options if b != 32] + [32])
    row("SGD lr (digits, 100 steps, batch 32)", lr_times, "<= 250 ms")
    row("SGD batch size (lr 1e2 .. 1e-3 sweep end, all sizes)", batch_times, "<= 250 ms")
    return table(["slider (update + PNG render + readout)", "moves", "p50", "p95", "target", ""], rows)


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
                    lambda: bench_sliders(digits)),
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
