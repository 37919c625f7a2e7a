export const USAGE = `Usage: npm run review -- --base <git-ref> [options]

The pull-request summary of the working tree against <git-ref>: contract changes (oasdiff) with
the services that call each changed operation, their typecheck and tests, the stacks
\`nx affected -t deploy\` would deploy, and the infrastructure diff of both sides' templates.

  --base <ref>               the base to compare with (required), e.g. origin/main
  --json                     print the result as JSON instead of Markdown
  --out <file>               also write the Markdown to <file>
  --consumer-targets <list>  targets run on each consumer, comma-separated (default: typecheck,test)
  --no-consumer-checks       do not run the consumers' targets
  --no-infra                 do not synthesize or diff templates
  --base-assembly <dir>      use this synthesized cloud assembly of the base instead of synthesizing it
  --head-assembly <dir>      use this synthesized cloud assembly of the working tree

Exit codes: 0 ok, 1 an unmarked breaking contract change or a failed consumer check (the summary
is printed either way), 2 usage or tool error.`;

export interface CliOptions {
  readonly base: string;
  readonly json: boolean;
  readonly out?: string;
  readonly consumerTargets: readonly string[];
  readonly infra: boolean;
  readonly baseAssembly?: string;
  readonly headAssembly?: string;
}

export function parseArgs(argv: readonly string[]): CliOptions | 'help' | string {
  let base: string | undefined;
  let json = false;
  let out: string | undefined;
  let consumerTargets = ['typecheck', 'test'];
  let infra = true;
  let baseAssembly: string | undefined;
  let headAssembly: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--base':
        base = value();
        break;
      case '--json':
        json = true;
        break;
      case '--out':
        out = value();
        break;
      case '--consumer-targets':
        consumerTargets = (value() ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        break;
      case '--no-consumer-checks':
        consumerTargets = [];
        break;
      case '--no-infra':
        infra = false;
        break;
      case '--base-assembly':
        baseAssembly = value();
        break;
      case '--head-assembly':
        headAssembly = value();
        break;
      default:
        return `unknown argument '${arg}'`;
    }
  }
  if (!base) return '--base <git-ref> is required';
  return {
    base,
    json,
    consumerTargets,
    infra,
    ...(out ? { out } : {}),
    ...(baseAssembly ? { baseAssembly } : {}),
    ...(headAssembly ? { headAssembly } : {}),
  };
}
