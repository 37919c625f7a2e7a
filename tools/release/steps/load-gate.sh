#!/usr/bin/env bash
# Pipeline step "load gate" (action LoadGate, after the staging deploy): the soft-limit load tests
# (`npm run load`) and the contract fuzzing (`npm run fuzz`) against the deployed stage, whose three
# API URLs both resolve from the stage's stack outputs with the stage's read-only role. Both always
# run, so both reports exist (the load report: rates, latency, alarms, capacity, cost); the step fails if either failed. Reports and the verdict go to
# .release/gate/<stage>/ (the action's output artifact, which the prod deploy checks).
#   bash tools/release/steps/load-gate.sh <stage> [--quick]
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="load-gate"
stage="$(release_stage "${1:-}")"
quick=()
case "${2:-}" in
  "") ;;
  --quick) quick=(--quick) ;;
  *) release_log "usage: load-gate.sh <stage> [--quick]; got '$2'"; exit 2 ;;
esac
cd "$RELEASE_ROOT"

out="$RELEASE_WORK_DIR/gate/$stage"
rm -rf "$out"
mkdir -p "$out"
head="$(git rev-parse HEAD)"
stage_read_credentials
# The limits each scenario and the fuzzing rates come from the stage's templates: this commit's
# cloud assembly, synthesized here as every deploy target synthesizes it (a fresh clone has none).
npm run -s synth

load=passed
env "${STAGE_READ_ENV[@]}" npm run -s load -- --stage "$stage" "${quick[@]}" --report-dir "$out/load" 2>&1 | tee "$out/load.log" || load=failed
fuzz=passed
env "${STAGE_READ_ENV[@]}" npm run -s fuzz -- --stage "$stage" "${quick[@]}" --report-dir "$out/fuzz" 2>&1 | tee "$out/fuzz.log" || fuzz=failed

passed=false
[[ "$load" == passed && "$fuzz" == passed ]] && passed=true
printf '{"stage":"%s","commit":"%s","load":"%s","fuzz":"%s","passed":%s}\n' "$stage" "$head" "$load" "$fuzz" "$passed" >"$out/verdict.json"
release_log "${stage} at ${head}: load ${load}, fuzz ${fuzz}"
[[ "$passed" == true ]]
