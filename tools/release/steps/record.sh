#!/usr/bin/env bash
# Pipeline step "record" (last command of each deploy action): advances the stage's
# /sm/pipeline/<stage>/last-deployed-commit to HEAD. Runs only after the deploy step succeeded
# (CodeBuild stops a phase at its first failing command) and refuses to run unless the deploy step
# left its marker for this very commit, so a reordered buildspec cannot record an undeployed commit.
#   bash tools/release/steps/record.sh <stage>
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="record"
stage="$(release_stage "${1:-}")"
cd "$RELEASE_ROOT"

head="$(git rev-parse HEAD)"
marker="$(deployed_marker "$stage")"
if [[ ! -f "$marker" ]]; then
  release_log "refusing to record ${head} for ${stage}: the deploy step did not finish (no ${marker#"$RELEASE_ROOT"/})"
  exit 1
fi
deployed="$(<"$marker")"
if [[ "$deployed" != "$head" ]]; then
  release_log "refusing to record ${head} for ${stage}: the deploy step deployed ${deployed}"
  exit 1
fi
parameter="$(last_deployed_parameter "$stage")"
aws ssm put-parameter --name "$parameter" --value "$head" --type String --overwrite >/dev/null
release_log "${stage}: ${parameter} = ${head}"
