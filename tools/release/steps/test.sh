#!/usr/bin/env bash
# Pipeline step "test" (action Test): every gate CI runs, before anything is deployed. `npm test`
# includes the synthesis with cdk-nag and cfn-lint; the short load tests and contract fuzzing run
# against the local runtime of the same cloud assembly.
#   bash tools/release/steps/test.sh
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="test"
cd "$RELEASE_ROOT"

npm test
npm run -s test:long
npm run -s load:quick
npm run -s fuzz:quick
