"""Installing and importing the package the way a user does.

* Importing the maths (losses, gradients, optimizers, data, ...) loads neither matplotlib
  nor ipywidgets; plots and widgets still load on first use.
* A wheel built from this repository, installed into a fresh virtual environment on every
  Python of pyproject.toml's classifiers (with the pinned numpy and threadpoolctl only), finds
  the shipped digits and their split from a folder outside the repository and runs a loss
  and its gradient (slow: a wheel and three environments, packages from the registry or
  pip's cache). A missing Python skips locally and fails under CI.
"""
import functools
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# What a build of the package reads (pyproject's readme, license-files, packages, package-dir).
PACKAGE_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "optim_helpers", "data")
MATHS = ("optim_helpers", "optim_helpers.data", "optim_helpers.losses", "optim_helpers.gradients",
         "optim_helpers.optimizers", "optim_helpers.updates", "optim_helpers.schedules",
         "optim_helpers.landscapes", "optim_helpers.readout", "optim_helpers.safe_metrics",
         "optim_helpers.sliders")
HEAVY = ("matplotlib", "ipywidgets")

# Run by a fresh interpreter: import the maths modules one by one, failing on the first
# that brings in a heavy library.
ISOLATION = textwrap.dedent(f"""
    import importlib, sys
    for name in {MATHS!r}:
        importlib.import_module(name)
        heavy = [m for m in {HEAVY!r} if m in sys.modules]
        assert not heavy, f"import {{name}} imported {{heavy}}"
""")


def _run(args, cwd, timeout=300):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_importing_the_maths_loads_neither_matplotlib_nor_ipywidgets():
    # From the repository root, so the source tree is what is imported.
    _run([sys.executable, "-c", ISOLATION + textwrap.dedent("""
        import optim_helpers
        from optim_helpers import plots                   # lazy, and still importable by name
        assert "matplotlib" in sys.modules and optim_helpers.plots is plots
        for name in optim_helpers._LAZY:                   # every lazy module resolves
            assert getattr(optim_helpers, name).__name__.startswith("optim_helpers.")
            assert name in dir(optim_helpers) and name in optim_helpers.__all__
        assert "ipywidgets" in sys.modules
        try:
            optim_helpers.no_such_module
        except AttributeError as err:
            assert "no_such_module" in str(err)
        else:
            raise AssertionError("optim_helpers.no_such_module did not raise AttributeError")
    """)], cwd=ROOT)


# ----------------------------------------------------------------------------- install a wheel

def _python_versions():
    """Every "Programming Language :: Python :: 3.X" classifier of pyproject.toml, as (3, X)."""
    tag = "Programming Language :: Python :: 3."
    minors = [int(c[len(tag):]) for c in PYPROJECT["project"]["classifiers"]
              if c.startswith(tag) and c[len(tag):].isdigit()]
    return sorted({(3, minor) for minor in minors})


def _find_python(version):
    """An interpreter of this version: the running one, pythonX.Y on PATH, or pyenv's; else None."""
    if sys.version_info[:2] == version:
        return sys.executable
    name = f"python{version[0]}.{version[1]}"
    pyenv = os.path.expanduser(os.environ.get("PYENV_ROOT", "~/.pyenv"))
    pattern = f"{pyenv}/versions/{version[0]}.{version[1]}.*/bin/{name}"
    candidates = [shutil.which(name), *sorted(glob.glob(pattern))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True)     # a pyenv shim may refuse
        if probe.returncode == 0 and probe.stdout.strip() == str(version):
            return candidate
    return None


def _pins(*names):
    """The requirements.txt lines for these packages (the versions the lectures pin)."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line for line in lines if line.split("~=")[0].strip().lower() in names]


def _pip_version():
    import pip
    return tuple(int(part) for part in pip.__version__.split(".")[:2])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build one wheel, on first call, from a copy of the sources (the checkout stays clean)."""
    @functools.cache
    def build():
        src = tmp_path_factory.mktemp("src")
        for name in PACKAGE_SOURCES:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(ROOT / name, src / name)
        dist = tmp_path_factory.mktemp("dist")
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src], cwd=src)
        (built,) = dist.glob("optim_helpers-*.whl")
        return built
    return build


# Run in the fresh environment, from a folder outside the repository.
USE_THE_WHEEL = ISOLATION + textwrap.dedent("""
    import hashlib
    from pathlib import Path
    import numpy as np
    import optim_helpers
    from optim_helpers import data, gradients, losses
    prefix = Path(sys.prefix).resolve()
    assert prefix in Path(optim_helpers.__file__).resolve().parents, optim_helpers.__file__
    assert prefix in Path(data.DIGITS_PATH).resolve().parents, data.DIGITS_PATH
    assert prefix in Path(data.DIGITS_ORDER_PATH).resolve().parents, data.DIGITS_ORDER_PATH
    d = data.load_digits()
    assert (d.X_train.shape, d.X_val.shape, d.X_test.shape) == ((1200, 65), (300, 65), (297, 65))
    assert hashlib.sha256(d.y_train.tobytes()).hexdigest() == Y_TRAIN_SHA256    # the same split
    X, y = d.X_train[:50], d.y_train[:50]
    W = np.random.default_rng(0).standard_normal((10, 65)) * 0.1
    loss, dW = losses.softmax_loss_grad(W, X, y, 0.1)
    numeric = gradients.numerical_gradient(lambda w: losses.softmax_loss(w, X, y, 0.1), W)
    assert np.isfinite(loss) and dW.shape == W.shape and gradients.relative_error(dW, numeric) < 1e-6
    print(sys.version_info[:2], "ok")
""")


def _use_the_wheel():
    """The script, with the training labels' digest of this checkout's split filled in."""
    from optim_helpers.data import load_digits
    digest = hashlib.sha256(load_digits().y_train.tobytes()).hexdigest()
    return USE_THE_WHEEL.replace("== Y_TRAIN_SHA256", f"== {digest!r}")


@pytest.mark.slow
@pytest.mark.parametrize("version", _python_versions(), ids=lambda v: f"python{v[0]}.{v[1]}")
def test_the_wheel_installs_and_finds_its_data_from_another_folder(wheel, version, tmp_path, require):
    python = _find_python(version)
    name = f"python{version[0]}.{version[1]}"
    require(python is not None, f"no {name} on this machine (looked at the running interpreter, "
                                f"{name} on PATH and pyenv's versions)")
    require(_pip_version() >= (22, 3), f"pip {_pip_version()} is older than 22.3, which added --python")
    venv = tmp_path / "venv"
    _run([python, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    venv_python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The running pip installs into the new environment (no ensurepip: saves seconds). Only
    # the wheel, the pinned numpy and threadpoolctl (sliders): the maths needs nothing else,
    # and with matplotlib and ipywidgets absent, importing either would fail the script
    # (import isolation).
    _run([sys.executable, "-m", "pip", "--python", venv_python, "install", "-q", "--no-compile",
          "--no-deps", wheel(), *_pins("numpy", "threadpoolctl")], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = _run([venv_python, "-I", "-c", _use_the_wheel()], cwd=elsewhere)
    assert out.strip() == f"{version} ok"
