#!/usr/bin/env bash
# Helper of the deploy step: prints the SSM parameters a stage's stacks publish (/sm/<stage>/…) as
# a JSON array of [name, value] pairs, read in the stage's account with its read-only role. The
# deploy step compares them before and after each stack's deploy to find consumers to redeploy.
#   bash tools/release/steps/published-parameters.sh <stage>
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="published-parameters"
stage="$(release_stage "${1:-}")"

stage_read_credentials
env "${STAGE_READ_ENV[@]}" aws ssm get-parameters-by-path --path "/sm/${stage}/" --recursive \
  --query 'Parameters[].[Name,Value]' --output json
