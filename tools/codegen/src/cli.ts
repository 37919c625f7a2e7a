import { parseArgs } from 'node:util';
import { formatReportEntry } from './emit-apigw-models';
import { findStaleFiles, writeResult } from './files';
import { contracts, findContract, regenerateCommand, type ContractEntry } from './manifest';
import { toolWorkspaceRoot } from './workspace';

const usage = `Usage: tsx tools/codegen/src/cli.ts (--contract <name> | --all) [--check] [--root <dir>]
  --contract <name>  generate one contract (${contracts.map((c) => c.name).join(', ')})
  --all              generate every contract
  --check            generate in memory, list stale files and exit 1 if any (writes nothing)
  --root <dir>       workspace to read contracts from and write to (default: this repository)`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      contract: { type: 'string' },
      all: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      root: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help || values.all === (values.contract !== undefined)) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const root = values.root ?? toolWorkspaceRoot;
  const selected: readonly ContractEntry[] = values.all
    ? contracts
    : [findContract(values.contract as string)];

  // Loaded only once the arguments are valid: openapi-typescript takes seconds to load.
  const { generateContract } = await import('./generate');
  let staleCount = 0;
  for (const contract of selected) {
    const result = await generateContract(contract, root);
    const project = `contract-${contract.name}`;
    if (values.check) {
      const stale = findStaleFiles(root, result);
      for (const file of stale) console.error(`${project}: stale ${file.path} (${file.reason})`);
      if (stale.length > 0)
        console.error(`${project}: run \`${regenerateCommand(contract)}\` and commit the result`);
      else console.log(`${project}: ${result.files.length} generated files up to date`);
      staleCount += stale.length;
      continue;
    }
    const changed = writeResult(root, result);
    const removed = changed.filter((f) => f.reason === 'unexpected').length;
    const written = changed.length - removed;
    console.log(
      `${project}: ${written} files written, ${result.files.length - written} unchanged, ${removed} removed`,
    );
    console.log(
      `${project}: ${result.report.length} rules not carried to API Gateway models (enforced by the Lambda validator):`,
    );
    for (const entry of result.report) console.log(`  ${formatReportEntry(entry)}`);
  }
  return staleCount > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
