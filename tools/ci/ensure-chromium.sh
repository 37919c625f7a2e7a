#!/usr/bin/env bash
# The docs page test drives Debian's Chromium with playwright-core (a browser download is impossible
# here, and playwright's own browsers are not used). Installs it when missing and we are root.
set -euo pipefail
chromium_bin=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium_bin" ]; then
  "$chromium_bin" --version
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing at $chromium_bin: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
"$chromium_bin" --version
