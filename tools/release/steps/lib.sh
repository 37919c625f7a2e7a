# shellcheck shell=bash
# Sourced by every step script of the release pipeline (never run on its own).
#
# Strict mode for every step: a failing command, a failing stage of a pipe, an unset variable and
# a failing command substitution all end the step with a non-zero status, which fails the CodeBuild
# phase and with it the pipeline action. No step may ever succeed after one of its commands failed.
set -euo pipefail
shopt -s inherit_errexit

RELEASE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
readonly RELEASE_ROOT
export NX_NO_CLOUD=true NX_DAEMON=false CDK_DISABLE_CLI_TELEMETRY=true
# Where steps leave what a later step of the same build checks (the deploy marker, gate reports).
RELEASE_WORK_DIR="${RELEASE_WORK_DIR:-$RELEASE_ROOT/.release}"

# One prefix for every line a step prints, so a build log shows which step said what.
release_log() {
  echo "release[${RELEASE_STEP:-?}]: $*" >&2
}

# Validates a stage argument. The stage list itself lives in libs/infra/src/stages.ts; every npm
# command a step runs checks the name against it, this only keeps the name safe in a path.
release_stage() {
  local stage="${1:-}"
  if [[ ! "$stage" =~ ^[a-z][a-z0-9-]{0,30}$ ]]; then
    release_log "usage: $(basename "$0") <stage>  (a stage name such as staging or prod; got '${stage}')"
    return 2
  fi
  printf '%s\n' "$stage"
}

# The SSM parameter that records the commit last deployed to a stage (in the pipeline's account).
last_deployed_parameter() {
  printf '/sm/pipeline/%s/last-deployed-commit\n' "$1"
}

# The file the deploy step writes after every stack of the stage deployed; the record step refuses
# to advance the stage's parameter without it (defence in depth beside CodeBuild's own ordering).
deployed_marker() {
  printf '%s/%s/deployed-commit\n' "$RELEASE_WORK_DIR" "$1"
}

# Sets STAGE_READ_ENV to environment assignments that give a command read-only credentials in the
# stage's account: the stage's CDK bootstrap lookup role (ReadOnlyAccess; `cdk bootstrap --trust
# <pipeline account>` lets the pipeline assume it) when the pipeline names it in
# STAGE_READ_ROLE_ARN, else nothing (a person running a step by hand with that stage's profile).
# Use as `env "${STAGE_READ_ENV[@]}" <command>`: the credentials reach that command only, because
# `cdk deploy` must keep the build role's own credentials to assume the stage's deploy role.
# Call it at the top level of a step (not inside `if`, `||` or a pipe), so a failure ends the step.
stage_read_credentials() {
  STAGE_READ_ENV=()
  if [[ -z "${STAGE_READ_ROLE_ARN:-}" ]]; then
    release_log "reading the stage's account with the caller's own credentials"
    return 0
  fi
  local credentials key secret token
  credentials="$(aws sts assume-role --role-arn "$STAGE_READ_ROLE_ARN" \
    --role-session-name "sm-release-${CODEBUILD_BUILD_NUMBER:-manual}" \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)"
  read -r key secret token <<<"$credentials"
  if [[ -z "${token:-}" ]]; then
    release_log "sts assume-role ${STAGE_READ_ROLE_ARN} returned no credentials"
    return 1
  fi
  STAGE_READ_ENV=(AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token")
  if [[ -n "${STAGE_REGION:-}" ]]; then
    STAGE_READ_ENV+=(AWS_REGION="$STAGE_REGION" AWS_DEFAULT_REGION="$STAGE_REGION")
  fi
  release_log "reading the stage's account as ${STAGE_READ_ROLE_ARN}"
}

# Prints the commit HEAD must be compared with to find what changed for a stage, or nothing when
# every service must deploy. Deploying everything is always correct (an unchanged stack is a no-op
# for CloudFormation), only slower, so it is the answer whenever the comparison cannot be trusted:
# - nothing recorded yet ("none": the stage was never deployed by the pipeline);
# - the recorded commit is not in this clone, even after deepening a shallow clone (a failed
#   `git fetch --unshallow` is reported and tolerated for exactly this reason);
# - the recorded commit is not an ancestor of HEAD (history rewritten, branch switched): what is
#   deployed then holds changes HEAD does not, which a diff from their merge base would miss.
deploy_base() {
  local recorded="$1" head
  head="$(git rev-parse HEAD)"
  if [[ -z "$recorded" || "$recorded" == none ]]; then
    release_log "no deployment recorded yet: deploying every service"
    return 0
  fi
  if [[ "$(git rev-parse --is-shallow-repository)" == true ]]; then
    release_log "shallow clone: fetching the full history to compare with ${recorded}"
    if ! git fetch --unshallow --quiet; then
      release_log "warning: could not deepen the shallow clone (git fetch --unshallow failed)"
    fi
  fi
  if ! git cat-file -e "${recorded}^{commit}" 2>/dev/null; then
    release_log "the recorded commit ${recorded} is not in this clone: deploying every service"
    return 0
  fi
  if ! git merge-base --is-ancestor "$recorded" "$head"; then
    release_log "the recorded commit ${recorded} is not an ancestor of ${head}: deploying every service"
    return 0
  fi
  printf '%s\n' "$recorded"
}
