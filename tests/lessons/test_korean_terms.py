"""The Korean notebooks write each key term one way, glossed once at first use.

The rules and the term table live in notebooks/ko/TERMS.md; this test reads that table, so
the list a translator follows and the list checked here are the same. Only prose is
checked: code spans and blocks, maths, HTML comments, link targets and quoted sentences
(the deck's own words) are removed first.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KOREAN = ROOT / "notebooks" / "ko"
TERMS_FILE = KOREAN / "TERMS.md"
NOTEBOOKS = sorted(KOREAN.glob("[0-9]*.ipynb"))
HANGUL = "\uac00-\ud7a3"


def read_terms(text):
    """The table of TERMS.md as dicts: english, korean, gloss (or None), not (list)."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or cells[0] in ("English", "") or set(cells[0]) <= set("-"):
            continue
        english, korean, gloss, variants = cells
        glossed = re.fullmatch(r"(.+?)\((.+)\)", gloss)
        rows.append({
            "english": english, "korean": korean,
            "gloss": gloss if glossed and glossed.group(1) == korean else None,
            "not": [v.strip() for v in variants.split(",") if v.strip()],
        })
    return rows


TERMS = read_terms(TERMS_FILE.read_text(encoding="utf-8"))


def prose(text, headings=True):
    """Markdown text without code, maths, comments, link targets and quoted sentences."""
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"\]\([^)\s]*\)", "]", text)
    text = re.sub(r"<[^>\n]*>", " ", text)
    text = re.sub(r"\"(?:[^\"\n]|\n(?!\n))*\"|“[^”]*”|‘[^’\n]*’|「[^」]*」", " ", text)
    text = text.replace("**", "").replace("*", "").replace("\\", "")
    if not headings:
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return text


def notebook_prose(path, headings=True):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    return "\n\n".join(prose("".join(c["source"]) if isinstance(c["source"], list) else c["source"],
                              headings) for c in cells)


def korean_uses(text, term):
    """Positions where the Korean term is used in its own right."""
    pattern = re.escape(term["korean"]).replace(r"\ ", r"\s+")
    found = [m.start() for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    if term["korean"] == "파라미터":
        found = [i for i in found if not text[:i].endswith("하이퍼")]
    if term["korean"] == "경사 하강법":
        found = [i for i in found if not re.search(r"확률적\s+$", text[max(0, i - 8):i])]
    return found


def english_pattern(english):
    return re.compile(r"(?<![A-Za-z_-])" + re.escape(english).replace(r"\ ", r"[\s-]+") + r"s?(?![A-Za-z_])",
                      re.IGNORECASE)


def without_glosses(text):
    """Text with every parenthesis that directly follows Hangul removed (glosses)."""
    return re.sub(rf"(?<=[{HANGUL}])\([^()]*\)", "", text)


def test_the_term_table_is_read():
    names = {t["english"] for t in TERMS}
    assert {"learning rate", "slope", "gradient", "loss", "epoch"} <= names
    assert all(t["gloss"] for t in TERMS if t["english"] != "step size")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_bare_english_where_a_korean_term_is_set(path):
    """'learning rate' in Korean prose (outside code, maths, quotes and the gloss) is a miss."""
    text = without_glosses(notebook_prose(path))
    misses = []
    for term in TERMS:
        if term["korean"] == term["english"]:
            continue
        for m in english_pattern(term["english"]).finditer(text):
            misses.append(f"{term['english']!r} (write {term['korean']}): ...{text[max(0, m.start() - 30):m.end() + 30]!r}")
    assert misses == [], f"{len(misses)} bare English terms:\n" + "\n".join(misses)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_each_term_is_rendered_one_way(path):
    """No other Korean for a listed term, except inside a gloss: 편미분(partial derivative, 편도함수)."""
    raw = notebook_prose(path)
    bare = without_glosses(raw)
    misses = []
    for term in TERMS:
        for variant in term["not"]:
            pattern = re.escape(variant).replace(r"\(", r"\s*\(")
            text = raw if "(" in variant else bare
            for m in re.finditer(pattern, text, flags=re.IGNORECASE):
                misses.append(f"{variant!r} (write {term['korean']}): ...{text[max(0, m.start() - 30):m.end() + 30]!r}")
    assert misses == [], "\n".join(misses)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_each_term_glossed_once_at_first_use(path):
    """The first use outside headings carries the English in parentheses; no second gloss."""
    text = notebook_prose(path, headings=False)
    misses = []
    for term in TERMS:
        if not term["gloss"]:
            continue
        english = term["gloss"][len(term["korean"]) + 1:-1]
        first_words = english.split(",")[0].strip()
        uses = korean_uses(without_parenthesised_ascii(text), term) if term["korean"] == term["english"] \
            else korean_uses(text, term)
        if not uses:
            continue
        source = without_parenthesised_ascii(text) if term["korean"] == term["english"] else text
        first = uses[0]
        end = first + re.match(re.escape(term["korean"]).replace(r"\ ", r"\s+"), source[first:], re.IGNORECASE).end()
        after = source[end:end + 80]
        gloss = re.match(rf"[{HANGUL} ]{{0,8}}\(([^()]*)\)", after)
        said = " ".join(gloss.group(1).split()).lower() if gloss else ""
        if not gloss or first_words.lower() not in said:
            misses.append(f"first use of {term['korean']} is not glossed as {term['gloss']}: "
                          f"...{source[max(0, first - 30):first + 40]!r}")
        count = len(re.findall(re.escape(term["korean"]).replace(r"\ ", r"\s+") + r"\s*\(" + re.escape(first_words).replace(r"\ ", r"\s+"), text))
        if count > 1:
            misses.append(f"{term['gloss']} glossed {count} times (once, at first use)")
    assert misses == [], "\n".join(misses)


def without_parenthesised_ascii(text):
    """Text without parentheses holding only ASCII (English glosses of other terms)."""
    return re.sub(r"\([ -~\n]*\)", lambda m: " " * len(m.group(0)), text)


def test_the_checks_catch_what_they_are_for():
    """Each rule rejects the slip it is written for, on a made-up notebook text."""
    lr = next(t for t in TERMS if t["english"] == "learning rate")
    bare = without_glosses(prose("학습률(learning rate)을 정해요. 그다음 learning rate를 바꿔요."))
    assert len(english_pattern("learning rate").findall(bare)) == 1
    quoted = without_glosses(prose('덱은 "learning rate를 설정"이라고 해요. `learning_rate`'))
    assert english_pattern("learning rate").findall(quoted) == []
    text = prose("먼저 학습률을 정해요. 학습률(learning rate)은 걸음의 크기예요.", headings=False)
    first = korean_uses(text, lr)[0]
    assert not re.match(rf"[{HANGUL} ]{{0,8}}\(", text[first + 3:first + 63])
    assert prose("# 제목\n본문", headings=False).strip() == "본문"
    assert korean_uses("하이퍼파라미터와 파라미터", {"korean": "파라미터"}) == [9]
