/**
 * Swapping a newly synthesized cloud assembly into a running runtime, as a CloudFormation update
 * of the same stacks would change a deployment: functions updated in place (their calls in flight
 * finish on the old code), new functions and tables created, the REST APIs' routes, models,
 * authorizers and throttling replaced for the requests that arrive next. Nothing stored is lost:
 * the store keeps running, and a table that left the templates is left alone with a warning (a
 * stack update with a retained table; the local runtime never deletes data).
 *
 * Everything that can refuse the new assembly (its reservations, its routes, a table whose key
 * schema changed) is checked before anything changes, so a refused reload leaves the old system
 * serving as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ApiModel, LocalSystem } from './assembly';
import { ensureTables } from './dynamodb';
import type { Gateway } from './gateway/gateway';
import type { AliasRouter, FunctionSpec, LambdaService } from './lambda';

/** What a reload changed. */
export interface ReloadSummary {
  functions: { added: string[]; updated: string[]; removed: string[] };
  tables: { created: string[]; leftAlone: string[] };
  /** Whether any REST API changed (then the gateway was replaced), and the routes that came and went. */
  apis: { changed: boolean; routesAdded: string[]; routesRemoved: string[] };
}

export interface ReloadTarget {
  readonly lambda: LambdaService;
  /** The store's endpoint, for creating tables. */
  readonly dynamoEndpoint: string;
  /** Builds a gateway for these APIs (throws on conflicting routes, as at start). */
  makeGateway(apis: ApiModel[]): Gateway;
  /** Account concurrency the Lambda service enforces, and its unreserved minimum. */
  readonly accountConcurrency: number;
  /**
   * Publishes the new system's versions and moves its aliases, called right after the functions
   * changed, in the same turn (no call can route through an alias of the old system to a function
   * of the new one in between).
   */
  applyVersions?(next: LocalSystem): void;
}

/** The system after a reload, the gateway to serve it with, and what changed. */
export interface ReloadResult {
  system: LocalSystem;
  /** The new gateway, or undefined when no API changed (the running one keeps its state). */
  gateway: Gateway | undefined;
  summary: ReloadSummary;
}

/** Lambda keeps at least this much of the account's concurrency unreserved. */
const UNRESERVED_MINIMUM = 100;

/**
 * Applies `next` over `current`: checks it, creates the tables it adds, updates, adds and removes
 * functions, and returns the gateway for its APIs. `log` gets the warnings a developer must see.
 */
export async function reloadSystem(
  target: ReloadTarget,
  current: LocalSystem,
  next: LocalSystem,
  log: (line: string) => void,
): Promise<ReloadResult> {
  // 1. Refusals first: nothing has changed yet.
  checkReservations(next.functions, target.accountConcurrency);
  const apisChanged = !sameApis(current.apis, next.apis);
  const gateway = apisChanged ? target.makeGateway(next.apis) : undefined;
  // A table kept from before whose key schema changed fails here (DynamoDB cannot change it).
  const tables = await ensureTables(target.dynamoEndpoint, next.tables);

  // 2. Functions: removals first, so their reservations are free for the others.
  const before = new Map(current.functions.map((fn) => [fn.id, fn]));
  const after = new Map(next.functions.map((fn) => [fn.id, fn]));
  const summary: ReloadSummary = {
    functions: { added: [], updated: [], removed: [] },
    tables: { created: tables.created, leftAlone: [] },
    apis: { changed: apisChanged, routesAdded: [], routesRemoved: [] },
  };
  for (const id of before.keys()) {
    if (after.has(id)) continue;
    target.lambda.remove(id);
    summary.functions.removed.push(id);
  }
  // Lowered reservations before raised ones, so the total never passes the account's limit midway.
  const updates = [...after.values()]
    .filter((fn) => before.has(fn.id))
    .sort((a, b) => reservedDelta(before, a) - reservedDelta(before, b));
  for (const fn of updates) {
    const was = before.get(fn.id) as FunctionSpec;
    // A re-synthesized assembly stages unchanged code in its own directory: same files, stay warm.
    if (was.codeDir !== fn.codeDir && sameSpecBut(was, fn) && sameFiles(was.codeDir, fn.codeDir)) {
      target.lambda.relocate(fn);
      continue;
    }
    if (target.lambda.update(fn)) summary.functions.updated.push(fn.id);
  }
  for (const fn of after.values()) {
    if (before.has(fn.id)) continue;
    target.lambda.register(fn);
    summary.functions.added.push(fn.id);
  }
  target.applyVersions?.(next);

  // 3. Tables that left the templates keep their data.
  const kept = new Set(next.tables.map((table) => table.tableName));
  for (const table of current.tables) {
    if (kept.has(table.tableName)) continue;
    summary.tables.leftAlone.push(table.tableName);
    log(
      `table ${table.tableName} (${table.id}) is no longer in the templates: left alone in the local store with its data (delete the data directory, or run with --in-memory, to drop it)`,
    );
  }

  const routes = (apis: ApiModel[]) =>
    new Set(apis.flatMap((api) => api.methods.map((m) => `${m.httpMethod} ${m.resourcePath}`)));
  const [oldRoutes, newRoutes] = [routes(current.apis), routes(next.apis)];
  summary.apis.routesAdded = [...newRoutes].filter((route) => !oldRoutes.has(route));
  summary.apis.routesRemoved = [...oldRoutes].filter((route) => !newRoutes.has(route));
  return { system: next, gateway, summary };
}

/**
 * Versions and aliases as `system`'s templates publish them: each `AWS::Lambda::Version` a version
 * of its function (the same build: a local version number names the function's current code, so an
 * alias keeps pointing at the code a reload just swapped in, as it would once a deployment of the
 * new template completed), each `AWS::Lambda::Alias` routed as its template says. `replayed` is the
 * alias a canary replay moves: it stays where the replay has it.
 */
export function applyVersions(
  router: AliasRouter,
  system: LocalSystem,
  replayed?: { functionId: string; alias: string },
): void {
  for (const { functionId, version } of system.lambdaVersions.versions) {
    if (!router.hasVersion(functionId, version)) router.publishVersion(functionId, version);
  }
  for (const alias of system.lambdaVersions.aliases) {
    if (replayed?.functionId === alias.functionId && replayed.alias === alias.name) continue;
    router.setAlias(alias.functionId, alias.name, {
      version: alias.version,
      additionalVersionWeights: alias.additionalVersionWeights,
    });
  }
}

/** The same check `LambdaService.register` makes, for the whole new system before any change. */
function checkReservations(functions: FunctionSpec[], accountConcurrency: number): void {
  const total = functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
  const minimum = Math.min(UNRESERVED_MINIMUM, accountConcurrency);
  if (total > accountConcurrency - minimum) {
    throw new Error(
      `the functions reserve ${total} of the account's ${accountConcurrency} concurrent executions, leaving ${accountConcurrency - total}; Lambda requires at least ${minimum} unreserved`,
    );
  }
}

/** Whether two specs differ in nothing but their code directory. */
function sameSpecBut(a: FunctionSpec, b: FunctionSpec): boolean {
  return isDeepStrictEqual({ ...a, codeDir: '' }, { ...b, codeDir: '' });
}

/** Whether two directories hold the same files with the same bytes (a function's asset: ~1 MB). */
function sameFiles(a: string, b: string): boolean {
  const list = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  try {
    const [left, right] = [list(a), list(b)];
    if (!isDeepStrictEqual(left, right)) return false;
    return left.every((file) => {
      try {
        return readFileSync(join(a, file)).equals(readFileSync(join(b, file)));
      } catch {
        // A directory entry: its files are compared on their own.
        return true;
      }
    });
  } catch {
    return false;
  }
}

function reservedDelta(before: Map<string, FunctionSpec>, fn: FunctionSpec): number {
  return (fn.reservedConcurrency ?? 0) - (before.get(fn.id)?.reservedConcurrency ?? 0);
}

/** REST APIs are equal when every resolved part is (routes, models, authorizers, throttling, …). */
function sameApis(a: ApiModel[], b: ApiModel[]): boolean {
  return isDeepStrictEqual(a, b);
}

/** A one-line description of a reload's changes, e.g. `2 functions updated, 1 table created`. */
export function describeReload(summary: ReloadSummary): string {
  const parts: string[] = [];
  const count = (n: number, what: string, how: string) => {
    if (n > 0) parts.push(`${n} ${what}${n === 1 ? '' : 's'} ${how}`);
  };
  count(summary.functions.updated.length, 'function', 'updated');
  count(summary.functions.added.length, 'function', 'added');
  count(summary.functions.removed.length, 'function', 'removed');
  count(summary.tables.created.length, 'table', 'created');
  count(summary.tables.leftAlone.length, 'table', 'left alone');
  if (summary.apis.changed) {
    const routes = [
      ...summary.apis.routesAdded.map((route) => `+${route}`),
      ...summary.apis.routesRemoved.map((route) => `-${route}`),
    ];
    parts.push(`APIs swapped${routes.length > 0 ? ` (${routes.join(', ')})` : ''}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'nothing changed in the running system';
}
