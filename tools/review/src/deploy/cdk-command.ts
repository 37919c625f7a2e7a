import { stageNamed } from '@sm/infra';

/**
 * The stacks a `cdk deploy` command line selects, read the way the CDK CLI (aws-cdk 2.1148,
 * toolkit-lib's stack selectors) reads it: positional arguments after `deploy` are picomatch
 * patterns on hierarchical ids (`Prod/SmAuth`; `*` does not cross `/`, `!` excludes); `--all` is
 * every top-level stack (not those inside a stage); without `--exclusively` the stacks a selected
 * one depends on are deployed too. Options that take a value are skipped with their value.
 */
export interface CdkDeploy {
  readonly all: boolean;
  readonly patterns: readonly string[];
  /** `--exclusively`/`-e`: only the selected stacks, not the ones they depend on. */
  readonly exclusively: boolean;
  /** `-c key=value` context given on the command line. */
  readonly context: Readonly<Record<string, string>>;
}

/** `cdk deploy` options followed by a value (`--require-approval never`); the rest are flags. */
const TAKES_VALUE = new Set([
  '--app',
  '-a',
  '--context',
  '-c',
  '--profile',
  '--role-arn',
  '-r',
  '--output',
  '-o',
  '--plugin',
  '-p',
  '--require-approval',
  '--toolkit-stack-name',
  '--tags',
  '-t',
  '--method',
  '-m',
  '--change-set-name',
  '--parameters',
  '--outputs-file',
  '-O',
  '--notification-arns',
  '--concurrency',
  '--progress',
  '--build-exclude',
  '-E',
  '--ca-bundle-path',
  '--proxy',
  '--telemetry-file',
]);

/**
 * Each deployment in a shell command line, as the `cdk deploy` it runs:
 * - `cdk deploy …` itself (`npx cdk deploy …`, `node_modules/.bin/cdk deploy …`);
 * - this repository's `npm run deploy:stack -- --stage <stage> --stack <id>`
 *   (apps/platform/src/deploy/deploy-stack.ts), which runs `cdk deploy --app <assembly>
 *   <Stage>/<id> --exclusively`, the stage's CDK id taken from `@sm/infra`'s list of stages.
 */
export function parseCdkDeploys(
  commandLine: string,
  stageId: (stage: string) => string = (stage) => stageNamed(stage).id,
): CdkDeploy[] {
  const deploys: CdkDeploy[] = [];
  for (const segment of commandLine.split(/&&|\|\||;|\n/)) {
    const words = shellWords(segment);
    const deployStack = deployStackOf(words, stageId);
    if (deployStack) {
      deploys.push(deployStack);
      continue;
    }
    const at = words.findIndex(
      (w, i) => (w === 'cdk' || w.endsWith('/cdk')) && words[i + 1] === 'deploy',
    );
    if (at === -1) continue;
    const patterns: string[] = [];
    const context: Record<string, string> = {};
    let all = false;
    let exclusively = false;
    const rest = words.slice(at + 2);
    for (let i = 0; i < rest.length; i++) {
      const word = rest[i] ?? '';
      const eq = word.startsWith('-') ? word.indexOf('=') : -1;
      const flag = eq > 0 ? word.slice(0, eq) : word;
      const inline = eq > 0 ? word.slice(eq + 1) : undefined;
      if (flag === '--all') all = true;
      else if (flag === '--exclusively' || flag === '-e') exclusively = true;
      else if (flag === '--context' || flag === '-c') {
        const value = inline ?? rest[++i] ?? '';
        const at = value.indexOf('=');
        if (at > 0) context[value.slice(0, at)] = value.slice(at + 1);
      } else if (flag.startsWith('-')) {
        if (inline === undefined && TAKES_VALUE.has(flag)) i++;
      } else patterns.push(word);
    }
    deploys.push({ all, patterns, exclusively, context });
  }
  return deploys;
}

/** `npm run [-s] deploy:stack -- --stage prod --stack SmLocation` → `cdk deploy Prod/SmLocation -e`. */
function deployStackOf(words: string[], stageId: (stage: string) => string): CdkDeploy | undefined {
  const at = words.indexOf('deploy:stack');
  if (at === -1 || !words.slice(0, at).includes('run')) return undefined;
  const option = (name: string) => {
    const i = words.indexOf(`--${name}`, at);
    const inline = words.find((w, j) => j > at && w.startsWith(`--${name}=`));
    return inline ? inline.slice(name.length + 3) : i === -1 ? undefined : words[i + 1];
  };
  const stage = option('stage');
  const stack = option('stack');
  if (!stage || !stack) return { all: false, patterns: [], exclusively: true, context: {} };
  return { all: false, patterns: [`${stageId(stage)}/${stack}`], exclusively: true, context: {} };
}

/** A stack as selection needs it: its hierarchical id, stage, and the stacks it depends on. */
export interface SelectableStack {
  readonly id: string;
  readonly stage?: string;
  readonly dependencies: readonly string[];
}

/**
 * The hierarchical ids `cdk deploy` would deploy for `deploy`, in the assembly's order, or an
 * error in the CLI's words (no selector and more than one stack, a pattern matching nothing).
 */
export function selectStacks(
  deploy: CdkDeploy,
  stacks: readonly SelectableStack[],
): { ids: string[] } | { error: string } {
  let selected: Set<string>;
  if (deploy.all) selected = new Set(stacks.filter((s) => !s.stage).map((s) => s.id));
  else if (deploy.patterns.length === 0) {
    const top = stacks.filter((s) => !s.stage);
    if (top.length !== 1)
      return { error: 'no stack named and the app has more than one: cdk deploy would refuse' };
    selected = new Set(top.map((s) => s.id));
  } else {
    const positives = deploy.patterns.filter((p) => !p.startsWith('!'));
    const negatives = deploy.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    selected = new Set(
      stacks
        .map((s) => s.id)
        .filter(
          (id) =>
            (positives.length === 0 || positives.some((p) => matchesPattern(p, id))) &&
            !negatives.some((p) => matchesPattern(p, id)),
        ),
    );
    if (selected.size === 0)
      return { error: `no stack matches ${deploy.patterns.map((p) => `'${p}'`).join(' ')}` };
  }
  if (!deploy.exclusively) {
    const byId = new Map(stacks.map((s) => [s.id, s]));
    const pending = [...selected];
    while (pending.length > 0) {
      for (const dep of byId.get(pending.pop() ?? '')?.dependencies ?? []) {
        if (!selected.has(dep)) {
          selected.add(dep);
          pending.push(dep);
        }
      }
    }
  }
  return { ids: stacks.map((s) => s.id).filter((id) => selected.has(id)) };
}

/** Whether a stack pattern matches a hierarchical id: `*` and `?` within a segment, `**` across. */
export function matchesPattern(pattern: string, id: string): boolean {
  const regex = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.split('?').map(escape).join('[^/]'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${regex}$`).test(id);
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** Splits a shell command into words: single and double quotes, backslash escapes; no expansion. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}
