"""Determinism: every notebook, run twice in two fresh kernels, prints the same text.

nbval checks one run against the stored outputs; this checks that two fresh runs agree
with each other, so a stored output cannot be a lucky draw. The two kernels run at the
same time (one per core). Compared per code cell: stdout and stderr, and the text/plain,
text/html and text/markdown of results and displays, after notebooks/sanitize.cfg's rules
(the timing labels); cells marked ``# NBVAL_IGNORE_OUTPUT`` (or tagged
nbval-ignore-output) are skipped, as nbval skips them.
"""
import asyncio
import copy
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9]*.ipynb"))
TEXT_KEYS = ("text/plain", "text/html", "text/markdown")
# The same settings as tools/regenerate_notebooks.sh, which stores the outputs.
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}


def sanitize_rules(path=NOTEBOOK_DIR / "sanitize.cfg"):
    """(compiled regex, replacement) pairs from nbval's sanitize file."""
    rules, pattern = [], None
    for line in path.read_text().splitlines():
        if line.startswith("regex: "):
            pattern = re.compile(line[len("regex: "):])
        elif line.startswith("replace: ") and pattern is not None:
            rules.append((pattern, line[len("replace: "):]))
            pattern = None
    return rules


def ignored(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return "NBVAL_IGNORE_OUTPUT" in cell.source or "nbval-ignore-output" in tags


def text_outputs(nb, rules):
    """{cell index: [(kind, text), ...]} for every code cell whose output is compared."""
    found = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or ignored(cell):
            continue
        texts = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                if texts and texts[-1][0] == out.name:          # chunks of one stream:
                    texts[-1] = (out.name, texts[-1][1] + out.text)   # timing splits them
                else:
                    texts.append((out.name, out.text))
            elif out.output_type in ("execute_result", "display_data"):
                texts += [(key, out.data[key]) for key in TEXT_KEYS if key in out.data]
            elif out.output_type == "error":
                texts.append(("error", f"{out.ename}: {out.evalue}"))
        for k, (kind, text) in enumerate(texts):
            for pattern, replacement in rules:
                text = pattern.sub(replacement, text)
            texts[k] = (kind, text)
        found[index] = texts
    return found


async def _run_twice(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    runs = [copy.deepcopy(nb), copy.deepcopy(nb)]
    clients = [NotebookClient(run, timeout=120, kernel_name="python3", record_timing=False,
                              resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
               for run in runs]
    await asyncio.gather(*(client.async_execute() for client in clients))
    return runs


@pytest.mark.slow
@pytest.mark.skipif(not NOTEBOOKS, reason="notebooks/ has no lecture notebook yet")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_two_fresh_runs_print_the_same(path, monkeypatch):
    for name, value in KERNEL_ENV.items():
        monkeypatch.setenv(name, value)
    first, second = asyncio.run(_run_twice(path))
    rules = sanitize_rules()
    a, b = text_outputs(first, rules), text_outputs(second, rules)
    assert a.keys() == b.keys()
    assert any(a.values()), f"{path.name}: no text output compared at all"
    for index in a:
        assert a[index] == b[index], (
            f"{path.name}, cell {index}: two fresh runs printed different text\n"
            f"first:  {a[index]!r}\nsecond: {b[index]!r}\nsource:\n{first.cells[index].source}")
