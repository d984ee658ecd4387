#!/usr/bin/env python3
"""Build the Korean notebooks from the English ones plus one translation file each.

The English notebooks in notebooks/ are the one source of code, outputs, widget state and
slide metadata. A Korean notebook, notebooks/ko/NN_name.ipynb, is the English notebook
with every markdown cell's text (speaker notes included) replaced by its translation;
code cells, outputs and metadata are copied unchanged, so the Korean lectures print
exactly what the English ones print.

Translations live in notebooks/ko/translations/NN_name.ko.md, one block per markdown cell,
keyed by the English cell's id and a hash of the English text it translates:

    <!-- cell a606c7da en:1f3c9e0b2d4a6c8e -->
    # 무작위로 좋은 가중치 찾기
    ...

When an English cell changes, its hash changes and the block is *stale*: `build` refuses
it until the translation is brought up to date. Commands:

    python tools/translate.py status            # per notebook: translated, stale, missing
    python tools/translate.py sync NN           # rewrite NN's translation file in cell order:
                                                # each stale or missing block gets the new
                                                # hash, the English text as a comment, the
                                                # old Korean (if any) and a <!-- todo --> line
    python tools/translate.py build [NN ...]    # write notebooks/ko/*.ipynb (refuses stale,
                                                # missing or todo translations)

After `sync`, translate each block that has a <!-- todo --> line, then delete that line
(the <!-- en ... --> comment may stay: it is ignored).

NN is a notebook's number (01) or file name. Standard library only.
"""
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "notebooks"
KOREAN = ENGLISH / "ko"
TRANSLATIONS = KOREAN / "translations"
MARKER = re.compile(r"^<!-- cell (\S+) en:([0-9a-f]{16}) -->[ \t]*$", re.MULTILINE)
ENGLISH_COMMENT = re.compile(r"\A<!-- en\n.*?\n-->\n?", re.DOTALL)
TODO = "<!-- todo -->"


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def english_hash(text):
    """The first 16 hex digits of the SHA-256 of an English cell's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def english_notebooks(names=()):
    """The English notebooks NN_*.ipynb, or those named by number or file name."""
    every = sorted(ENGLISH.glob("[0-9]*.ipynb"))
    if not names:
        return every
    picked = []
    for name in names:
        match = [p for p in every if p.name == name or p.name.startswith(f"{name}_") or p.stem == name]
        if not match:
            raise SystemExit(f"translate: no English notebook called {name!r}")
        picked += match
    return picked


def translation_path(english):
    return TRANSLATIONS / f"{english.stem}.ko.md"


def read_translations(path):
    """{cell id: (english hash, Korean text)} from a translation file (empty if none).

    The text keeps a <!-- todo --> line if it has one (so it counts as not done)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(MARKER.finditer(text))
    found = {}
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        body = ENGLISH_COMMENT.sub("", text[mark.end():end].lstrip("\n"))
        if mark.group(1) in found:
            raise SystemExit(f"translate: {path.name} translates cell {mark.group(1)} twice")
        found[mark.group(1)] = (mark.group(2), body.rstrip("\n"))
    return found


def status(english):
    """(markdown cells, {'ok': [...], 'stale': [...], 'missing': [...], 'orphan': [...]})."""
    nb = json.loads(english.read_text(encoding="utf-8"))
    done = read_translations(translation_path(english))
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    report = {"ok": [], "stale": [], "missing": [], "orphan": []}
    for cell in cells:
        entry = done.get(cell["id"])
        if entry is None or not entry[1].replace(TODO, "").strip():
            report["missing"].append(cell["id"])
        elif entry[0] != english_hash(_source(cell)) or TODO in entry[1]:
            report["stale"].append(cell["id"])
        else:
            report["ok"].append(cell["id"])
    ids = {c["id"] for c in cells}
    report["orphan"] = [cid for cid in done if cid not in ids]
    return cells, report


def build(english):
    """The Korean notebook for an English one (a dict); SystemExit if any cell is not ready."""
    cells, report = status(english)
    if report["stale"] or report["missing"]:
        raise SystemExit(f"translate: {english.name}: {len(report['stale'])} stale and "
                         f"{len(report['missing'])} missing translations; run "
                         f"`python tools/translate.py sync {english.name[:2]}`")
    done = read_translations(translation_path(english))
    nb = json.loads(english.read_text(encoding="utf-8"))
    korean = copy.deepcopy(nb)
    for cell in korean["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = done[cell["id"]][1]
    korean["metadata"]["language_info"] = {**nb["metadata"].get("language_info", {})}
    korean["metadata"]["translated_from"] = {"notebook": f"../{english.name}", "language": "ko"}
    return korean


def write_notebook(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def synced_text(english):
    """The translation file rewritten in cell order, pending blocks marked <!-- todo -->."""
    cells, report = status(english)
    done = read_translations(translation_path(english))
    pending = set(report["stale"]) | set(report["missing"])
    blocks = []
    for cell in cells:
        text = _source(cell)
        old = done.get(cell["id"], (None, ""))[1]
        if cell["id"] in pending:
            old = old.replace(TODO + "\n", "").replace(TODO, "")
            blocks.append(f"<!-- cell {cell['id']} en:{english_hash(text)} -->\n"
                          f"<!-- en\n{text}\n-->\n{TODO}\n{old}\n")
        else:
            blocks.append(f"<!-- cell {cell['id']} en:{english_hash(text)} -->\n{old}\n")
    return "\n".join(blocks)


def main(argv):
    if not argv or argv[0] not in ("status", "sync", "build"):
        print(__doc__)
        return 2
    command, names = argv[0], argv[1:]
    problems = 0
    for english in english_notebooks(names):
        if command == "status":
            cells, report = status(english)
            print(f"{english.name}: {len(report['ok'])}/{len(cells)} translated, "
                  f"{len(report['stale'])} stale, {len(report['missing'])} missing"
                  + (f", {len(report['orphan'])} for cells no longer there" if report["orphan"] else ""))
            for kind in ("stale", "missing"):
                if report[kind]:
                    print(f"  {kind}: {' '.join(report[kind])}")
            problems += len(report["stale"]) + len(report["missing"])
        elif command == "sync":
            path = translation_path(english)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(synced_text(english), encoding="utf-8")
            cells, report = status(english)
            print(f"translate: {path.relative_to(ROOT)}: {len(report['stale']) + len(report['missing'])} "
                  f"of {len(cells)} blocks to translate (marked {TODO})")
        else:
            target = KOREAN / english.name
            write_notebook(build(english), target)
            print(f"translate: wrote {target.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
