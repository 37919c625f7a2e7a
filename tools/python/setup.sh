#!/usr/bin/env bash
# Creates (or refreshes) the repo's Python virtualenv `.venv` with the pinned tools in
# tools/python/requirements.txt. Idempotent: when the venv already holds exactly these pins
# (recorded as a checksum stamp), it does nothing, so it is cheap to call before every lint run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.venv"
requirements="$root/tools/python/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$venv/bin/cfn-lint" && -x "$venv/bin/schemathesis" && -x "$venv/bin/shellcheck" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
  echo "tools/python/setup.sh: '$python' not found; install Python 3.9+ or set PYTHON=/path/to/python3" >&2
  exit 1
fi

echo "tools/python/setup.sh: installing $(grep -c '==' "$requirements") pinned packages into .venv"
[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$requirements"
echo "$wanted" >"$stamp"
"$venv/bin/cfn-lint" --version
