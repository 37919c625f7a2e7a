#!/usr/bin/env bash
# cfn-lint (pinned in tools/python/requirements.txt) on every template of the cloud assembly,
# the deployment stages' nested assemblies (cdk.out/assembly-<Stage>/) included.
# Fails on errors only; prints warnings and the counts, so they stay visible without blocking.
# Usage: npm run lint:cfn   (after `npm run synth`)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash tools/python/setup.sh

shopt -s nullglob
templates=(cdk.out/*.template.json cdk.out/assembly-*/*.template.json)
if ((${#templates[@]} == 0)); then
  echo "lint:cfn: no templates in cdk.out; run npm run synth first" >&2
  exit 1
fi

status=0
output="$(.venv/bin/cfn-lint --format parseable --non-zero-exit-code error -- "${templates[@]}")" || status=$?
[[ -n "$output" ]] && echo "$output"
errors="$(grep -c ':E[0-9]' <<<"$output" || true)"
warnings="$(grep -c ':W[0-9]' <<<"$output" || true)"
echo "lint:cfn: ${#templates[@]} templates, ${errors} error(s), ${warnings} warning(s) ($(.venv/bin/cfn-lint --version))"
exit "$status"
