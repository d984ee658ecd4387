"""The links the READMEs hand to students open notebooks that exist, encoded the right way.

An nbgitpuller link (/hub/user-redirect/git-pull?repo=...&urlpath=...) carries URL-encoded
values: encoded once, the hub decodes `urlpath` to `lab/tree/<clone>/notebooks/...`; encoded
twice, it decodes to `lab%2Ftree%2F...` and the student lands on an error page. Colab and
Binder links name a notebook path in this repository. No network: only the links' form and
the files they name are checked.
"""
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", ROOT / "README.ko.md"]
REPO = "optim-lectures/optim-lectures"


def _links(text, pattern):
    return re.findall(pattern + r"[^\s)>\]`]*", text)


def check_hub_link(link):
    """The problems of one nbgitpuller link ([] if none)."""
    problems = []
    query = urlsplit(link).query
    raw = dict(part.split("=", 1) for part in query.split("&"))
    values = {key: value[0] for key, value in parse_qs(query).items()}
    for key in ("repo", "urlpath"):
        if key not in values:
            problems.append(f"no {key}")
            continue
        if "/" in raw[key]:
            problems.append(f"{key} is not URL-encoded: {raw[key]}")
        if "%" in values[key]:
            problems.append(f"{key} is encoded more than once: decodes to {values[key]}")
    if problems:
        return problems
    if values["repo"] != f"https://github.com/{REPO}":
        problems.append(f"repo is {values['repo']}")
    clone = REPO.split("/")[1]
    prefix = f"lab/tree/{clone}/"
    if not values["urlpath"].startswith(prefix):
        problems.append(f"urlpath {values['urlpath']} does not open the clone {clone}/")
    elif not (ROOT / values["urlpath"][len(prefix):]).is_file():
        problems.append(f"urlpath names {values['urlpath'][len(prefix):]}, which is not in the repository")
    return problems


@pytest.mark.parametrize("readme", READMES, ids=[p.name for p in READMES])
def test_the_hub_link_is_encoded_once_and_opens_a_notebook(readme):
    links = _links(readme.read_text(encoding="utf-8"), r"https://<your hub>/hub/user-redirect/git-pull\?")
    assert links, f"{readme.name} shows no nbgitpuller link"
    for link in links:
        assert check_hub_link(link) == [], link


def test_the_hub_check_rejects_double_and_missing_encoding():
    good = ("https://h/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Foptim-lectures%2Foptim-lectures"
            "&branch=main&urlpath=lab%2Ftree%2Foptim-lectures%2Fnotebooks%2F01_random_search.ipynb")
    assert check_hub_link(good) == []
    assert "encoded more than once" in " ".join(check_hub_link(good.replace("%2F", "%252F")))
    assert "not URL-encoded" in " ".join(check_hub_link(good.replace("urlpath=lab%2Ftree%2F", "urlpath=lab/tree/")))
    assert "not in the repository" in " ".join(check_hub_link(good.replace("01_random", "07_random")))


@pytest.mark.parametrize("readme", READMES, ids=[p.name for p in READMES])
def test_colab_and_binder_links_name_notebooks_that_exist(readme):
    text = readme.read_text(encoding="utf-8")
    colab = _links(text, rf"https://colab\.research\.google\.com/github/{REPO}/blob/main/")
    binder = _links(text, rf"https://mybinder\.org/v2/gh/{REPO}/HEAD\?urlpath=lab/tree/")
    assert len(colab) >= 4 and binder, f"{readme.name}: {len(colab)} Colab links, {len(binder)} Binder links"
    paths = [link.split("/blob/main/", 1)[1] for link in colab] + [unquote(link.split("lab/tree/", 1)[1]) for link in binder]
    missing = [p for p in paths if not (ROOT / p).is_file()]
    assert missing == []


def test_the_korean_readme_opens_the_korean_notebooks():
    text = (ROOT / "README.ko.md").read_text(encoding="utf-8")
    colab = _links(text, rf"https://colab\.research\.google\.com/github/{REPO}/blob/main/")
    assert sorted(link.split("/blob/main/", 1)[1] for link in colab) == sorted(
        f"notebooks/ko/{p.name}" for p in (ROOT / "notebooks" / "ko").glob("[0-9]*.ipynb"))
    hub = _links(text, r"https://<your hub>/hub/user-redirect/git-pull\?")
    assert all("%2Fnotebooks%2Fko%2F" in link for link in hub)


@pytest.mark.parametrize("readme", READMES, ids=[p.name for p in READMES])
def test_windows_activation_is_next_to_the_commands(readme):
    """Beside the Linux/macOS commands, the Windows way to activate the environment."""
    text = readme.read_text(encoding="utf-8")
    commands = text.index(". .venv/bin/activate")
    windows = text.index(".venv\\Scripts\\activate")
    assert 0 < windows - commands < 2000
