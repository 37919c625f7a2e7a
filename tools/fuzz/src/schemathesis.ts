import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { FuzzContract } from './contracts';
import { assertFuzzTarget } from './loopback';
import type { FuzzOptions } from './options';
import type { FuzzUser } from './session';

/**
 * The checks every response meets. All of schemathesis' checks except three that contradict how
 * API Gateway REST works or what the contracts say:
 * - `unsupported_method`, `allow_header_conformance`: they want 405 + `Allow` for a method the
 *   contract does not declare; API Gateway answers any undeclared method or path with its
 *   MISSING_AUTHENTICATION_TOKEN gateway response (templated here as a 404 `route-not-found`
 *   problem), and cannot be made to answer 405.
 * - `object_level_authorization`: it wants one user unable to read what another created; here any
 *   signed-in user may read any profile and current location by contract (only writes and history
 *   are owner-only, which the owner-path hook exercises: foreign ids must get 403).
 * `cursor_rejection_names_cursor` is ours (python/fuzz_hooks.py).
 */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'ignored_auth',
  'use_after_free',
  'ensure_resource_availability',
  'cursor_rejection_names_cursor',
] as const;

export interface SchemathesisRun {
  contract: FuzzContract;
  baseUrl: string;
  /**
   * Requests/s for anything no operation's own limit covers (each operation's limit is in the
   * generated config file): the tightest operation's rate.
   */
  ratePerSecond: number;
  reportDir: string;
  options: Pick<
    FuzzOptions,
    'maxExamples' | 'maxTimeSeconds' | 'seed' | 'phases' | 'workers' | 'continueOnFailure'
  >;
}

export function reportPaths(reportDir: string): { json: string; junit: string } {
  return { json: join(reportDir, 'report.json'), junit: join(reportDir, 'junit.xml') };
}

/** The `schemathesis` command line for one contract; `configFile` comes from `renderConfig`. */
export function schemathesisArgs(run: SchemathesisRun, configFile: string): string[] {
  const { options } = run;
  const reports = reportPaths(run.reportDir);
  const args = [
    '--config-file',
    configFile,
    'run',
    run.contract.specPath,
    '--url',
    run.baseUrl,
    '--checks',
    CHECKS.join(','),
    // Positive and negative data: schema-valid requests must be accepted, malformed ones refused with 4xx.
    '--mode',
    'all',
    '--phases',
    options.phases.join(','),
    '--max-examples',
    String(options.maxExamples),
    '--rate-limit',
    `${run.ratePerSecond}/s`,
    '--workers',
    String(options.workers),
    '--request-timeout',
    '15',
    '--report',
    'json,junit',
    '--report-json-path',
    reports.json,
    '--report-junit-path',
    reports.junit,
    '--seed',
    String(options.seed),
  ];
  if (options.maxTimeSeconds !== undefined) args.push('--max-time', String(options.maxTimeSeconds));
  if (options.continueOnFailure) args.push('--continue-on-failure');
  return args;
}

/** Where the hooks send their own requests. */
export interface HookTarget {
  /** The base URL of the contract's API under test. */
  baseUrl: string;
  /** The auth API's base URL: the hooks sign the fuzz user in there for a token of its own. */
  authUrl: string;
  /** A deployed stage the user named (`--stage`, `--api`): the hooks may then reach it over https. */
  deployed: boolean;
}

/** What the hooks (python/fuzz_hooks.py) need to know about the target and the fuzz user. */
export function schemathesisEnv(
  target: HookTarget,
  user: FuzzUser,
  hooksDir: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...env,
    PYTHONPATH: [hooksDir, env['PYTHONPATH']].filter(Boolean).join(delimiter),
    SCHEMATHESIS_HOOKS: 'fuzz_hooks',
    FUZZ_BASE_URL: target.baseUrl,
    FUZZ_AUTH_URL: target.authUrl,
    FUZZ_DEPLOYED: target.deployed ? '1' : '0',
    FUZZ_TOKEN: user.token,
    FUZZ_USER_ID: user.userId,
    FUZZ_USERNAME: user.username,
    FUZZ_PASSWORD: user.password,
    // Report lines appear as they happen, also when stdout is a pipe (CI); no __pycache__ in the tree.
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/**
 * Makes sure the repo's `.venv` holds the pinned schemathesis (tools/python/setup.sh is idempotent
 * and cheap when nothing changed) and returns its CLI.
 */
export function ensureSchemathesis(workspaceRoot: string): string {
  const setup = spawnSync('bash', [join(workspaceRoot, 'tools', 'python', 'setup.sh')], {
    cwd: workspaceRoot,
    stdio: 'inherit',
  });
  if (setup.status !== 0)
    throw new Error(`tools/python/setup.sh failed (exit ${setup.status ?? setup.signal})`);
  const cli = join(workspaceRoot, '.venv', 'bin', 'schemathesis');
  if (!existsSync(cli))
    throw new Error(
      `${cli} is missing after tools/python/setup.sh; is schemathesis in tools/python/requirements.txt?`,
    );
  return cli;
}

export interface RunOutcome {
  exitCode: number | null;
  timedOut: boolean;
  seconds: number;
  /** Everything schemathesis printed (its report), also kept in `logFile`. */
  output: string;
}

/**
 * Runs schemathesis for one contract and stops it (SIGTERM, then SIGKILL) if it outlives
 * `timeoutSeconds`. Its report is captured rather than streamed, so contracts can run side by side
 * and each report still reads as one block. The target must be this machine unless `deployed` says
 * the user named a deployed stage (see `assertFuzzTarget`).
 */
export async function runSchemathesis(
  cli: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutSeconds: number,
  options: { logFile?: string; deployed?: boolean } = {},
): Promise<RunOutcome> {
  const logFile = options.logFile ?? join(cwd, 'schemathesis.log');
  const baseUrl = args[args.indexOf('--url') + 1];
  if (baseUrl) assertFuzzTarget(baseUrl, options.deployed ?? false);
  mkdirSync(cwd, { recursive: true });
  const log = createWriteStream(logFile);
  const chunks: Buffer[] = [];
  const started = performance.now();
  const outcome = await new Promise<Omit<RunOutcome, 'output'>>((resolve, reject) => {
    const child = spawn(cli, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        log.write(chunk);
      });
    }
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    const stop = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    }, timeoutSeconds * 1000);
    child.once('error', (error) => {
      clearTimeout(stop);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(stop);
      if (kill) clearTimeout(kill);
      resolve({ exitCode, timedOut, seconds: (performance.now() - started) / 1000 });
    });
  }).finally(() => new Promise<void>((resolve) => log.end(() => resolve())));
  return { ...outcome, output: Buffer.concat(chunks).toString('utf8') };
}
