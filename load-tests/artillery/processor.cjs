/**
 * Artillery processor of the load-test scripts (load-tests/src/artillery/): the checks Artillery
 * cannot make from a script alone. Copied beside every generated script, so `artillery run` and
 * `artillery run-fargate` (which ships the script's directory to each task) both load it.
 *
 * Counters it adds to the report (all under `sm.`), read by the scripts' `ensure` conditions and by
 * the runner's verdict:
 * - `sm.identity.matched` / `sm.identity.mismatched`: a 2xx answer is the requesting user's (its
 *   `userId` is the one in the request's path) and, for a write, echoes that write's own `accuracy`;
 *   an answer that belongs to another request is a mismatch, never a pass;
 * - `sm.throttled.problem` / `sm.throttled.not_problem`: a 429 is an RFC 9457 problem with status 429;
 * - `sm.status.5xx`: every 5xx, whatever its code (the scripts also name 500–504 one by one);
 * - `sm.profile.degraded`: a profile answered with `location: null` (location lookup failed);
 * - `sm.write.acknowledged.<writer>`: 2xx answers to writes, per writer (index into `users`), so the
 *   runner can compare them with what each writer's history holds afterwards;
 * - `sm.sent_after_ms` (a histogram): when each request went out, ms after the script's `startsAt`.
 *   Its max − min is how long the generators took to send the phase's requests: a generator that
 *   falls behind its schedule spreads them out, and offers less than the scenario's rate.
 * With `SM_LOAD_ACK_FILE` set (local runs), each acknowledged write is also appended to that file as
 * `<userId> <accuracy>`, so the runner can look for every one of them in the history, as the loadtest
 * engine does.
 */
'use strict';

const { appendFileSync } = require('node:fs');
const { randomInt } = require('node:crypto');

/** beforeScenario: this virtual user acts as one of the scenario's users, chosen at random. */
function pickUser(context, events, next) {
  const users = context.vars.users;
  const index = randomInt(users.length);
  context.vars.user = users[index];
  context.vars.userIndex = index;
  return next();
}

/** beforeRequest: when the request goes out, measured from a moment every load generator shares. */
function markSent(requestParams, context, events, next) {
  events.emit('histogram', 'sm.sent_after_ms', Date.now() - context.vars.startsAt);
  return next();
}

/**
 * beforeRequest of a write: an accuracy (millimetres, 0–100 km as the contract allows) that no other
 * write of the run is likely to carry (1 in 10^8), so its acknowledgement identifies it.
 */
function markWrite(requestParams, context, events, next) {
  context.vars.accuracy = randomInt(0, 100_000_001) / 1000;
  return next();
}

/** afterResponse: every answer is held to what its request asked for. */
function checkAnswer(requestParams, response, context, events, next) {
  const count = (name) => events.emit('counter', `sm.${name}`, 1);
  const status = response.statusCode;
  if (status >= 500) count('status.5xx');
  if (status === 429) {
    count(isThrottleProblem(response) ? 'throttled.problem' : 'throttled.not_problem');
  } else if (status >= 200 && status < 300) {
    let body;
    try {
      body = JSON.parse(response.body);
    } catch {
      count('identity.mismatched');
      return next();
    }
    const { user, accuracy } = context.vars;
    const isWrite = accuracy !== undefined;
    const own =
      body !== null && body.userId === user.userId && (!isWrite || body.accuracy === accuracy);
    count(own ? 'identity.matched' : 'identity.mismatched');
    if (body !== null && 'location' in body && body.location === null) count('profile.degraded');
    if (isWrite && own) {
      count(`write.acknowledged.${context.vars.userIndex}`);
      if (process.env.SM_LOAD_ACK_FILE)
        appendFileSync(process.env.SM_LOAD_ACK_FILE, `${user.userId} ${accuracy}\n`);
    }
  }
  return next();
}

function isThrottleProblem(response) {
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/problem+json')) return false;
  try {
    return JSON.parse(response.body).status === 429;
  } catch {
    return false;
  }
}

module.exports = { pickUser, markSent, markWrite, checkAnswer };
