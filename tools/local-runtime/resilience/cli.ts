/**
 * `npm run resilience [-- --quick] [--assembly DIR] [--stage NAME]`: the real system on the local
 * runtime while its store fails (issue 14), through the DynamoDB proxy's fault layer.
 *
 * 1. Outage: steady `PUT /loc` (and `PUT /profile` with `If-Match`) through a 5-second outage of
 *    every table; every acknowledged write must then be found (0 lost), every answer must be about
 *    its own request, and the API must serve again within 2 s of the store's return.
 * 2. Slow store: `GET /loc` at the stage rate with every store call 2 s slower: 0 Lambda throttles,
 *    0 500s, 503s (the deadline) — and, above the stage rate (full run only), 429s.
 *
 * `--quick` (CI's short form) runs the outage at 20 writes/s and no slow-store phase unless
 * `--slow-share F` asks for one (4 s at F × the stage rate).
 *
 * Runs the assembly in cdk.out as `npm test` / `npm start` left it (`npm run synth` makes one).
 * Exits 1 when a target is missed, printing the figures either way.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRuntime } from '../src';
import { runOutage, type OutageResult } from './outage';
import { createUser, type User } from './traffic';
import { runSlowStore, type SlowStoreResult } from './slow-store';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    assembly: { type: 'string', default: 'cdk.out' },
    stage: { type: 'string' },
    'slow-share': { type: 'string' },
    'skip-outage': { type: 'boolean', default: false },
    timeline: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    [
      'Usage: npm run resilience -- [--quick] [--assembly DIR] [--stage NAME] [--slow-share F] [--skip-outage]',
      '  --slow-share F   run the slow-store phase at F × the stage rate only (full run: 1 and 1.5; --quick: none unless given)',
      '  --skip-outage    only the slow-store phase',
      '  --timeline       the outage run second by second (statuses, slowest answer)',
      '(tools/local-runtime/README.md, "Resilience check")',
    ].join('\n'),
  );
  process.exit(0);
}
const quick = values.quick;
/** Recovery target: the API serves again within this long after the store returns. */
const RECOVERY_TARGET_MS = 2_000;

const log = (line: string) => console.error(`resilience: ${line}`);
const format = (counts: Record<number, number>) =>
  Object.entries(counts)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');

function outageVerdict(r: OutageResult): string[] {
  const missed: string[] = [];
  if (r.lostLocations > 0) missed.push(`${r.lostLocations} acknowledged PUT /loc writes lost`);
  if (r.staleCurrent > 0)
    missed.push(
      `${r.staleCurrent} users' current location older than their newest acknowledged write, or not in history`,
    );
  if (r.disagreeing > 0)
    missed.push(
      `${r.disagreeing} users' current location is not their newest history item after one more write`,
    );
  if (r.profileWrites.lost > 0)
    missed.push(`${r.profileWrites.lost} acknowledged PUT /profile writes lost`);
  if (r.wrongAnswers.length > 0)
    missed.push(`${r.wrongAnswers.length} wrong answers, e.g. ${r.wrongAnswers[0]}`);
  if (r.injected === 0) missed.push('the outage failed no store call: nothing was tested');
  if (r.firstSuccessMs === undefined) missed.push('no write succeeded after the outage');
  const recovery = Math.max(r.firstSuccessMs ?? Infinity, r.lastFailureSentMs);
  if (recovery > RECOVERY_TARGET_MS)
    missed.push(`recovery took ${recovery} ms (target ≤ ${RECOVERY_TARGET_MS} ms)`);
  const unexpected = Object.keys(r.statuses).filter((s) => s !== '200' && s !== '503');
  if (unexpected.length > 0)
    missed.push(
      `PUT /loc answered ${unexpected.join(', ')} (only 200 and 503 expected): ${Object.entries(
        r.unexpected,
      )
        .map(([status, body]) => `${status} ${body}`)
        .join('; ')}`,
    );
  return missed;
}

function slowVerdict(r: SlowStoreResult, aboveLimit: boolean): string[] {
  const missed: string[] = [];
  if (r.lambdaThrottles > 0) missed.push(`${r.lambdaThrottles} Lambda throttles`);
  const fivehundreds = Object.entries(r.statuses).filter(([s]) => Number(s) >= 500 && s !== '503');
  if (fivehundreds.length > 0)
    missed.push(`5xx other than 503: ${fivehundreds.map(([s, n]) => `${s}: ${n}`).join(', ')}`);
  const unexpected = Object.keys(r.statuses).filter(
    (s) => !['200', '503', ...(aboveLimit ? ['429'] : [])].includes(s),
  );
  if (unexpected.length > 0)
    missed.push(
      `GET /loc answered ${unexpected.join(', ')}: ${Object.entries(r.unexpected)
        .map(([status, body]) => `${status} ${body}`)
        .join('; ')}`,
    );
  if ((r.statuses[503] ?? 0) === 0)
    missed.push('no 503: the store was not slow enough to test the deadline');
  if (r.wrongAnswers.length > 0)
    missed.push(`${r.wrongAnswers.length} wrong answers, e.g. ${r.wrongAnswers[0]}`);
  return missed;
}

async function main(): Promise<void> {
  const assemblyDir = resolve(values.assembly);
  if (!existsSync(join(assemblyDir, 'manifest.json'))) {
    throw new Error(
      `no cloud assembly in ${assemblyDir}: run \`npm run synth\` (or \`npm start\` once) first`,
    );
  }
  const started = performance.now();
  const runtime = await startRuntime({
    assemblyDir,
    stage: values.stage,
    port: 0,
    inMemory: true,
    quiet: true,
    log: () => undefined,
    monitorLog: () => undefined,
  });
  const missed: string[] = [];
  try {
    // Sign-up and sign-in hash with scrypt (~0.5 s of CPU each): one set of users serves both phases.
    const userCount = quick ? 4 : 10;
    log(`creating ${userCount} users`);
    const users: User[] = [];
    for (let i = 0; i < userCount; i++)
      users.push(await createUser(runtime.origin, `resilience${i}`));
    if (!values['skip-outage']) {
      const outage = await runOutage(
        runtime,
        quick
          ? {
              rate: 20,
              users,
              beforeSeconds: 2,
              outageSeconds: 5,
              afterSeconds: 4,
              profileWriters: 2,
            }
          : {
              rate: 40,
              users,
              beforeSeconds: 5,
              outageSeconds: 5,
              afterSeconds: 8,
              profileWriters: 4,
            },
        log,
      );
      const recovery = Math.max(outage.firstSuccessMs ?? Infinity, outage.lastFailureSentMs);
      console.log(
        [
          '',
          `outage (5 s, every table): PUT /loc requests ${outage.requests} (${format(outage.statuses)}); store calls failed by the outage ${outage.injected}`,
          `  acknowledged writes lost: ${outage.lostLocations}; users whose current location went back: ${outage.staleCurrent}; current ≠ newest history item after one more write: ${outage.disagreeing}`,
          `  PUT /profile with If-Match: ${outage.profileWrites.acknowledged} acknowledged (${format(outage.profileWrites.statuses)}), lost ${outage.profileWrites.lost}`,
          `  recovery after the store returned: first acknowledged write after ${outage.firstSuccessMs ?? '—'} ms, last failure sent ${outage.lastFailureSentMs} ms after; recovery ${Number.isFinite(recovery) ? recovery : '—'} ms (target ≤ ${RECOVERY_TARGET_MS})`,
          `  Lambda throttles: ${
            Object.entries(outage.throttled)
              .map(([name, n]) => `${name} ${n}`)
              .join(', ') || '0'
          }`,
          `  wrong answers (identity, problem shape): ${outage.wrongAnswers.length}`,
        ].join('\n'),
      );
      if (values.timeline) console.log(outage.timeline.map((line) => `  ${line}`).join('\n'));
      missed.push(...outageVerdict(outage).map((m) => `outage: ${m}`));
    }

    const share = values['slow-share'] === undefined ? undefined : Number(values['slow-share']);
    if (share !== undefined && !(share > 0 && share <= 3))
      throw new Error(`--slow-share must be in (0, 3], got ${values['slow-share']}`);
    // The quick form (CI's) is the outage only: the slow store at the stage rate runs at the margin
    // of what one shared machine emulates (a few Lambda throttles in some short runs), see README.
    const phases = share !== undefined ? [share] : quick ? [] : [1, 1.5];
    for (const share of phases) {
      const slow = await runSlowStore(
        runtime,
        { latencyMs: 2_000, seconds: quick ? 4 : 10, users, rateShare: share },
        log,
      );
      console.log(
        [
          '',
          `slow store (+2 s per call) at ${share === 1 ? 'the stage rate' : `${share} × the stage rate`}, ${slow.rate}/s: GET /loc requests ${slow.requests} (${format(slow.statuses)})`,
          `  Lambda throttles ${slow.lambdaThrottles}; 500s ${slow.statuses[500] ?? 0}; 503s ${slow.statuses[503] ?? 0}; 429s ${slow.statuses[429] ?? 0}; latency p99 ${slow.p99Ms} ms, max ${slow.maxMs} ms`,
          `  wrong answers (identity, problem shape): ${slow.wrongAnswers.length}`,
        ].join('\n'),
      );
      missed.push(...slowVerdict(slow, share > 1).map((m) => `slow store ×${share}: ${m}`));
    }
  } finally {
    await runtime.close();
  }
  console.log(
    `\nresilience check (${quick ? 'quick' : 'full'}) took ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (missed.length > 0) {
    console.log(`\nMISSED:\n${missed.map((m) => `  - ${m}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('every target met.');
  }
}

main().catch((error: unknown) => {
  console.error(`resilience: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
