#!/usr/bin/env bash
# actionlint (pinned, built by tools/go/install.sh) on every workflow in .github/workflows, with the
# pinned shellcheck (tools/python) checking each `run:` script. Fails on any finding: workflows are
# code that only runs on GitHub, so this is the one place a mistake in them shows before a push.
# Usage: npm run lint:workflows
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash tools/go/install.sh actionlint
bash tools/python/setup.sh

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if ((${#workflows[@]} == 0)); then
  echo "lint:workflows: no workflow in .github/workflows" >&2
  exit 1
fi
# -shellcheck names the binary so every machine runs the same one (actionlint otherwise looks it up
# on PATH, and silently skips the scripts when it is missing); -pyflakes= : no Python `run:` steps.
.tools/bin/actionlint -no-color -shellcheck "$root/.venv/bin/shellcheck" -pyflakes= "${workflows[@]}"
echo "lint:workflows: ${#workflows[@]} workflow(s), no findings ($(.tools/bin/actionlint --version | head -1), $(.venv/bin/shellcheck --version | sed -n 's/^version: //p' | sed 's/^/shellcheck /'))"
