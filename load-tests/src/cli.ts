/**
 * Soft-limit load tests: below each method's stage rate no 429 and no 5xx; above it 429 problems from
 * the gateway, still no 5xx, and every acknowledged write readable afterwards.
 *
 *   npm run load                      # local runtime from cdk.out, 20 s per phase
 *   npm run load -- --quick           # 3 s per phase (CI)
 *   npm run load -- --url https://<api>.execute-api.<region>.amazonaws.com/prod/   # a deployed stage
 *   npm run load -- --only 'PUT /loc' --verbose   # one scenario, with the local functions' logs
 */
import { parseArgs } from 'node:util';
import { scenarios, seed, USERS, type ScenarioResult } from './scenarios';
import { signUpAndSignIn } from './session';
import { openTarget } from './target';
import { statusList } from './verdict';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      assembly: { type: 'string', default: 'cdk.out' },
      quick: { type: 'boolean', default: false },
      seconds: { type: 'string' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds ?? (values.quick ? 3 : 20));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
    throw new Error(`--seconds must be an integer from 1 to 600, got ${values.seconds}`);
  }
  const target = await openTarget({
    url: values.url,
    assemblyDir: values.assembly ?? 'cdk.out',
    verbose: values.verbose,
  });
  console.log(`load-tests against ${target.describe}, ${seconds} s per phase`);
  const results: ScenarioResult[] = [];
  try {
    const sessions = await Promise.all(
      Array.from({ length: USERS }, () => signUpAndSignIn(target.baseUrl)),
    );
    for (const session of sessions) await seed(target.baseUrl, session);
    for (const scenario of scenarios.filter((s) => s.name.includes(values.only ?? ''))) {
      // Let the previous phase's token buckets refill so phases do not disturb each other.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const result = await scenario.run({
        baseUrl: target.baseUrl,
        system: target.system,
        sessions,
        seconds,
      });
      results.push(result);
      console.log(
        `${result.verdict.passed ? 'PASS' : 'FAIL'}  ${scenario.name} — ${scenario.summary}`,
      );
      for (const failure of result.verdict.failures) console.log(`      ${failure}`);
    }
  } finally {
    await target.close();
  }
  printTable(results);
  const failed = results.filter((r) => !r.verdict.passed).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

function printTable(results: ScenarioResult[]): void {
  console.table(
    results.map((r) => ({
      scenario: r.name,
      'rate/burst limit': `${r.limits.rateLimit}/${r.limits.burstLimit}`,
      'reserved conc.': r.limits.reservedConcurrency ?? 'unreserved',
      'offered rps': r.rps,
      sent: r.outcome.sent,
      statuses: statusList(r.outcome),
      'p50 ms': r.outcome.p50Ms,
      'p99 ms': r.outcome.p99Ms,
    })),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
