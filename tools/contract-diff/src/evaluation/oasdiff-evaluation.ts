/**
 * Runs oasdiff over every fixture pair of this tool's tests, four ways, and prints per case what
 * each concluded next to what the case expects. The evidence behind "oasdiff classifies, a thin
 * layer adds the rest" in ../../README.md; rerun it when oasdiff or the policy changes:
 *   npx tsx tools/contract-diff/src/evaluation/oasdiff-evaluation.ts
 *
 *   shipped      oasdiff's defaults, ERR = breaking (its own `--fail-on ERR` gate)
 *   shipped+warn oasdiff's defaults, ERR or WARN = breaking (`--fail-on WARN`)
 *   levels       this repository's levels (src/levels.ts) and --include-path-params
 *   classifier   what `npm run contracts:diff` does: levels plus the conventions (src/conventions.ts)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { breakingCases, compatibleCases } from '../__fixtures__/cases';
import { loadFixtureFiles, memorySource, PETS } from '../__fixtures__/fixtures';
import { compareSources } from '../compare';
import { severityLevelsFile } from '../levels';
import { runOasdiff } from '../oasdiff';
import { loadContract } from '../resolve';
import type { ChangeClass } from '../types';

type Way = 'shipped' | 'shipped+warn' | 'levels' | 'classifier';
const WAYS: readonly Way[] = ['shipped', 'shipped+warn', 'levels', 'classifier'];

const workdir = mkdtempSync(join(tmpdir(), 'oasdiff-evaluation-'));
const levelsFile = join(workdir, 'levels.txt');
const configFile = join(workdir, 'oasdiff.yaml');
writeFileSync(levelsFile, severityLevelsFile());
writeFileSync(configFile, '# flags on the command line\n');

function verdicts(
  base: ReturnType<typeof loadFixtureFiles>,
  head: typeof base,
): Record<Way, ChangeClass> {
  for (const [side, files] of [
    ['base', base],
    ['head', head],
  ] as const) {
    for (const [path, text] of loadContract(memorySource(files), PETS).files) {
      const file = join(workdir, side, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  const shipped = runOasdiff({
    cwd: workdir,
    contract: PETS,
    configFile,
    includePathParams: false,
    flattenAllOf: false,
  });
  const levels = runOasdiff({
    cwd: workdir,
    contract: PETS,
    configFile,
    levelsFile,
    flattenAllOf: false,
  });
  const report = compareSources(memorySource(base), memorySource(head)).find(
    (r) => r.path === PETS,
  );
  const klass = (breaking: boolean): ChangeClass => (breaking ? 'breaking' : 'non-breaking');
  return {
    shipped: klass(shipped.some((c) => c.level === 'error')),
    'shipped+warn': klass(shipped.some((c) => c.level !== 'info')),
    levels: klass(levels.some((c) => c.class === 'breaking')),
    classifier: klass((report?.unmarkedBreaking ?? 0) > 0),
  };
}

const cases = [...breakingCases, ...compatibleCases];
const WIDTH = 16;
const rows: string[] = [
  `${WAYS.map((w) => `  ${w}`.padEnd(WIDTH)).join('')}${'expected'.padEnd(WIDTH)}case (✗: disagrees)`,
];
const agree = Object.fromEntries(WAYS.map((w) => [w, 0])) as Record<Way, number>;
const caught = { ...agree };
const falseAlarms = { ...agree };
try {
  for (const testCase of cases) {
    const base = loadFixtureFiles();
    testCase.prepare?.(base);
    const head = structuredClone(base);
    testCase.mutate(head);
    const got = verdicts(base, head);
    for (const way of WAYS) {
      if (got[way] === testCase.expect.class) agree[way]++;
      if (testCase.expect.class === 'breaking' && got[way] === 'breaking') caught[way]++;
      if (testCase.expect.class === 'non-breaking' && got[way] === 'breaking') falseAlarms[way]++;
    }
    const cell = (way: Way) =>
      `${got[way] === testCase.expect.class ? '  ' : '✗ '}${got[way]}`.padEnd(WIDTH);
    rows.push(`${WAYS.map(cell).join('')}${testCase.expect.class.padEnd(WIDTH)}${testCase.name}`);
  }
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
const breaking = breakingCases.length;
const compatible = compatibleCases.length;
process.stdout.write(
  [
    ...rows,
    '',
    ...WAYS.map(
      (way) =>
        `${way.padEnd(13)} agrees on ${agree[way]} of ${cases.length}; as a gate it fails ${caught[way]} of ${breaking} breaking changes and ${falseAlarms[way]} of ${compatible} compatible ones.`,
    ),
    '',
  ].join('\n'),
);
