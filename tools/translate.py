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
it until the translation is brought up to date, in three steps:

    python tools/translate.py status            # per notebook: translated, stale, todo, missing
    python tools/translate.py sync NN           # 1. rewrite NN's translation file in cell order:
                                                #    each stale or missing block gets the new
                                                #    hash; as comments, the English it translated
                                                #    ("was", found in git history), the changed
                                                #    lines and the English it must now say
                                                #    ("now"); the old Korean and a todo line
    (edit notebooks/ko/translations/NN_*.ko.md) # 2. translate each <!-- todo --> block to the
                                                #    "now" English and delete its todo line
    python tools/translate.py build [NN ...]    # 3. write notebooks/ko/*.ipynb (refuses stale,
                                                #    todo and missing translations)

A todo block looks like this; the <!-- en ... --> comments may stay (they are ignored, and
the next sync drops them from translated blocks):

    <!-- cell a606c7da en:5d1e... -->
    <!-- en was:
    Random search: guess W 1000 times.
    -->
    <!-- en changed:
    - Random search: guess W 1000 times.
    + Random search: draw W at random 1000 times.
    -->
    <!-- en now:
    Random search: draw W at random 1000 times.
    -->
    <!-- todo -->
    랜덤 서치: `W`를 1000번 짐작하기.

NN is a notebook's number (01) or file name. Standard library only.
"""
import copy
import difflib
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "notebooks"
KOREAN = ENGLISH / "ko"
TRANSLATIONS = KOREAN / "translations"
MARKER = re.compile(r"^<!-- cell (\S+) en:([0-9a-f]{16}) -->[ \t]*$", re.MULTILINE)
ENGLISH_COMMENT = re.compile(r"\A(?:<!-- en(?: was:| changed:| now:)?\n.*?\n-->\n?)+", re.DOTALL)
TODO = "<!-- todo -->"
NOT_FOUND = "(not found: the English this block translated is in no commit of the English notebook)"


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


def read_blocks(path):
    """{cell id: (english hash, English comments, Korean text)} from a translation file.

    The comments are the block's leading <!-- en ... --> comments ('' if none); the text
    keeps a <!-- todo --> line if it has one (so it counts as not done)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(MARKER.finditer(text))
    found = {}
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        body = text[mark.end():end].lstrip("\n")
        comments = ENGLISH_COMMENT.match(body)
        comments = comments.group(0) if comments else ""
        if mark.group(1) in found:
            raise SystemExit(f"translate: {path.name} translates cell {mark.group(1)} twice")
        found[mark.group(1)] = (mark.group(2), comments, body[len(comments):].rstrip("\n"))
    return found


def read_translations(path):
    """{cell id: (english hash, Korean text)} from a translation file (empty if none)."""
    return {cid: (digest, korean) for cid, (digest, _, korean) in read_blocks(path).items()}


def status(english):
    """(markdown cells, {'ok', 'stale', 'todo', 'missing', 'orphan': [cell ids]}).

    stale: the block translates older English (run sync); todo: the block has the current
    hash and a <!-- todo --> line (sync has run; translate it); missing: no block, or an
    empty one without a todo line (run sync); orphan: blocks for cells no longer there."""
    nb = json.loads(english.read_text(encoding="utf-8"))
    done = read_translations(translation_path(english))
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    report = {"ok": [], "stale": [], "todo": [], "missing": [], "orphan": []}
    for cell in cells:
        entry = done.get(cell["id"])
        if entry is None:
            report["missing"].append(cell["id"])
        elif entry[0] != english_hash(_source(cell)):
            report["stale"].append(cell["id"])
        elif TODO in entry[1]:
            report["todo"].append(cell["id"])
        elif not entry[1].strip():
            report["missing"].append(cell["id"])
        else:
            report["ok"].append(cell["id"])
    ids = {c["id"] for c in cells}
    report["orphan"] = [cid for cid in done if cid not in ids]
    return cells, report


def _relative(path):
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


def next_steps(english, report):
    """(what is wrong, what to do next in order) for a notebook that is not ready to build."""
    number = english.name[:2]
    file = _relative(translation_path(english))
    build_step = f"`python tools/translate.py build {number}`"
    if report["stale"] or report["missing"]:
        parts = []
        if report["stale"]:
            parts.append(f"{len(report['stale'])} translating older English ({' '.join(report['stale'])})")
        if report["missing"]:
            parts.append(f"{len(report['missing'])} with no translation ({' '.join(report['missing'])})")
        if report["todo"]:
            parts.append(f"{len(report['todo'])} already marked todo ({' '.join(report['todo'])})")
        return ("; ".join(parts),
                f"1. `python tools/translate.py sync {number}`; 2. translate the todo blocks in {file} "
                f"(each shows the English it was and is now; delete each <!-- todo --> line); 3. {build_step}")
    return (f"{len(report['todo'])} blocks marked todo ({' '.join(report['todo'])})",
            f"translate the todo blocks in {file} (cells {' '.join(report['todo'])}): write the Korean "
            f"for the \"now\" English and delete the <!-- todo --> line; then run {build_step}")


def build(english):
    """The Korean notebook for an English one (a dict); SystemExit if any cell is not ready."""
    cells, report = status(english)
    if report["stale"] or report["todo"] or report["missing"]:
        problem, steps = next_steps(english, report)
        raise SystemExit(f"translate: {english.name}: {problem}. Next: {steps}")
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


def git_english_history(english, limit=200):
    """{cell id: {english hash: text}} of the markdown cells in the English notebook's commits.

    Newest first, at most `limit` commits; empty if git or the history is not there."""
    try:
        relative = english.resolve().relative_to(ROOT)
        log = subprocess.run(["git", "-C", str(ROOT), "log", f"-n{limit}", "--format=%H", "--", str(relative)],
                             capture_output=True, text=True, check=True).stdout.split()
    except (ValueError, OSError, subprocess.CalledProcessError):
        return {}
    found = {}
    for commit in log:
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{relative.as_posix()}"],
                               capture_output=True, check=False)
        if shown.returncode:
            continue
        try:
            cells = json.loads(shown.stdout.decode("utf-8"))["cells"]
        except (ValueError, KeyError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "markdown" and "id" in cell:
                text = _source(cell)
                found.setdefault(cell["id"], {}).setdefault(english_hash(text), text)
    return found


def english_comments(old, new):
    """The ignorable comments a todo block carries: the English it was (if any), the lines
    that changed (- was, + now) and the English it is now."""
    if old is None:
        return f"<!-- en now:\n{new}\n-->\n"
    changed = [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:2] in ("- ", "+ ")]
    return (f"<!-- en was:\n{old}\n-->\n" + (f"<!-- en changed:\n" + "\n".join(changed) + "\n-->\n" if changed else "")
            + f"<!-- en now:\n{new}\n-->\n")


def synced_text(english, history=None):
    """The translation file rewritten in cell order, pending blocks marked <!-- todo -->.

    A stale block shows the English it translated ("was", looked up by its hash in
    `history`, by default the English notebook's git history) and the current English
    ("now"). A block already marked todo for the current English keeps its comments."""
    cells, report = status(english)
    blocks_before = read_blocks(translation_path(english))
    pending = set(report["stale"]) | set(report["missing"])
    if history is None and report["stale"]:
        history = git_english_history(english)
    blocks = []
    for cell in cells:
        text = _source(cell)
        digest, comments, old = blocks_before.get(cell["id"], (None, "", ""))
        if cell["id"] in pending:
            old = old.replace(TODO + "\n", "").replace(TODO, "")
            was = None
            if digest is not None and cell["id"] in report["stale"]:
                was = (history or {}).get(cell["id"], {}).get(digest, NOT_FOUND)
            blocks.append(f"<!-- cell {cell['id']} en:{english_hash(text)} -->\n"
                          f"{english_comments(was, text)}{TODO}\n{old}\n")
        elif cell["id"] in report["todo"]:
            blocks.append(f"<!-- cell {cell['id']} en:{digest} -->\n{comments}{old}\n")
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
                  f"{len(report['stale'])} stale, {len(report['todo'])} todo, {len(report['missing'])} missing"
                  + (f", {len(report['orphan'])} for cells no longer there" if report["orphan"] else ""))
            for kind in ("stale", "todo", "missing"):
                if report[kind]:
                    print(f"  {kind}: {' '.join(report[kind])}")
            if report["stale"] or report["todo"] or report["missing"]:
                print("  next: " + next_steps(english, report)[1])
            problems += len(report["stale"]) + len(report["todo"]) + len(report["missing"])
        elif command == "sync":
            path = translation_path(english)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(synced_text(english), encoding="utf-8")
            cells, report = status(english)
            print(f"translate: {_relative(path)}: {len(report['todo'])} of {len(cells)} blocks to translate "
                  f"(marked {TODO})" + (f": {' '.join(report['todo'])}; then run "
                                        f"`python tools/translate.py build {english.name[:2]}`"
                                        if report["todo"] else ""))
        else:
            target = KOREAN / english.name
            write_notebook(build(english), target)
            print(f"translate: wrote {target.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
