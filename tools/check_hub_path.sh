#!/usr/bin/env bash
# Prove the JupyterHub path once, on this machine, the way a hub runs it:
#
#   1. the hub image: a fresh virtual environment gets the runtime requirements
#      (requirements.txt without its editable `-e .` line), the helper package with a
#      NORMAL install (`pip install .`, a wheel in site-packages) and nbgitpuller 1.3;
#   2. a student's server: `jupyter server` on 127.0.0.1 with a fresh, empty home folder;
#   3. the student's link: /git-pull?repo=file:///<a fresh clone of this repository>
#      &branch=main&urlpath=lab/tree/optim-lectures/notebooks/01_random_search.ipynb
#      is requested, then its sync stream /git-pull/api (what the link's page runs), and
#      the clone must appear in the home folder;
#   4. notebook 01 runs top to bottom there, in that environment's kernel, and must
#      import the INSTALLED package (optim_helpers.__file__ in site-packages), reading
#      the shipped digits from the installed copy.
#
# Usage: bash tools/check_hub_path.sh      (needs git, network access to the package index;
#        PYTHON=python3.12 to choose the interpreter; KEEP=1 keeps the temporary folder)
# The clone is of the COMMITTED branch main: uncommitted notebook edits are not pulled.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-python3}
work=$(mktemp -d -t hubpath.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT
t0=$SECONDS
step() { echo "[$((SECONDS - t0)) s] $*"; }

step "1/4 hub image: fresh venv ($("$py" --version)), runtime requirements, pip install . (not editable), nbgitpuller"
"$py" -m venv "$work/venv"
venv_py="$work/venv/bin/python"
grep -v '^-e ' "$repo/requirements.txt" > "$work/requirements-runtime.txt"
"$venv_py" -m pip install -q --disable-pip-version-check -r "$work/requirements-runtime.txt"
"$venv_py" -m pip install -q --disable-pip-version-check "$repo"
"$venv_py" -m pip install -q --disable-pip-version-check "nbgitpuller~=1.3"
"$venv_py" -m pip check
"$venv_py" -m pip show optim_helpers | grep -E '^(Version|Location|Editable project location):' || true
if "$venv_py" -m pip show optim_helpers | grep -q '^Editable project location:'; then
  echo "FAIL: optim_helpers is an editable install" >&2; exit 1
fi

step "2/4 a fresh clone of this repository (branch main) and a student's empty home"
git clone -q --branch main "$repo" "$work/origin/optim-lectures"
git -C "$work/origin/optim-lectures" log -1 --format='    commit %h %s'
mkdir "$work/home"
port=$("$venv_py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$("$venv_py" -c 'import secrets; print(secrets.token_hex(16))')
as_root=(); if [ "$(id -u)" = 0 ]; then as_root=(--allow-root); fi  # a hub's users are not root
export JUPYTER_CONFIG_DIR="$work/jupyter-config" JUPYTER_DATA_DIR="$work/jupyter-data" \
       JUPYTER_RUNTIME_DIR="$work/jupyter-runtime"   # nothing from this machine's own Jupyter setup
(cd "$work/home" && exec "$work/venv/bin/jupyter" server --no-browser --ip=127.0.0.1 --port="$port" \
   --port-retries=0 --IdentityProvider.token="$token" --ServerApp.root_dir="$work/home" "${as_root[@]}" \
   >"$work/server.log" 2>&1) &
server_pid=$!

step "3/4 the nbgitpuller link"
export WORK="$work" PORT="$port" TOKEN="$token"
"$venv_py" - <<'PY'
import json, os, time, urllib.parse, urllib.request
work, port, token = os.environ["WORK"], os.environ["PORT"], os.environ["TOKEN"]
base = f"http://127.0.0.1:{port}"
for _ in range(120):
    if "[C " in open(f"{work}/server.log").read():
        break
    try:
        urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
else:
    raise SystemExit("the jupyter server did not start:\n" + open(f"{work}/server.log").read()[-3000:])
query = {"repo": f"file://{work}/origin/optim-lectures", "branch": "main",
         "urlpath": "lab/tree/optim-lectures/notebooks/01_random_search.ipynb"}
link = f"{base}/git-pull?{urllib.parse.urlencode(query)}"
print(f"    link: {link.replace(base, '<server>')}")
with urllib.request.urlopen(f"{link}&token={token}", timeout=30) as r:
    page = r.read().decode()
    assert r.status == 200 and "git-pull" in page, f"the link's page: {r.status}"
api = f"{base}/git-pull/api?{urllib.parse.urlencode({k: v for k, v in query.items() if k != 'urlpath'})}&token={token}"
phase = None
with urllib.request.urlopen(api, timeout=300) as stream:   # what the page's EventSource reads
    for raw in stream:
        line = raw.decode().strip()
        if line.startswith("data:"):
            event = json.loads(line[5:])
            phase = event.get("phase")
            if phase == "error":
                raise SystemExit(f"nbgitpuller failed: {event.get('message')}\n{event.get('output', '')}")
            if phase == "finished":
                break
assert phase == "finished", f"the sync stream ended in phase {phase!r}"
nb = f"{work}/home/optim-lectures/notebooks/01_random_search.ipynb"
assert os.path.isfile(nb), f"nbgitpuller finished but {nb} is missing"
print(f"    pulled into the home folder: {sorted(os.listdir(f'{work}/home/optim-lectures'))}")
PY

step "4/4 notebook 01 top to bottom in that environment's kernel"
"$venv_py" - <<'PY'
import os, sys
import nbformat
from nbclient import NotebookClient
work = os.environ["WORK"]
folder = f"{work}/home/optim-lectures/notebooks"
nb = nbformat.read(f"{folder}/01_random_search.ipynb", as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import optim_helpers, optim_helpers.data as _d\n"
    "print('optim_helpers from', optim_helpers.__file__)\n"
    "print('digits from', getattr(_d, 'DIGITS_PATH', '?'))"))
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
assert not errors, errors
where = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
print("   ", where.strip().replace("\n", "\n    "))
n_code = sum(c.cell_type == "code" for c in nb.cells) - 1
assert "site-packages" in where.split("optim_helpers from", 1)[1].splitlines()[0], "not the installed package"
assert "/home/optim-lectures/" not in where, "imported from the pulled clone, not the installed package"
print(f"    notebook 01: {n_code} code cells ran without an error, kernel {sys.executable}")
PY
step "done: the hub path works (fresh venv, pip install ., nbgitpuller link, notebook 01)"
