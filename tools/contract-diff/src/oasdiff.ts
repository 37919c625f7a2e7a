import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Change, ChangeLevel, SourceLine } from './types';

/** Where tools/go/install.sh puts the pinned oasdiff (git-ignored). */
export const OASDIFF_BIN = resolve(__dirname, '../../../.tools/bin/oasdiff');

/** One entry of `oasdiff changelog --format json` (its `oasdiff schema`), the parts we use. */
interface OasdiffEntry {
  readonly id: string;
  readonly text: string;
  readonly level: number;
  readonly operation?: string;
  readonly operationId?: string;
  readonly path?: string;
  readonly baseSource?: { readonly file: string; readonly line: number };
  readonly revisionSource?: { readonly file: string; readonly line: number };
}

const LEVELS: Record<number, ChangeLevel> = { 1: 'info', 2: 'warning', 3: 'error' };

export interface OasdiffRun {
  /** Directory both sides were written under; `base/…` and `head/…` inside it. */
  readonly cwd: string;
  /** Repository-relative path of the contract, the same on both sides. */
  readonly contract: string;
  /** oasdiff `--severity-levels` file (see ./levels.ts); none: oasdiff's own levels. */
  readonly levelsFile?: string;
  /** Match endpoints with their path-parameter names (see {@link runOasdiff}). @default true */
  readonly includePathParams?: boolean;
  /** An empty oasdiff config file: passing one skips oasdiff's lookup of `.oasdiff.*` in `cwd`. */
  readonly configFile: string;
  /**
   * Merge `allOf` subschemas before comparing (`--flatten-allof`). Exact where `allOf` is used
   * (without it oasdiff compares branch by branch and reports an equivalent refactoring as removed
   * properties), but its findings then carry no source line, so it is used only when needed.
   */
  readonly flattenAllOf: boolean;
}

/**
 * Runs `oasdiff changelog` on the two sides of one contract and returns every change at every
 * level, classified: oasdiff's ERR and WARN are breaking (WARN means oasdiff cannot prove the
 * change safe, and a gate fails closed), INFO is not.
 *
 * `--include-path-params`: endpoints are matched with their path-parameter names, because the
 * generated client is keyed by the literal path template (`client.GET('/loc/{userId}')`): renaming
 * `{userId}` breaks every caller's code, though not the URL on the wire.
 */
export function runOasdiff(run: OasdiffRun): Change[] {
  if (!existsSync(OASDIFF_BIN)) {
    throw new Error(
      `oasdiff is not installed at ${OASDIFF_BIN}: run \`bash tools/go/install.sh\` (needs Go)`,
    );
  }
  const args = [
    'changelog',
    join('base', run.contract),
    join('head', run.contract),
    '--format',
    'json',
    ...(run.includePathParams === false ? [] : ['--include-path-params']),
    ...(run.levelsFile ? ['--severity-levels', run.levelsFile] : []),
    '--config',
    run.configFile,
    ...(run.flattenAllOf ? ['--flatten-allof'] : []),
  ];
  let stdout: string;
  try {
    stdout = execFileSync(OASDIFF_BIN, args, {
      cwd: run.cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`oasdiff failed on ${run.contract}${stderr ? `: ${stderr}` : ''}`, {
      cause: error,
    });
  }
  const entries = JSON.parse(stdout.trim() === '' ? '[]' : stdout) as OasdiffEntry[] | null;
  return (entries ?? []).map(toChange);
}

function toChange(entry: OasdiffEntry): Change {
  const level = LEVELS[entry.level];
  if (!level) throw new Error(`oasdiff reported an unknown level ${entry.level} for ${entry.id}`);
  const operation =
    entry.operation && entry.path
      ? {
          method: entry.operation.toUpperCase(),
          path: entry.path,
          ...(entry.operationId ? { operationId: entry.operationId } : {}),
        }
      : undefined;
  const where = locate(entry.id, entry.text);
  const source = sourceOf(entry);
  return {
    class: level === 'info' ? 'non-breaking' : 'breaking',
    level,
    code: entry.id,
    origin: 'oasdiff',
    ...(operation ? { operation } : {}),
    location: [
      operation ? `${operation.method} ${operation.path}` : 'document',
      where.part,
      where.jsonPath,
    ]
      .filter(Boolean)
      .join(' › '),
    ...(where.jsonPath ? { jsonPath: where.jsonPath } : {}),
    message: entry.text,
    ...(source ? { source } : {}),
  };
}

/** The side's prefix comes off: `head/contracts/common/components.yaml` → repository-relative. */
function sourceOf(entry: OasdiffEntry): SourceLine | undefined {
  const [side, found] = entry.revisionSource
    ? (['head', entry.revisionSource] as const)
    : entry.baseSource
      ? (['base', entry.baseSource] as const)
      : [undefined, undefined];
  if (!side || !found?.file) return undefined;
  const file = found.file.replace(/^(base|head)\//, '');
  return { side, file, line: found.line };
}

/**
 * The part of the operation (request body, a parameter, a response status) and the property path,
 * read from oasdiff's message: it names them in backticks (`the \`query\` request parameter
 * \`limit\``, `the optional property \`items/items/altitude\` … the \`200\` status`). oasdiff writes
 * a property path with `/` between names, `items` standing for an array's elements.
 */
export function locate(id: string, text: string): { part?: string; jsonPath?: string } {
  const parameter = /`(path|query|header|cookie)` request parameter `([^`]+)`/.exec(text);
  const status = /status `([^`]+)`|`(\d{3}|default)` status/.exec(text);
  // "the `accuracy` request property `type` changed" names the property first, the keyword after.
  const property =
    /`([^`]+)` (?:request|response) property/.exec(text) ?? /propert(?:y|ies) `([^`]+)`/.exec(text);
  const jsonPath = property?.[1] ? `/${property[1]}` : undefined;
  let part: string | undefined;
  if (parameter) part = `parameter ${parameter[1]}.${parameter[2]}`;
  else if (id.includes('response')) part = `response${status ? ` ${status[1] ?? status[2]}` : ''}`;
  else if (id.includes('request')) part = 'request body';
  return { ...(part ? { part } : {}), ...(jsonPath ? { jsonPath } : {}) };
}
