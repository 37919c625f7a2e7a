import { compareSources } from './compare';
import { formatJson, formatText, summarize } from './report';
import { GitRefSource, WorkingTreeSource, repositoryRoot } from './sources';

export const USAGE = `Usage: npm run contracts:diff -- --base <git-ref> [--json]

Compares every contracts/<svc>/openapi.yaml in the working tree with its version at <git-ref>
and classifies each change as breaking or non-breaking.
Exit codes: 0 compatible (or breaking with a major info.version bump), 1 unmarked breaking change,
2 usage or input error.`;

export interface RunIO {
  readonly cwd: string;
  write(text: string): void;
  error(text: string): void;
}

interface Options {
  base: string;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Options | string {
  let base: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--base') base = argv[++i];
    else if (arg.startsWith('--base=')) base = arg.slice('--base='.length);
    else if (arg === '--help' || arg === '-h') return 'help';
    else return `unknown argument '${arg}'`;
  }
  if (!base) return '--base <git-ref> is required';
  return { base, json };
}

/** The whole CLI as a function of arguments and IO, so tests run it in-process too. */
export function run(argv: readonly string[], io: RunIO): number {
  const options = parseArgs(argv);
  if (options === 'help') {
    io.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof options === 'string') {
    io.error(`contracts:diff: ${options}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const root = repositoryRoot(io.cwd);
    const reports = compareSources(
      new GitRefSource(root, options.base),
      new WorkingTreeSource(root),
    );
    const summary = summarize(options.base, reports);
    io.write(options.json ? formatJson(summary) : formatText(summary));
    return summary.ok ? 0 : 1;
  } catch (error) {
    io.error(`contracts:diff: ${(error as Error).message}\n`);
    return 2;
  }
}
