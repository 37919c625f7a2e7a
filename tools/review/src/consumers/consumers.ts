import { dirname } from 'node:path';
import type { ContractReport } from '@sm/contract-diff';
import type { NxView } from '../nx';
import { findClientCalls, type ClientCall } from './client-calls';

/** A contract that changed, the Nx project it is, and every call made into it through its client. */
export interface ContractConsumers {
  /** `contracts/location/openapi.yaml`. */
  readonly path: string;
  /** Its Nx project, e.g. `contract-location` (undefined when no project owns the directory). */
  readonly project?: string;
  readonly calls: readonly ClientCall[];
}

/**
 * For each changed contract, the calls other projects make through its generated client. The
 * candidates are the projects that depend on the contract's project in Nx's graph (imports and
 * implicit dependencies); the calls themselves come from their source, through the type checker
 * (./client-calls.ts). A project that only implements the contract (location's handlers) or
 * imports its types makes no such call and is not a consumer.
 */
export function findConsumers(
  root: string,
  nx: NxView,
  contracts: readonly ContractReport[],
): ContractConsumers[] {
  const changed = contracts.filter((c) => c.status !== 'unchanged');
  const owners = changed.map((c) => ({ path: c.path, project: projectAt(nx, dirname(c.path)) }));
  const contractProjects = owners
    .map((o) => o.project)
    .filter((p): p is string => p !== undefined)
    .map((name) => ({ name, root: nx.projects.get(name)?.root ?? '' }));
  const callers = [...nx.projects.values()]
    .filter((p) => !contractProjects.some((c) => c.name === p.name))
    .filter((p) =>
      (nx.dependencies.get(p.name) ?? []).some((d) => contractProjects.some((c) => c.name === d)),
    )
    .map((p) => ({ name: p.name, root: p.root }));
  const calls = findClientCalls(root, callers, contractProjects);
  return owners.map((o) => ({
    path: o.path,
    ...(o.project ? { project: o.project } : {}),
    calls: calls.filter((c) => c.contract === o.project),
  }));
}

function projectAt(nx: NxView, root: string): string | undefined {
  return [...nx.projects.values()].find((p) => p.root === root)?.name;
}

/**
 * The calls that reach one operation: the same method and path template. oasdiff reports an
 * operation by its template with parameter names (`--include-path-params`), the form the generated
 * client is called with, so a renamed parameter shows as the old template removed — and the old
 * template is what the callers still use.
 */
export function callsTo(calls: readonly ClientCall[], method: string, path: string): ClientCall[] {
  return calls.filter((c) => c.method === method.toUpperCase() && c.path === path);
}
