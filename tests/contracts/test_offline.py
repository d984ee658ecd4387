"""Offline: the helpers and the core of the test suite work with the network cut.

Each check runs in a fresh network namespace made by ``unshare -n`` (as root) or
``unshare -rn`` (as a user), whose only interface is a loopback that is down: no packet
can leave. Where unshare is not permitted (some containers), the tests skip, saying so;
under CI (the environment variable CI set) they fail instead.
Nothing here sends any traffic; the namespace is checked by reading /proc/self/net/dev.
"""
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The core: the unit tests of every maths module, the data and the plots (a few seconds).
# They cover each module's public functions; the property, bad-input and fault tables run
# the same functions again on more inputs and stay in the main run only (they take most of
# the time and reach nothing the unit tests do not). The notebooks, slides and browser
# tests start kernels or servers and are left out.
CORE = ["test_losses.py", "test_gradients.py", "test_optimizers.py", "test_data.py",
        "test_updates_schedules.py", "test_landscapes_plots.py"]


def _unshare_prefix():
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            ok = subprocess.run(prefix + ["true"], capture_output=True, timeout=20).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return prefix
    return None


PREFIX = _unshare_prefix()


@pytest.fixture(autouse=True)
def _namespace(require):
    """Skip (locally) or fail (under CI) where no network namespace can be made."""
    require(PREFIX is not None, "unshare -n / -rn is not permitted here, so no network "
                                "namespace can be made")


def run_offline(*argv, timeout=300):
    return subprocess.run(PREFIX + list(argv), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "MPLBACKEND": "Agg"})


SMOKE = textwrap.dedent("""
    from pathlib import Path
    rows = Path("/proc/self/net/dev").read_text().splitlines()[2:]
    interfaces = {row.split(":")[0].strip() for row in rows}
    assert interfaces == {"lo"}, f"not an isolated network namespace: {interfaces}"

    import numpy as np
    import optim_helpers
    from optim_helpers import data, gradients, losses, optimizers, widgets
    d = data.load_digits()
    W0 = np.zeros((10, 65))
    gd = optimizers.gradient_descent(lambda W: losses.softmax_loss_grad(W, d.X_train, d.y_train, 0.01),
                                     W0, 1.0, n_steps=30, keep_path=False)
    run = optimizers.sgd(lambda W, Xb, yb: losses.softmax_loss_grad(W, Xb, yb), W0, d.X_train,
                         d.y_train, 0.5, 32, n_epochs=2, rng=np.random.default_rng(0))
    acc = losses.accuracy(run.w, d.X_val, d.y_val)
    check = gradients.gradient_check(lambda W: losses.softmax_loss(W, d.X_train, d.y_train),
                                     gd.w, losses.softmax_loss_grad(gd.w, d.X_train, d.y_train)[1],
                                     rng=np.random.default_rng(0))
    panel = widgets.lr_slider_classifier(d.X_train, d.y_train, d.X_val, d.y_val, n_steps=10)
    assert bytes(panel.background.value).startswith(b"\\x89PNG") and "<svg" in panel.frame.value
    print(f"offline ok: gd {gd.status} sgd val acc {acc:.3f} max rel err {check.rel_errors.max():.1e}")
""")


def test_the_helpers_work_without_a_network():
    result = run_offline(sys.executable, "-c", SMOKE, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "offline ok" in result.stdout


@pytest.mark.slow
def test_the_unit_tests_pass_without_a_network():
    result = run_offline(sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
                         "-q", "-x", *(f"tests/unit/{name}" for name in CORE))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " skipped" not in result.stdout
