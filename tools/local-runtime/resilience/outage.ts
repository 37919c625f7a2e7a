/**
 * "Acknowledged means durable" through a store outage: steady `PUT /loc` load (and sequential
 * `PUT /profile` with `If-Match`) while every DynamoDB call fails for a few seconds, then every
 * write the API acknowledged is looked for where it must be. See the README, "Resilience check".
 */
import { parseFaultSpec, type RunningRuntime } from '../src';
import {
  isServiceUnavailable,
  json,
  lambdaThrottles,
  throttledSince,
  openModel,
  send,
  tally,
  type Answer,
  type User,
} from './traffic';

export interface OutageOptions {
  /** `PUT /loc` requests per second, spread over the users. */
  readonly rate: number;
  /** Signed-in users, each writing its own location (spread evenly). */
  readonly users: readonly User[];
  /** Seconds of load before the outage, during it, and after it. */
  readonly beforeSeconds: number;
  readonly outageSeconds: number;
  readonly afterSeconds: number;
  /** Users writing their profile (sequentially, with `If-Match`) during the same time. */
  readonly profileWriters: number;
}

export interface OutageResult {
  readonly requests: number;
  readonly statuses: Record<number, number>;
  /** Acknowledged (200) `PUT /loc` writes not found in their user's history. */
  readonly lostLocations: number;
  /** Users whose current location is older than their newest acknowledged write, or not in their history. */
  readonly staleCurrent: number;
  /** Users whose next write (after the run, store healthy) did not leave current = newest history item. */
  readonly disagreeing: number;
  readonly profileWrites: {
    readonly acknowledged: number;
    readonly statuses: Record<number, number>;
    readonly lost: number;
  };
  /** Answers naming another user or another position than their request's, and 503s that are not the one problem. */
  readonly wrongAnswers: string[];
  /** ms from the store's return to the first acknowledged write, and to the last failure of a request sent after it. */
  readonly firstSuccessMs: number | undefined;
  readonly lastFailureSentMs: number;
  /** One answer of each status other than 200 and 503 (what it was). */
  readonly unexpected: Record<number, string>;
  /** Lambda throttles during the run, by function (a throttle behind API Gateway is a 500). */
  readonly throttled: Record<string, number>;
  /** Per second of the run (by when requests were sent): statuses and the slowest answer. */
  readonly timeline: string[];
  /** What the injector failed. */
  readonly injected: number;
}

interface LocationWrite {
  readonly user: User;
  readonly latitude: number;
  readonly answer: Answer;
}

/** A latitude no other request of the run sends: its identity in history. */
const latitudeOf = (i: number) => Math.round((i + 1) * 10) / 10_000;

export async function runOutage(
  runtime: RunningRuntime,
  options: OutageOptions,
  log: (line: string) => void,
): Promise<OutageResult> {
  const { origin } = runtime;
  const { users } = options;
  const faults = runtime.faults;
  if (!faults) throw new Error('the resilience check needs the DynamoDB proxy');
  const headersOf = (user: User) => ({
    'content-type': 'application/json',
    authorization: user.authorization,
  });
  // Every user's first write, outside the measured run: warm environments, every token in the
  // authorizer's cache (as for clients that were already signed in when the store went away).
  for (const user of users) {
    const warm = await send(`${origin}/loc/${user.userId}`, {
      method: 'PUT',
      headers: headersOf(user),
      body: JSON.stringify({ latitude: -1, longitude: 0 }),
    });
    if (warm.status !== 200) throw new Error(`warm-up PUT /loc: ${warm.status} ${warm.body}`);
  }
  // put-location's environments, as many as the outage keeps busy (a failing call retries, so it
  // lasts longer than a write): Lambda starts them side by side when traffic needs them, this
  // machine two at a time, so a cold ramp would queue here for seconds. One burst of calls each
  // held 500 ms by the store, so every call of it needs its own environment.
  const environments = Math.ceil(options.rate / 2);
  log(`outage: warming ${environments} environments of put-location`);
  faults.set(parseFaultSpec('latency=500ms,tables=Locations,ops=PutItem'));
  await Promise.all(
    Array.from({ length: environments }, (_, i) =>
      send(`${origin}/loc/${users[i % users.length]!.userId}`, {
        method: 'PUT',
        headers: headersOf(users[i % users.length]!),
        body: JSON.stringify({ latitude: -2, longitude: 0 }),
      }),
    ),
  );
  faults.set(undefined);
  const writers = users.slice(0, options.profileWriters);
  const etags = new Map<string, string>();
  for (const user of writers) {
    const created = await send(`${origin}/profile/${user.userId}`, {
      method: 'PUT',
      headers: headersOf(user),
      body: JSON.stringify({ displayName: 'Writer', bio: 'w0' }),
    });
    if (created.status !== 201) throw new Error(`PUT /profile: ${created.status} ${created.body}`);
    etags.set(user.userId, created.headers.get('etag') ?? '');
  }

  const seconds = options.beforeSeconds + options.outageSeconds + options.afterSeconds;
  const spec = `outage=${options.beforeSeconds}s+${options.outageSeconds}s`;
  log(
    `outage: ${options.rate} PUT /loc per second for ${seconds} s, store away (${spec}) from ${options.beforeSeconds} s`,
  );
  const throttlesBefore = lambdaThrottles(runtime);
  faults.set(parseFaultSpec(spec));
  const outageEndsAt = performance.now() + (faults.outageEndsAt! - Date.now());
  const loadEndsAt = performance.now() + seconds * 1000;

  const locationLoad = openModel(options.rate, seconds, async (i): Promise<LocationWrite> => {
    const user = users[i % users.length]!;
    const latitude = latitudeOf(i);
    const answer = await send(`${origin}/loc/${user.userId}`, {
      method: 'PUT',
      headers: headersOf(user),
      body: JSON.stringify({ latitude, longitude: 1 }),
    });
    return { user, latitude, answer };
  });
  const profileLoad = Promise.all(
    writers.map((user) => writeProfiles(origin, user, etags, headersOf(user), loadEndsAt)),
  );
  const [writes, profiles] = await Promise.all([locationLoad, profileLoad]);
  const injected = faults.counts().outage;
  const throttled = throttledSince(throttlesBefore, lambdaThrottles(runtime));
  faults.set(undefined);

  const wrongAnswers: string[] = [];
  const unexpected: Record<number, string> = {};
  for (const { answer } of writes) {
    if (answer.status !== 200 && answer.status !== 503)
      unexpected[answer.status] ??= answer.body.slice(0, 300);
  }
  for (const { user, latitude, answer } of writes) {
    if (answer.status === 200) {
      const body = json(answer);
      if (body['userId'] !== user.userId || body['latitude'] !== latitude) {
        wrongAnswers.push(`PUT /loc/${user.userId} (${latitude}) answered ${answer.body}`);
      }
    } else if (answer.status === 503 && !isServiceUnavailable(answer, `/loc/${user.userId}`)) {
      wrongAnswers.push(
        `PUT /loc/${user.userId}: a 503 that is not the service-unavailable problem: ${answer.body}`,
      );
    }
  }

  // Every acknowledged write must be in its user's history, with the time it was acknowledged with;
  // the current location must be in history and no older than the newest acknowledged write.
  log("outage: reading back every user's history and current location");
  let lostLocations = 0;
  let staleCurrent = 0;
  let disagreeing = 0;
  for (const user of users) {
    const history = await readHistory(origin, user);
    const byLatitude = new Map(history.map((item) => [item.latitude, item.updatedAt]));
    const acknowledged = writes.filter((w) => w.user === user && w.answer.status === 200);
    for (const write of acknowledged) {
      if (byLatitude.get(write.latitude) !== json(write.answer)['updatedAt']) lostLocations++;
    }
    const current = json(await send(`${origin}/loc/${user.userId}`, { headers: headersOf(user) }));
    const newest = acknowledged
      .map((w) => String(json(w.answer)['updatedAt']))
      .sort()
      .at(-1);
    const currentInHistory = byLatitude.get(current['latitude'] as number) === current['updatedAt'];
    if (!currentInHistory || (newest !== undefined && String(current['updatedAt']) < newest))
      staleCurrent++;
    // Once the next write succeeds, current and history agree: it is both the current location and
    // the newest history item (a 503'd write that reached history stays an older history item).
    const next = await send(`${origin}/loc/${user.userId}`, {
      method: 'PUT',
      headers: headersOf(user),
      body: JSON.stringify({ latitude: -3, longitude: 0 }),
    });
    const [newestItem] = (
      await send(`${origin}/loc/${user.userId}/history?limit=1`, { headers: headersOf(user) }).then(
        json,
      )
    )['items'] as { latitude: number; updatedAt: string }[];
    const after = json(await send(`${origin}/loc/${user.userId}`, { headers: headersOf(user) }));
    if (
      next.status !== 200 ||
      newestItem?.latitude !== -3 ||
      newestItem.updatedAt !== json(next)['updatedAt'] ||
      after['latitude'] !== -3 ||
      after['updatedAt'] !== newestItem.updatedAt
    ) {
      disagreeing++;
    }
  }

  const profileAnswers = profiles.flatMap((p) => p.answers);
  let lostProfiles = 0;
  for (const { user, lastAcknowledged, attemptedAfter } of profiles) {
    const final = json(
      await send(`${origin}/profile/${user.userId}`, { headers: headersOf(user) }),
    );
    if (final['bio'] !== lastAcknowledged && !attemptedAfter.includes(String(final['bio'])))
      lostProfiles++;
  }
  for (const p of profiles) wrongAnswers.push(...p.wrong);

  const afterOutage = (a: Answer) => a.sentAt >= outageEndsAt;
  const runStart = outageEndsAt - (options.beforeSeconds + options.outageSeconds) * 1000;
  const timeline: string[] = [];
  for (let second = 0; second < seconds; second++) {
    const inSecond = writes.filter(
      (w) => Math.floor((w.answer.sentAt - runStart) / 1000) === second,
    );
    const slowest = Math.max(0, ...inSecond.map((w) => w.answer.doneAt - w.answer.sentAt));
    const phase =
      second < options.beforeSeconds
        ? 'before'
        : second < options.beforeSeconds + options.outageSeconds
          ? 'OUTAGE'
          : 'after';
    timeline.push(
      `${String(second).padStart(3)} s ${phase.padEnd(6)} ${JSON.stringify(tally(inSecond.map((w) => w.answer.status)))} slowest ${Math.round(slowest)} ms`,
    );
  }
  const successesAfter = writes
    .filter((w) => w.answer.status === 200 && w.answer.doneAt >= outageEndsAt)
    .map((w) => w.answer.doneAt);
  const failuresSentAfter = writes
    .filter((w) => w.answer.status !== 200 && afterOutage(w.answer))
    .map((w) => w.answer.sentAt);
  return {
    requests: writes.length,
    statuses: tally(writes.map((w) => w.answer.status)),
    lostLocations,
    staleCurrent,
    disagreeing,
    profileWrites: {
      acknowledged: profileAnswers.filter((a) => a.status === 200).length,
      statuses: tally(profileAnswers.map((a) => a.status)),
      lost: lostProfiles,
    },
    wrongAnswers,
    firstSuccessMs:
      successesAfter.length === 0
        ? undefined
        : Math.round(Math.min(...successesAfter) - outageEndsAt),
    lastFailureSentMs:
      failuresSentAfter.length === 0
        ? 0
        : Math.round(Math.max(...failuresSentAfter) - outageEndsAt),
    injected,
    unexpected,
    throttled,
    timeline,
  };
}

async function readHistory(
  origin: string,
  user: User,
): Promise<{ latitude: number; updatedAt: string }[]> {
  const items: { latitude: number; updatedAt: string }[] = [];
  let cursor: string | undefined;
  do {
    const answer = await send(
      `${origin}/loc/${user.userId}/history?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: user.authorization } },
    );
    if (answer.status !== 200)
      throw new Error(`GET /loc/${user.userId}/history: ${answer.status} ${answer.body}`);
    const page = json(answer) as {
      items: { latitude: number; updatedAt: string }[];
      nextCursor: string | null;
    };
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * One user replacing their profile again and again, each write conditional on the ETag of the last
 * acknowledged one (as a careful client does). A 503 is retried with the same `If-Match` after
 * `Retry-After`; a 412 (an unacknowledged write was stored after all) re-reads the ETag.
 */
async function writeProfiles(
  origin: string,
  user: User,
  etags: Map<string, string>,
  headers: Record<string, string>,
  until: number,
) {
  const answers: Answer[] = [];
  const wrong: string[] = [];
  let lastAcknowledged = 'w0';
  let attemptedAfter: string[] = [];
  let n = 0;
  while (performance.now() < until) {
    const bio = `w${++n}`;
    const answer = await send(`${origin}/profile/${user.userId}`, {
      method: 'PUT',
      headers: { ...headers, 'if-match': etags.get(user.userId)! },
      body: JSON.stringify({ displayName: 'Writer', bio }),
    });
    answers.push(answer);
    if (answer.status === 200) {
      const body = json(answer);
      if (body['userId'] !== user.userId || body['bio'] !== bio)
        wrong.push(`PUT /profile/${user.userId} (${bio}) answered ${answer.body}`);
      lastAcknowledged = bio;
      attemptedAfter = [];
      etags.set(user.userId, answer.headers.get('etag') ?? '');
    } else {
      attemptedAfter.push(bio);
      if (answer.status === 412) {
        const current = await send(`${origin}/profile/${user.userId}`, { headers });
        if (current.status === 200) etags.set(user.userId, current.headers.get('etag') ?? '');
      } else if (
        answer.status === 503 &&
        !isServiceUnavailable(answer, `/profile/${user.userId}`)
      ) {
        wrong.push(
          `PUT /profile/${user.userId}: a 503 that is not the service-unavailable problem: ${answer.body}`,
        );
      }
    }
    await new Promise((resolve) =>
      setTimeout(
        resolve,
        answer.status === 503 ? 1000 * Number(answer.headers.get('retry-after') ?? 1) : 200,
      ),
    );
  }
  return { user, answers, wrong, lastAcknowledged, attemptedAfter };
}
