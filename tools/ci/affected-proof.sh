#!/usr/bin/env bash
# Proves that Nx's project graph knows who provides and who consumes each contract, so that
# `nx affected -t deploy` deploys exactly the services a change reaches:
#   - a change to contracts/location/openapi.yaml reaches the location contract, the location
#     service and its consumer, the profile service; never auth;
#   - a change to the shared components reaches every service;
#   - a change inside apps/auth deploys auth alone (checked once some project has a deploy target);
#   - a change to the CDK app's composition (cdk.json: feature flags and context; apps/platform's
#     app.ts, main.ts, limits.ts, services.ts: stages, tags, limits profiles) deploys every service,
#     through the `cdkApp` named input of the deploy targets (nx.json), since it can change every
#     stack's template without touching a service's files;
#   - a change to the pipeline or platform stack deploys no service (they are deployed by hand).
# Prints every list it checks and exits 1 with a message naming each mismatch.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false

failures=0

# Projects nx reports for the given arguments, one per line, sorted (only project-name lines).
projects() {
  npx nx show projects "$@" | grep -E '^[A-Za-z0-9@/_.-]+$' | sort || true
}

show() {
  local label="$1" list="$2"
  echo "$label:"
  if [[ -z "$list" ]]; then echo "  (none)"; else sed 's/^/  /' <<<"$list"; fi
}

contains() {
  grep -qxF "$2" <<<"$1"
}

# must_include <label> <list> <project>...
must_include() {
  local label="$1" list="$2" project
  shift 2
  for project in "$@"; do
    if ! contains "$list" "$project"; then
      echo "MISMATCH: $label must list $project but does not" >&2
      failures=$((failures + 1))
    fi
  done
}

# must_exclude <label> <list> <project>...
must_exclude() {
  local label="$1" list="$2" project
  shift 2
  for project in "$@"; do
    if contains "$list" "$project"; then
      echo "MISMATCH: $label must not list $project but does" >&2
      failures=$((failures + 1))
    fi
  done
}

# must_be_exactly <label> <list> <why> <project>...: the list is those projects and nothing else.
must_be_exactly() {
  local label="$1" list="$2" why="$3"
  shift 3
  if [[ "$list" != "$(printf '%s\n' "$@" | sort)" ]]; then
    echo "MISMATCH: $label must be exactly $* ($why)" >&2
    failures=$((failures + 1))
  fi
}

label='affected by contracts/location/openapi.yaml'
list="$(projects --affected --files=contracts/location/openapi.yaml)"
show "$label" "$list"
must_include "$label" "$list" contract-location location profile
must_exclude "$label" "$list" auth contract-auth

label='affected by contracts/common/components.yaml'
list="$(projects --affected --files=contracts/common/components.yaml)"
show "$label" "$list"
must_include "$label" "$list" contract-auth contract-location contract-profile auth location profile

label='affected by contracts/profile/openapi.yaml'
list="$(projects --affected --files=contracts/profile/openapi.yaml)"
show "$label" "$list"
must_include "$label" "$list" contract-profile profile
must_exclude "$label" "$list" auth location contract-auth contract-location

# The deploy checks need deploy targets, which the infrastructure work adds.
deployable="$(projects -t deploy)"
show 'projects with a deploy target' "$deployable"
if [[ -z "$deployable" ]]; then
  echo "deploy: no project has a deploy target yet; skipped the nx affected -t deploy checks."
else
  label='deploys for apps/auth/src/index.ts'
  list="$(projects --affected --files=apps/auth/src/index.ts -t deploy)"
  show "$label" "$list"
  must_be_exactly "$label" "$list" 'a service change deploys that service alone' auth

  label='deploys for apps/auth/src/handlers/create-user.ts'
  list="$(projects --affected --files=apps/auth/src/handlers/create-user.ts -t deploy)"
  show "$label" "$list"
  must_be_exactly "$label" "$list" 'a handler change deploys its service alone' auth

  label='deploys for libs/infra/src/service-function.ts'
  list="$(projects --affected --files=libs/infra/src/service-function.ts -t deploy)"
  show "$label" "$list"
  must_be_exactly "$label" "$list" 'the shared constructs reach every service' auth location profile

  label='deploys for libs/deploy-hooks/src/smoke-hook.ts'
  list="$(projects --affected --files=libs/deploy-hooks/src/smoke-hook.ts -t deploy)"
  show "$label" "$list"
  must_be_exactly "$label" "$list" 'every service stack deploys the smoke hook with each function' auth location profile

  label='deploys for contracts/location/openapi.yaml'
  list="$(projects --affected --files=contracts/location/openapi.yaml -t deploy)"
  show "$label" "$list"
  must_include "$label" "$list" location profile
  must_exclude "$label" "$list" auth platform
  must_be_exactly "$label" "$list" 'the provider and its consumer' location profile

  for file in cdk.json apps/platform/src/app.ts apps/platform/src/main.ts apps/platform/src/limits.ts; do
    label="deploys for $file"
    list="$(projects --affected --files="$file" -t deploy)"
    show "$label" "$list"
    must_be_exactly "$label" "$list" 'the CDK app composes every stack: feature flags, stages, tags and limits profiles reach every template' auth location profile
  done

  for file in apps/platform/src/pipeline-stack.ts apps/platform/src/platform-stack.ts; do
    label="deploys for $file"
    list="$(projects --affected --files="$file" -t deploy)"
    show "$label" "$list"
    if [[ -n "$list" ]]; then
      echo "MISMATCH: $label must be empty (the pipeline and platform stacks are deployed by hand, never by a service's deploy target)" >&2
      failures=$((failures + 1))
    fi
  done
fi

if ((failures > 0)); then
  echo "affected proof FAILED: $failures mismatch(es) in the project graph (see MISMATCH lines)." >&2
  exit 1
fi
echo "affected proof passed."
