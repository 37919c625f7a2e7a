#!/usr/bin/env bash
# Pipeline step "install" (every CodeBuild action's install phase): the build image's system
# packages, then the repository's own toolchain from its lockfile. Idempotent.
#   bash tools/release/steps/install.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP=install
cd "$RELEASE_ROOT"

# The build image is Debian (node:22-bookworm). Chromium drives the docs page test, python3-venv
# holds the pinned cfn-lint and schemathesis, the AWS CLI reads and writes the SSM parameters.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v aws >/dev/null || missing+=(awscli)
if ((${#missing[@]} > 0)); then
  release_log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
