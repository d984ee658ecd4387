"""The Korean lectures stay in step with the English ones.

notebooks/ko/NN_name.ipynb is built by tools/translate.py from the English notebook and
notebooks/ko/translations/NN_name.ko.md. These tests fail, naming the cells, as soon as
an English markdown cell changes without its translation (stale), a cell has no
translation, or the Korean notebook differs from the English one anywhere but in the
markdown text: code, outputs, execution counts, slide metadata and widget state are the
English notebook's, so the Korean lectures print exactly what nbval checks in English.
"""
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("translate", ROOT / "tools" / "translate.py")
translate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translate)

ENGLISH = translate.english_notebooks()
ids = [p.name for p in ENGLISH]


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_lecture_has_a_korean_edition():
    assert ENGLISH, "no English notebook found"
    missing = [p.name for p in ENGLISH if not (translate.KOREAN / p.name).is_file()]
    assert missing == [], f"build them with: python tools/translate.py build  (missing: {missing})"


@pytest.mark.parametrize("english", ENGLISH, ids=ids)
def test_every_markdown_cell_translated_and_fresh(english):
    cells, report = translate.status(english)
    if report["stale"] or report["todo"] or report["missing"]:
        problem, steps = translate.next_steps(english, report)
        pytest.fail(f"{problem}. Next: {steps}")
    assert report["orphan"] == [], f"translations of cells the English notebook no longer has: {report['orphan']}"


@pytest.mark.parametrize("english", ENGLISH, ids=ids)
def test_korean_notebook_is_the_built_one(english):
    """Same code, outputs, metadata and widget state; markdown = the translation file."""
    korean = _load(translate.KOREAN / english.name)
    assert korean == translate.build(english), (
        "notebooks/ko differs from what tools/translate.py builds: run python tools/translate.py build")
    source = _load(english)
    assert len(korean["cells"]) == len(source["cells"])
    for en, ko in zip(source["cells"], korean["cells"]):
        assert (ko["id"], ko["cell_type"], ko["metadata"]) == (en["id"], en["cell_type"], en["metadata"])
        if en["cell_type"] == "code":
            assert ko == en
        else:
            assert ko["source"] != en["source"], f"cell {en['id']} is not translated"
    assert korean["metadata"].get("widgets") == source["metadata"].get("widgets")


@pytest.mark.parametrize("english", ENGLISH, ids=ids)
def test_korean_prose_is_korean(english):
    """Each translated markdown cell holds Hangul, except cells that are only maths or code."""
    korean = _load(translate.KOREAN / english.name)
    for cell in korean["cells"]:
        text = translate._source(cell)
        if cell["cell_type"] != "markdown" or not any(ch.isalpha() and ch.isascii() for ch in text):
            continue
        letters = [ch for ch in text if ch.isalpha()]
        hangul = [ch for ch in letters if "\uac00" <= ch <= "\ud7a3"]
        assert hangul, f"cell {cell['id']} has no Korean text: {text[:80]!r}"


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A throw-away copy of one English notebook and its translation file, in its own git
    repository, with every block up to date; translate.py pointed at it. The real notebooks
    and translation files are never touched."""
    english = ENGLISH[-1]
    root = tmp_path / "course"
    notebooks = root / "notebooks"
    (notebooks / "ko" / "translations").mkdir(parents=True)
    copy = notebooks / english.name
    shutil.copyfile(english, copy)
    nb = _load(copy)
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    korean = translate.read_translations(translate.translation_path(english))
    blocks = [f"<!-- cell {c['id']} en:{translate.english_hash(translate._source(c))} -->\n"
              f"{korean.get(c['id'], ('', '번역'))[1] or '번역'}\n" for c in markdown]
    (notebooks / "ko" / "translations" / f"{english.stem}.ko.md").write_text("\n".join(blocks), encoding="utf-8")
    monkeypatch.setattr(translate, "ROOT", root)
    monkeypatch.setattr(translate, "ENGLISH", notebooks)
    monkeypatch.setattr(translate, "KOREAN", notebooks / "ko")
    monkeypatch.setattr(translate, "TRANSLATIONS", notebooks / "ko" / "translations")
    _git(root, "init", "-q")
    _git(root, "add", "notebooks")
    _git(root, "commit", "-q", "-m", "English and Korean in step")
    return copy


def _change_cell(path, index, new_text):
    """Replace the text of the index-th markdown cell of a notebook file; (cell id, old text)."""
    nb = _load(path)
    cell = [c for c in nb["cells"] if c["cell_type"] == "markdown"][index]
    old = translate._source(cell)
    cell["source"] = new_text
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    return cell["id"], old


def test_a_changed_english_cell_shows_up_as_stale(project):
    """The staleness rule itself: change one English cell and its block goes stale."""
    assert translate.build(project)["cells"]
    cell_id, old = _change_cell(project, 0, "# A new title\n")
    _, report = translate.status(project)
    assert report["stale"] == [cell_id] and report["todo"] == [] and report["missing"] == []
    with pytest.raises(SystemExit, match=rf"translating older English \({cell_id}\)"):
        translate.build(project)


def test_each_message_names_the_next_step(project, capsys):
    """stale: sync, translate, build in that order; after sync: translate the todo blocks in
    the named file (not 'run sync' again); after translating: build works."""
    number = project.name[:2]
    file = f"notebooks/ko/translations/{project.stem}.ko.md"
    cell_id, _ = _change_cell(project, 1, "**What you'll do**\n\n- something new\n")

    with pytest.raises(SystemExit) as stale:
        translate.build(project)
    message = str(stale.value)
    steps = [message.index(f"python tools/translate.py sync {number}"),
             message.index(f"translate the todo blocks in {file}"),
             message.index(f"python tools/translate.py build {number}")]
    assert steps == sorted(steps), message

    assert translate.main(["sync", number]) == 0
    said = capsys.readouterr().out
    assert f"1 of " in said and cell_id in said and f"python tools/translate.py build {number}" in said
    with pytest.raises(SystemExit) as todo:
        translate.build(project)
    message = str(todo.value)
    assert f"translate the todo blocks in {file} (cells {cell_id})" in message
    assert "sync" not in message, "after sync, build must not send the maintainer back to sync"
    assert f"python tools/translate.py build {number}" in message
    assert translate.main(["status", number]) == 1
    status = capsys.readouterr().out
    assert f"todo: {cell_id}" in status and "translate the todo blocks" in status and "sync" not in status

    path = translate.translation_path(project)
    text = path.read_text(encoding="utf-8")
    marker = re.search(rf"<!-- cell {cell_id} en:\w+ -->\n", text)
    start = text.index(translate.TODO, marker.end())
    end = text.find("<!-- cell ", start)
    end = len(text) if end < 0 else end
    path.write_text(text[:start] + "**이번 시간에 할 일**\n\n- 새로운 것\n\n" + text[end:], encoding="utf-8")
    korean = translate.build(project)
    cell = next(c for c in korean["cells"] if c["id"] == cell_id)
    assert cell["source"] == "**이번 시간에 할 일**\n\n- 새로운 것", "the en comments must not reach the notebook"


def test_a_todo_block_shows_the_old_english_beside_the_new(project):
    """sync finds the English the block translated (by its hash, in git history) and shows
    it as "was", the changed lines, and the new English as "now", all in ignorable comments,
    above the old Korean; a second sync keeps them; a new cell gets only "now"."""
    nb = _load(project)
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    index = next(k for k, c in enumerate(markdown) if len(translate._source(c).splitlines()) >= 3)
    old_text = translate._source(markdown[index])
    lines = old_text.splitlines()
    new_text = "\n".join(lines[:-1] + ["A sentence that was not there before."])
    cell_id, old = _change_cell(project, index, new_text)
    old_korean = translate.read_translations(translate.translation_path(project))[cell_id][1]

    assert translate.main(["sync", project.name[:2]]) == 0
    text = translate.translation_path(project).read_text(encoding="utf-8")
    block = text[text.index(f"<!-- cell {cell_id} "):]
    block = block[:block.find("<!-- cell ", 10)] if "<!-- cell " in block[10:] else block
    assert f"<!-- en was:\n{old}\n-->" in block
    assert f"<!-- en now:\n{new_text}\n-->" in block
    assert f"- {lines[-1]}" in block and "+ A sentence that was not there before." in block
    assert block.index("en was:") < block.index("en now:") < block.index(translate.TODO) < block.index(old_korean)
    _, report = translate.status(project)
    assert report["todo"] == [cell_id] and report["stale"] == []

    assert translate.main(["sync", project.name[:2]]) == 0
    assert translate.translation_path(project).read_text(encoding="utf-8") == text, "a second sync changes nothing"

    nb = _load(project)
    nb["cells"].append({"cell_type": "markdown", "id": "newcell1", "metadata": {}, "source": "A new cell."})
    project.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    translate.main(["sync", project.name[:2]])
    text = translate.translation_path(project).read_text(encoding="utf-8")
    new_block = text[text.index("<!-- cell newcell1 "):]
    assert "en was:" not in new_block and "<!-- en now:\nA new cell.\n-->\n<!-- todo -->" in new_block
    assert translate.status(project)[1]["todo"] == [cell_id, "newcell1"]


def test_sync_says_when_the_old_english_is_not_in_history(project):
    """No commit holds the English a block translated: the block says so instead of guessing."""
    path = translate.translation_path(project)
    text = path.read_text(encoding="utf-8")
    first = translate.MARKER.search(text)
    path.write_text(text.replace(first.group(0), f"<!-- cell {first.group(1)} en:{'0' * 16} -->", 1),
                    encoding="utf-8")
    translate.main(["sync", project.name[:2]])
    assert f"<!-- en was:\n{translate.NOT_FOUND}\n-->" in path.read_text(encoding="utf-8")
