#!/usr/bin/env bash
# Pipeline step "check gate" (first step of the prod deploy action): the load gate's verdict, taken
# from the gate action's output artifact, must say that this very commit passed on <gate stage>.
# CodePipeline already starts prod only after the gate succeeded; this makes the dependency an input
# the prod action cannot run without, and checks what the gate concluded, not only that it exited 0.
#   bash tools/release/steps/check-gate.sh <gate stage> <directory holding <gate stage>/verdict.json>
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
RELEASE_STEP="check-gate"
stage="$(release_stage "${1:-}")"
reports="${2:-}"
cd "$RELEASE_ROOT"

verdict="${reports%/}/${stage}/verdict.json"
if [[ -z "$reports" || ! -f "$verdict" ]]; then
  release_log "no load gate verdict at '${verdict}': prod deploys only what passed the gate on ${stage}"
  exit 1
fi
head="$(git rev-parse HEAD)"
# shellcheck disable=SC2016 # the program is JavaScript: its ${…} are template literals, not shell
node -e '
  const [file, stage, head] = process.argv.slice(1);
  const v = JSON.parse(require("node:fs").readFileSync(file, "utf8"));
  const problems = [];
  if (v.stage !== stage) problems.push(`it is for stage ${v.stage}`);
  if (v.commit !== head) problems.push(`it is for commit ${v.commit}, this is ${head}`);
  if (v.passed !== true || v.load !== "passed" || v.fuzz !== "passed") problems.push(`load ${v.load}, fuzz ${v.fuzz}`);
  if (problems.length) { console.error(`release[check-gate]: the gate verdict does not allow prod: ${problems.join("; ")}`); process.exit(1); }
  console.error(`release[check-gate]: ${stage} gate passed for ${head} (load ${v.load}, fuzz ${v.fuzz})`);
' "$verdict" "$stage" "$head"
