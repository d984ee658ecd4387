"""benchmarks/README.md is generated from a run, and says nothing its tables do not.

``python benchmarks/run.py --readme`` measures, keeps the raw results in
benchmarks/results.json and writes the README from them. These tests never measure
anything (they take well under a second): they regenerate the README from the recorded
results, and from fakes of them, and check that

* the committed README is exactly what ``--from-json benchmarks/results.json`` writes;
* every number in its prose appears in its tables, also when every measured value is
  different (a number typed into the prose, or left there from an older run, would not);
* the recorded run is a full one, and its best settings are chosen on validation.
"""
import copy
import importlib.util
import json
import random
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "benchmarks" / "run.py"
README = ROOT / "benchmarks" / "README.md"
RESULTS = ROOT / "benchmarks" / "results.json"

# A number as prose and tables write it: 12, 0.316, 10,800, 1e+08; not the 95 of p95 or
# the 4 of float64 (a digit right after a letter, a digit or a dot starts no number).
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?")


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results():
    return json.loads(RESULTS.read_text())


def split(text):
    """(table lines, prose lines) of a markdown text: a table line starts with '|'."""
    tables, prose = [], []
    for line in text.splitlines():
        (tables if line.lstrip().startswith("|") else prose).append(line)
    return "\n".join(tables), "\n".join(prose)


def numbers(text):
    return {m.group().rstrip(",") for m in NUMBER.finditer(text)}


def numbers_not_in_tables(text):
    """The numbers of the prose that no table of the same text shows."""
    tables, prose = split(text)
    return numbers(prose) - numbers(tables)


def fake(results, seed):
    """The recorded results with every measured float scaled by its own random factor
    (0.4 to 2.5), and every byte count (an int, or a list of ints, under a key ending in
    "bytes") too, so every time, ratio, size and p95 differs from the recorded run's."""
    rng = random.Random(seed)

    def scramble(value, key=""):
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            return value * rng.uniform(0.4, 2.5)
        if isinstance(value, int) and key.endswith("bytes"):
            return int(value * rng.uniform(0.4, 2.5))
        if isinstance(value, list):
            return [scramble(v, key) for v in value]
        if isinstance(value, dict):
            return {k: scramble(v, k) for k, v in value.items()}
        return value
    return scramble(copy.deepcopy(results))


def test_committed_readme_is_what_the_recorded_results_write(run, results):
    assert README.read_text() == run.readme_text(results), (
        "benchmarks/README.md differs from what its results.json writes: regenerate it with "
        "`python benchmarks/run.py --readme` (or --from-json benchmarks/results.json --readme)")


def test_from_json_prints_the_committed_readme(run, capsys):
    run.main(["--from-json", str(RESULTS)])
    assert capsys.readouterr().out == README.read_text()


def test_recorded_run_is_a_full_run(results):
    assert results["quick"] is False
    for key in ("losses", "naive", "numerical", "sgd", "panels", "sizes", "history", "browser", "notebooks"):
        assert results[key], key
    assert "error" not in results["browser"], results["browser"]
    assert "--quick" not in results["command"] and "--only" not in results["command"]
    assert [nb["notebook"] for nb in results["notebooks"] if "error" in nb] == []


def test_every_number_of_the_committed_prose_is_in_its_tables():
    assert numbers_not_in_tables(README.read_text()) == set()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_number_of_the_prose_comes_from_the_tables_of_any_run(run, results, seed):
    text = run.readme_text(fake(results, seed))
    assert text != README.read_text()
    assert numbers_not_in_tables(text) == set()


def test_the_check_catches_a_number_typed_into_the_prose(run, results):
    text = run.readme_text(fake(results, 4))
    tables, _ = split(text)
    stale = next(f"{x:.1f} ms" for x in (123.4, 987.6, 4321.0) if f"{x:.1f}" not in numbers(tables))
    typed = text.replace("\n## Results\n", f"\nSliders answer within {stale}.\n\n## Results\n")
    assert typed != text
    assert numbers_not_in_tables(typed) == {stale.split()[0]}


def test_the_fakes_change_the_measured_numbers(run, results):
    recorded, faked = (numbers(split(run.readme_text(r))[0]) for r in (results, fake(results, 1)))
    assert len(recorded - faked) > 0.5 * len(recorded)


def test_best_settings_are_chosen_on_validation_not_test(run, results):
    """Swap what the runs record as test accuracy for nonsense: the chosen settings stay."""
    res = results["sgd"]
    chosen = {m: run.best_on_validation(res, m) for m in ("gd", "sgd")}
    scrambled = copy.deepcopy(res)
    for setting in scrambled["settings"]:
        setting["runs"] = [None if r is None else [*r[:3], 1.0 - r[3]] for r in setting["runs"]]
    for method, setting in chosen.items():
        again = run.best_on_validation(scrambled, method)
        assert (again and (again["lr"], again["batch"])) == (setting and (setting["lr"], setting["batch"]))
    header = split(run.readme_text(results))[0]
    assert "best setting (chosen on validation accuracy)" in header
