/**
 * The deploy step's driver (called by tools/release/steps/deploy.sh, which resolves the base):
 *   tsx tools/release/src/deploy/cli.ts --stage <stage> --head <sha> [--base <sha>]
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { execInWorkspace } from '../exec';
import { deployStage } from './deploy-stage';
import { releaseTopology } from './topology';

const log = (line: string) => console.error(`release[deploy]: ${line}`);

try {
  const { values } = parseArgs({
    options: { stage: { type: 'string' }, head: { type: 'string' }, base: { type: 'string' } },
  });
  if (!values.stage || !values.head)
    throw new Error('usage: deploy/cli.ts --stage <stage> --head <sha> [--base <sha>]');
  deployStage({
    stage: values.stage,
    head: values.head,
    base: values.base,
    topology: releaseTopology(values.stage, (line) => log(`warning: ${line}`)),
    exec: execInWorkspace(resolve(__dirname, '../../../..')),
    log,
  });
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
