#!/usr/bin/env bash
# Pipeline step "deploy" (action Deploy<Stage>, after the preflight): deploys to one stage exactly
# the services that changed since the commit last deployed to that stage, one stack at a time, and
# the consumers of any SSM parameter a deploy changed; every service, in dependency order, when
# there is no usable record. Leaves a marker naming HEAD for the record step only when all of it
# succeeded.
#   bash tools/release/steps/deploy.sh <stage>
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="deploy"
stage="$(release_stage "${1:-}")"
cd "$RELEASE_ROOT"

marker="$(deployed_marker "$stage")"
rm -f "$marker"
head="$(git rev-parse HEAD)"
parameter="$(last_deployed_parameter "$stage")"
# A failure to read the record fails the step: "no record" is the parameter's value "none", never
# an error, so an error means missing permissions or a missing pipeline stack, not a first run.
recorded="$(aws ssm get-parameter --name "$parameter" --query Parameter.Value --output text)"
base="$(deploy_base "$recorded")"
release_log "${stage}: last deployed ${recorded}, deploying ${head}${base:+ (changes since ${base})}"

npx tsx --tsconfig tools/release/tsconfig.json tools/release/src/deploy/cli.ts \
  --stage "$stage" --head "$head" ${base:+--base "$base"}

mkdir -p "$(dirname "$marker")"
printf '%s\n' "$head" >"$marker"
