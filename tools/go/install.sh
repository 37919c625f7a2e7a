#!/usr/bin/env bash
# Builds the repo's pinned Go tools into .tools/bin (git-ignored):
#   oasdiff     github.com/oasdiff/oasdiff            (contract breaking-change checks, tools/contract-diff)
#   actionlint  github.com/rhysd/actionlint/cmd/actionlint   (checks every workflow in .github/workflows)
# Each tool has its own module here (tools/go/<tool>/go.mod + go.sum) that requires exactly one
# version of it: the build resolves the same dependency versions as `go install <tool>@<version>`,
# and every module Go downloads is verified against the committed go.sum (-mod=readonly), so a
# changed or substituted module fails the build instead of being used.
# Idempotent and fast: a tool is rebuilt only when its go.mod/go.sum or the Go version changed
# (recorded as a checksum stamp beside the binary). Usage: bash tools/go/install.sh [tool...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.tools/bin"
tools=("$@")
((${#tools[@]} > 0)) || tools=(oasdiff actionlint)

if ! command -v go >/dev/null 2>&1; then
  echo "tools/go/install.sh: 'go' not found; install Go 1.26 or newer (https://go.dev/dl/)" >&2
  exit 1
fi
go_version="$(go env GOVERSION)"
mkdir -p "$bin"

for tool in "${tools[@]}"; do
  module_dir="$root/tools/go/$tool"
  if [[ ! -f "$module_dir/go.mod" ]]; then
    echo "tools/go/install.sh: unknown tool '$tool' (no tools/go/$tool/go.mod)" >&2
    exit 1
  fi
  stamp="$bin/.$tool.stamp"
  wanted="$(cat "$module_dir/go.mod" "$module_dir/go.sum" | sha256sum | cut -d' ' -f1) $go_version"
  if [[ -x "$bin/$tool" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    continue
  fi
  # The one `tool` line of the module names the package to build.
  package="$(awk '$1 == "tool" { print $2 }' "$module_dir/go.mod")"
  started=$SECONDS
  # GOTOOLCHAIN=local: use this machine's Go or fail; never fetch another toolchain behind our back.
  (cd "$module_dir" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath -o "$bin/$tool" "$package")
  echo "$wanted" >"$stamp"
  # The version the binary was built from, as Go recorded it (`go version -m`): e.g. v1.39.0.
  version="$(go version -m "$bin/$tool" | awk '$1 == "mod" { print $3 }')"
  echo "tools/go/install.sh: built $tool $version ($package) in $((SECONDS - started))s with $go_version"
done
