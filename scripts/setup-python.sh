#!/usr/bin/env bash
# Creates (or refreshes) the project's Python venv at .venv from python-bridge/requirements-test.txt.
# Idempotent: skipped when the requirements have not changed since the last successful install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="${PIXCAP_VENV:-$root/.venv}"
req="$root/python-bridge/requirements-test.txt"
stamp="$venv/.pixcap-requirements.sha256"
want=$(cat "$root"/python-bridge/requirements*.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi
python=${PYTHON:-python3}
echo "setting up Python venv in $venv" >&2
"$python" -m venv "$venv"
# --retries 0: on machines whose only reachable index is a local one, do not wait on unreachable hosts.
"$venv/bin/python" -m pip install --disable-pip-version-check --retries 0 --timeout 20 -q -r "$req" 2>&1 \
  | grep -v -E 'Retrying|Location .* is ignored|NewConnectionError' >&2 || true
"$venv/bin/python" -c 'import torch, pyarrow, datasets, pytest' 
echo "$want" > "$stamp"
