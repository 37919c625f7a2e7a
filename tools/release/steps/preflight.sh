#!/usr/bin/env bash
# Pipeline step "preflight" (first step of each deploy action): reads the stage account's Lambda
# concurrency quota and what other functions already reserve, and refuses before CloudFormation
# when the stage's reservations do not fit (`npm run preflight`, apps/platform/src/deploy). It runs
# with the build's own credentials: the preflight itself assumes the stage account's CDK lookup
# role when the stage pins another account. Each service's deploy target runs it again; this step
# refuses once, before any stack of the stage deploys.
#   bash tools/release/steps/preflight.sh <stage>
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="preflight"
stage="$(release_stage "${1:-}")"
cd "$RELEASE_ROOT"

npm run -s preflight -- --stage "$stage"
