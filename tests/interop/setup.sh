#!/usr/bin/env bash
# Installs the pinned official ServiceStack clients for the interop suite (tests/interop.rs):
#   - Python: tests/interop/.venv from python/requirements.txt (servicestack and its pinned closure)
#   - Node:   tests/interop/ts/node_modules by `npm ci` from ts/package-lock.json
# Idempotent: each part is skipped when its lock file has not changed since the last install (a
# stamp holds the lock file's hash), so running it before every `cargo test` costs well under a second.
# Needs python3 (>= 3.9, with venv) and node >= 20 with npm; reaches PyPI and the npm registry only
# when something must be installed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
ts="$here/ts"

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

# --- Python --------------------------------------------------------------------------------------
py_req="$here/python/requirements.txt"
py_stamp="$venv/.ssdto-requirements.sha256"
if [[ -x "$venv/bin/python" && -f "$py_stamp" && "$(cat "$py_stamp")" == "$(hash_of "$py_req")" ]]; then
    echo "interop setup: python venv up to date ($venv)"
else
    echo "interop setup: installing python packages into $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$py_req"
    # Fails here, not in the test, if the pinned client cannot be imported.
    "$venv/bin/python" -c "import servicestack, dataclasses_json"
    hash_of "$py_req" > "$py_stamp"
fi

# --- Node ----------------------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
    echo "interop setup: node >= 20 is required, found $(node --version)" >&2
    exit 1
fi
ts_lock="$ts/package-lock.json"
ts_stamp="$ts/node_modules/.ssdto-package-lock.sha256"
if [[ -f "$ts_stamp" && "$(cat "$ts_stamp")" == "$(hash_of "$ts_lock")" ]]; then
    echo "interop setup: node_modules up to date ($ts/node_modules)"
else
    echo "interop setup: npm ci in $ts"
    (cd "$ts" && npm ci --no-audit --no-fund --loglevel=error)
    hash_of "$ts_lock" > "$ts_stamp"
fi

echo "interop setup: done"
