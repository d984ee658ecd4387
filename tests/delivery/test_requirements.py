"""The commands and requirement files a newcomer uses, and the CI rule for required parts.

* `require` (tests/conftest.py): a part that cannot run skips locally and fails under CI.
* `.ci/run` runs exactly the README's test command; a plain `pytest` on one test file needs
  neither nbval nor pytest-xdist; the README's command collects the notebooks with nbval.
* Dependencies by audience: students' requirements.txt holds no test or presenting tools;
  requirements-present.txt and requirements-dev.txt build on it; pyproject's dependencies
  are exactly the third-party modules the package imports.
"""
import ast
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------- require

@pytest.mark.parametrize("ci", [None, "", "0", "false", "1", "true"])
def test_require_goes_on_when_the_part_can_run(require, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert require(True, "never shown") is None


@pytest.mark.parametrize("ci", [None, "", "0", "false", "no"])
def test_require_skips_with_its_reason_outside_ci(require, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"^no chromium at /usr/bin/chromium$"):
        require(False, "no chromium at /usr/bin/chromium")


@pytest.mark.parametrize("ci", ["1", "true", "yes"])
def test_require_fails_under_ci(require, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"required under CI.*no chromium at /usr/bin/chromium"):
        require(False, "no chromium at /usr/bin/chromium")


# ----------------------------------------------------------------------------- commands

def _readme_commands():
    """The bash lines of the README's "Two commands" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, re.S)


def test_readme_has_two_commands_and_ci_runs_the_second_verbatim():
    commands = _readme_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands), commands
    open_cmd, test_cmd = commands
    assert "pip install -r requirements.txt" in open_cmd and "jupyter lab" in open_cmd
    assert "pip install -q -r requirements-dev.txt" in test_cmd
    assert test_cmd.endswith("python -m pytest -n 2 --dist loadfile")
    script = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
              if line.strip() and not line.lstrip().startswith("#")]
    assert script[-1] == test_cmd
    assert 'export CI="${CI:-1}"' in script


def _pytest(*args, env=None, timeout=120):
    env = {**{k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_one_test_file_runs_without_nbval_or_xdist():
    result = _pytest("-p", "no:nbval", "-p", "no:xdist", "-q", "tests/unit/test_updates_schedules.py")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout) and "skipped" not in result.stdout


@pytest.mark.parametrize("ci", [None, "1"])
def test_a_notebook_without_nbval_skips_saying_so_or_fails_under_ci(ci):
    args = ("-p", "no:nbval", "-p", "no:xdist", "-q", "-rs", "notebooks/01_random_search.ipynb")
    result = _pytest(*args, env={"CI": ci} if ci else {})
    if ci:
        assert result.returncode == 1 and "required under CI" in result.stdout, result.stdout[-2000:]
    else:
        assert result.returncode == 0 and "1 skipped" in result.stdout, result.stdout[-2000:]
        assert "nbval is not installed" in result.stdout


def test_both_conftests_agree_on_what_ci_means(monkeypatch):
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    root = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root)
    from_tests = importlib.util.spec_from_file_location("tests_conftest", ROOT / "tests" / "conftest.py")
    tests = importlib.util.module_from_spec(from_tests)
    from_tests.loader.exec_module(tests)
    for value in (None, "", "0", "false", "no", "FALSE", "1", "true", "yes", "github"):
        if value is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", value)
        assert root.on_ci() == tests.on_ci(), value


def test_the_readme_command_collects_the_notebooks_with_nbval_and_xdist():
    # The README's pytest arguments, collecting only: a notebook becomes nbval cells.
    result = _pytest("-n", "2", "--dist", "loadfile", "--collect-only", "-q",
                     "notebooks/01_random_search.ipynb", "tests/unit/test_updates_schedules.py")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"notebooks/01_random_search\.ipynb::Cell \d+", result.stdout), result.stdout[-2000:]
    assert "test_updates_schedules.py::" in result.stdout


# ----------------------------------------------------------------------------- requirement files

def _requirements(name):
    """(names of the packages, files it includes with -r, editable lines) of a requirement file."""
    packages, includes, editables = set(), [], []
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            includes.append(line[3:].strip())
        elif line.startswith("-e "):
            editables.append(line[3:].strip())
        else:
            packages.add(re.split(r"[~=<>!\[ ;]", line, maxsplit=1)[0].lower())
    return packages, includes, editables


TEST_TOOLS = {"pytest", "nbval", "pytest-xdist", "hypothesis", "playwright", "nbgitpuller"}
PRESENTING = {"jupyterlab-slideshow", "nbconvert"}


def test_students_get_what_runs_the_lectures_and_nothing_more():
    packages, includes, editables = _requirements("requirements.txt")
    assert packages == {"numpy", "matplotlib", "jupyterlab", "ipywidgets", "ipykernel", "threadpoolctl"}
    assert includes == [] and editables == ["."]


def test_presenting_and_testing_build_on_the_students_file():
    present, present_includes, _ = _requirements("requirements-present.txt")
    assert present == PRESENTING and present_includes == ["requirements.txt"]
    dev, dev_includes, _ = _requirements("requirements-dev.txt")
    assert TEST_TOOLS <= dev
    assert dev_includes == ["requirements-present.txt", "requirements-site.txt"]
    assert (ROOT / "requirements-site.txt").is_file()


def _third_party_imports():
    """Top-level names of the non-standard-library modules optim_helpers imports."""
    names = set()
    for path in (ROOT / "optim_helpers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "optim_helpers"}


def test_the_package_depends_on_exactly_what_it_imports():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {re.split(r"[~=<>!\[ ;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    optional = {re.split(r"[~=<>!\[ ;]", d, maxsplit=1)[0].lower()
                for extra in project.get("optional-dependencies", {}).values() for d in extra}
    imported = _third_party_imports()
    assert imported == declared | optional, f"imported {sorted(imported)}, declared {sorted(declared | optional)}"
    assert optional == {"tqdm"}           # only numerical_gradient(progress=True) needs it
    assert "pillow" not in declared       # slider frames are encoded with zlib, not PIL
