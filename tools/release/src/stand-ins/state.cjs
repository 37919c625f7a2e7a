/**
 * The shared state of the local stand-ins for `aws`, `cdk` and `npx` (./aws.cjs, ./cdk.cjs,
 * ./npx.cjs): a JSON file named by RELEASE_STANDIN_STATE, read and written by each call. It holds
 * the SSM parameters, a journal of every call, and what the test or rehearsal asked for (calls to
 * fail on purpose, nx's affected list, values a deploy publishes). Calls are sequential (the steps
 * run one command at a time), so there is no locking.
 */
const { readFileSync, writeFileSync, renameSync } = require('node:fs');

function statePath() {
  const path = process.env.RELEASE_STANDIN_STATE;
  if (!path) {
    process.stderr.write(
      'stand-in: RELEASE_STANDIN_STATE is not set; stand-ins run only under a test or `npm run release:rehearse`\n',
    );
    process.exit(70);
  }
  return path;
}

function load() {
  return JSON.parse(readFileSync(statePath(), 'utf8'));
}

function save(state) {
  const path = statePath();
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** Every stand-in line says it is one, so no output can be mistaken for a real AWS call. */
function say(tool, line) {
  process.stderr.write(`[stand-in ${tool}] ${line}\n`);
}

/**
 * Journals a call and ends the process with status 1 when it matches one of `state.fail` (regular
 * expressions over "<tool> <args…>"): the failure a test or rehearsal asked for.
 */
function journal(state, tool, args) {
  const rendered = [tool, ...args].join(' ');
  const failing = (state.fail ?? []).find((pattern) => new RegExp(pattern).test(rendered));
  state.calls = [...(state.calls ?? []), { tool, args, failed: Boolean(failing) }];
  save(state);
  if (failing) {
    say(tool, `failing on purpose (matches /${failing}/): ${rendered}`);
    process.exit(1);
  }
}

/** Applies `state.publish` rules (regular expression over the deploy call → parameters it sets). */
function publishFor(state, rendered) {
  const published = [];
  for (const [pattern, parameters] of Object.entries(state.publish ?? {})) {
    if (!new RegExp(pattern).test(rendered)) continue;
    for (const [name, value] of Object.entries(parameters)) {
      state.ssm[name] = value;
      published.push(name);
    }
  }
  return published;
}

module.exports = { load, save, say, journal, publishFor };
