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
    assert report["stale"] == [], (
        f"English cells changed since they were translated: {report['stale']}; "
        f"run python tools/translate.py sync {english.name[:2]} and translate the <!-- todo --> blocks")
    assert report["missing"] == [], f"cells with no translation: {report['missing']}"
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


def test_a_changed_english_cell_shows_up_as_stale(tmp_path, monkeypatch):
    """The staleness rule itself: change one English cell and its block goes stale."""
    english = ENGLISH[0]
    nb = _load(english)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    changed_dir = tmp_path / "notebooks"
    (changed_dir / "ko" / "translations").mkdir(parents=True)
    path = translate.translation_path(english)
    (changed_dir / "ko" / "translations" / path.name).write_text(
        f"<!-- cell {cell['id']} en:{translate.english_hash(translate._source(cell))} -->\n한국어\n",
        encoding="utf-8")
    cell["source"] = translate._source(cell) + " (changed)"
    (changed_dir / english.name).write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(translate, "ENGLISH", changed_dir)
    monkeypatch.setattr(translate, "KOREAN", changed_dir / "ko")
    monkeypatch.setattr(translate, "TRANSLATIONS", changed_dir / "ko" / "translations")
    _, report = translate.status(changed_dir / english.name)
    assert cell["id"] in report["stale"]
    with pytest.raises(SystemExit, match="stale"):
        translate.build(changed_dir / english.name)
