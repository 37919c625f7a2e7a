/**
 * `npm run release:rehearse [-- --quick] [--since <ref>] [--no-synth] [--assembly DIR]`
 *
 * Replays the synthesized release pipeline on this machine (see ./rehearse.ts) and prints each
 * step's verdict and time. Exits 1 when a step failed. `--quick` is the short form CI runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rehearse, type StepVerdict } from './rehearse';

const root = resolve(__dirname, '../../..');
const log = (line: string) => console.error(`rehearse: ${line}`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      since: { type: 'string' },
      'no-synth': { type: 'boolean', default: false },
      assembly: { type: 'string', default: 'cdk.out' },
    },
  });
  const assemblyDir = resolve(root, values.assembly ?? 'cdk.out');
  const since = values.since
    ? execFileSync('git', ['rev-parse', '--verify', `${values.since}^{commit}`], {
        cwd: root,
        encoding: 'utf8',
      }).trim()
    : undefined;
  const started = performance.now();
  const prepare: StepVerdict[] = [];
  if (values['no-synth']) {
    prepare.push({
      action: '(prepare)',
      step: 'synth',
      verdict: 'skipped',
      seconds: 0,
      note: `--no-synth: using ${values.assembly} as it is`,
    });
  } else {
    const synthStarted = performance.now();
    log('npm run synth (the pipeline and both stages, as every deploy action synthesizes them)');
    execFileSync('npm', ['run', '-s', 'synth'], { cwd: root, stdio: 'inherit' });
    prepare.push({
      action: '(prepare)',
      step: 'synth',
      verdict: 'passed',
      seconds: (performance.now() - synthStarted) / 1000,
      note: 'npm run synth',
    });
  }
  const workDir = join(root, '.release', 'rehearsal');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const verdicts = [
    ...prepare,
    ...(await rehearse({ root, assemblyDir, workDir, quick: values.quick ?? false, since, log })),
  ];
  printTable(verdicts, (performance.now() - started) / 1000);
  const failed = verdicts.filter((v) => v.verdict === 'failed' || v.verdict === 'not run');
  console.log(
    failed.length === 0
      ? 'release rehearsal: passed'
      : `release rehearsal: FAILED at ${failed[0]?.action} ${failed[0]?.step}`,
  );
  console.log(`stand-in state and gate reports: ${join('.release', 'rehearsal')}/`);
  return failed.length === 0 ? 0 : 1;
}

function printTable(verdicts: readonly StepVerdict[], total: number): void {
  const rows = verdicts.map((v) => [
    v.action,
    v.step,
    v.verdict,
    v.verdict === 'passed' || v.verdict === 'failed' || v.seconds > 0
      ? `${v.seconds.toFixed(1)} s`
      : '',
    v.note,
  ]);
  const header = ['action', 'step', 'verdict', 'time', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  console.log();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(`total ${total.toFixed(1)} s`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rehearse: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
