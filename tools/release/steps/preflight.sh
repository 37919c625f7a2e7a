#!/usr/bin/env bash
# Pipeline step "preflight" (first step of each deploy action): reads the stage account's Lambda
# concurrency quota and what other functions already reserve, and refuses before CloudFormation
# when the stage's reservations do not fit (npm run preflight, see the README's deploy section).
#   bash tools/release/steps/preflight.sh <stage>
source "$(dirname "$0")/lib.sh"
RELEASE_STEP=preflight
stage="$(release_stage "${1:-}")"
cd "$RELEASE_ROOT"

stage_read_credentials
env "${STAGE_READ_ENV[@]}" npm run -s preflight -- --stage "$stage"
