#!/usr/bin/env bash
# The whole test suite, as the README's test command runs it. Kept under ~5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false CDK_DISABLE_CLI_TELEMETRY=true
export NX_CACHE_DIRECTORY="${NX_CACHE_DIRECTORY:-$PWD/.nx/cache}"

npx nx run-many -t lint typecheck test --parallel=2 --outputStyle=stream
