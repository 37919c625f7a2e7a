/**
 * Runs the npm package openapi-diff (0.24.1, Apache-2.0) over the same fixture pairs as this
 * tool's tests and prints, per case, what it concluded next to what the case expects. This is
 * the evidence behind the classifier decision in ../../README.md; rerun it when openapi-diff
 * is upgraded:  npx tsx tools/contract-diff/src/evaluation/openapi-diff-evaluation.ts
 *
 * openapi-diff cannot follow a `$ref` into another file from in-memory content, so both sides
 * are first bundled with this tool's resolver — the most favourable input it can get.
 */
import openApiDiff from 'openapi-diff';
import { breakingCases, compatibleCases } from '../__fixtures__/cases';
import { loadFixtureFiles, memorySource, PETS } from '../__fixtures__/fixtures';
import { loadBundled } from '../resolve';

async function verdict(base: object, head: object): Promise<string> {
  try {
    const outcome = await openApiDiff.diffSpecs({
      sourceSpec: { content: JSON.stringify(base), location: 'base.json', format: 'openapi3' },
      destinationSpec: { content: JSON.stringify(head), location: 'head.json', format: 'openapi3' },
    });
    if (outcome.breakingDifferencesFound) return 'breaking';
    const seen = outcome.nonBreakingDifferences.length + outcome.unclassifiedDifferences.length;
    return seen > 0 ? 'non-breaking' : 'no difference found';
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

async function main(): Promise<void> {
  let agree = 0;
  let caught = 0;
  let falseAlarms = 0;
  const rows: string[] = [];
  const cases = [...breakingCases, ...compatibleCases];
  for (const testCase of cases) {
    const base = loadFixtureFiles();
    testCase.prepare?.(base);
    const head = structuredClone(base);
    testCase.mutate(head);
    const got = await verdict(
      loadBundled(memorySource(base), PETS),
      loadBundled(memorySource(head), PETS),
    );
    const ok = got === testCase.expect.class;
    if (ok) agree++;
    // What matters for a CI gate: does it fail on a break, and does it pass a compatible change?
    if (testCase.expect.class === 'breaking' && got === 'breaking') caught++;
    if (testCase.expect.class === 'non-breaking' && got === 'breaking') falseAlarms++;
    rows.push(
      `${ok ? 'ok  ' : 'MISS'}  expected ${testCase.expect.class.padEnd(12)}  openapi-diff: ${got.padEnd(20)}  ${testCase.name}`,
    );
  }
  process.stdout.write(
    [
      ...rows,
      '',
      `openapi-diff agrees on ${agree} of ${cases.length} fixture pairs.`,
      `As a gate: fails ${caught} of ${breakingCases.length} breaking changes; fails ${falseAlarms} of ${compatibleCases.length} compatible ones.`,
      '',
    ].join('\n'),
  );
}

void main();
