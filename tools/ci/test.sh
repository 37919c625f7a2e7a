#!/usr/bin/env bash
# The whole test suite, as the README's test command (`npm test`) runs it, locally and in CI.
# Every step is timed; the summary at the end lists them. It stays under about 5 minutes on 2 cores:
# load and fuzz runs have their own commands (`npm run load`, `npm run fuzz`), and CI (.ci/run)
# runs their short versions after this.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false CDK_DISABLE_CLI_TELEMETRY=true
export NX_CACHE_DIRECTORY="${NX_CACHE_DIRECTORY:-$PWD/.nx/cache}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
step() {
  local name=$1
  shift
  local started=$SECONDS
  echo
  echo "━━ ${name}"
  if "$@" 2>&1 | tee -a "$log"; then
    summary+=("ok    $(printf '%4ds' $((SECONDS - started)))  ${name}")
  else
    summary+=("FAIL  $(printf '%4ds' $((SECONDS - started)))  ${name}")
    print_summary
    exit 1
  fi
}
print_summary() {
  echo
  echo "━━ summary"
  printf '%s\n' "${summary[@]}"
  # Jest's own totals, summed over every project (Nx prints one "Tests:" line per project).
  local passed failed
  # `|| true`: grep finds no "failed" line in a green run, which pipefail would turn into an exit.
  passed=$( (sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -oE 'Tests: +([0-9]+ failed, )?([0-9]+ skipped, )?[0-9]+ passed' | grep -oE '[0-9]+ passed' || true) | awk '{s+=$1} END {print s+0}')
  failed=$( (sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -oE 'Tests: +[0-9]+ failed' | grep -oE '[0-9]+' || true) | awk '{s+=$1} END {print s+0}')
  echo "jest: ${passed} passed, ${failed} failed"
}

# The pinned Python tools install while the steps below that do not need them run: on a fresh
# clone that is ~25 s of downloading that would otherwise add to the wall time.
python_log=$(mktemp)
python_status=$(mktemp)
bash -c 'bash tools/python/setup.sh; echo "$?" >"$1"' _ "$python_status" >"$python_log" 2>&1 &
python_setup=$!
trap 'kill "$python_setup" 2>/dev/null || true; rm -f "$log" "$python_log" "$python_status"' EXIT
# Runs inside `step`'s pipeline, a subshell that cannot `wait` for its parent's job: it waits for the
# exit status the job writes instead.
python_tools() {
  until [[ -s "$python_status" ]]; do
    if ! kill -0 "$python_setup" 2>/dev/null && [[ ! -s "$python_status" ]]; then
      cat "$python_log"
      echo "tools/python/setup.sh ended without an exit status"
      return 1
    fi
    sleep 0.5
  done
  cat "$python_log"
  return "$(cat "$python_status")"
}

step "go tools (oasdiff, actionlint) in .tools/bin" bash tools/go/install.sh
step "Chromium for the docs page test" bash tools/ci/ensure-chromium.sh
step "generated code matches the contracts" npm run -s generate:check
step "contract changes since HEAD are classified" npm run -s contracts:diff -- --base HEAD
step "build every Lambda bundle and synthesize every stack (cdk-nag on)" npm run -s synth
step "python tools (cfn-lint, schemathesis, shellcheck) in .venv (installed meanwhile)" python_tools
step "actionlint (with shellcheck) on every workflow" npm run -s lint:workflows
step "shellcheck on the release pipeline's step scripts" .venv/bin/shellcheck tools/release/steps/*.sh
step "cfn-lint on every template" npm run -s lint:cfn
step "lint, typecheck, unit and integration tests" \
  npx nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream
step "nx affected reaches exactly the right projects" bash tools/ci/affected-proof.sh
print_summary
