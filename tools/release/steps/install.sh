#!/usr/bin/env bash
# Pipeline step "install" (every CodeBuild action's install phase): the Debian packages the build
# image lacks, then the repository's own toolchain from its lockfile. Idempotent.
#   bash tools/release/steps/install.sh
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="install"
cd "$RELEASE_ROOT"

# The image is node:22-bookworm (Debian, with python3). python3-venv holds the pinned cfn-lint and
# schemathesis (tools/python/setup.sh), the AWS CLI reads and writes the SSM parameters. Chromium,
# which only the Test action needs, is installed by `npm test` itself (tools/ci/ensure-chromium.sh).
missing=()
for package in python3-venv awscli; do
  dpkg-query --show --showformat='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  release_log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
