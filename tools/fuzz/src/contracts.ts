import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** HTTP methods an OpenAPI path item can hold. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface ContractOperation {
  operationId: string;
  /** Upper case, as API Gateway spells it. */
  method: string;
  /** OpenAPI path template, e.g. `/loc/{userId}`. */
  path: string;
}

/** A service contract as the fuzzer uses it: its bundled document and its operations. */
export interface FuzzContract {
  name: string;
  title: string;
  /** `contracts/<name>/src/generated/openapi.json`: every `$ref` to another file already inlined. */
  specPath: string;
  operations: ContractOperation[];
}

interface OpenApiDocument {
  info?: { title?: string };
  paths?: Record<string, Partial<Record<(typeof METHODS)[number], { operationId?: string }>>>;
}

/** Reads the operations of a bundled OpenAPI document. */
export function readContract(name: string, specPath: string): FuzzContract {
  const document = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) operations.push({ operationId: operation.operationId ?? `${method} ${path}`, method: method.toUpperCase(), path });
    }
  }
  return { name, title: document.info?.title ?? name, specPath, operations };
}

/**
 * Every service contract of the workspace that has a bundled document (the shared `common`
 * components have no API of their own and no bundle), optionally narrowed to `only`.
 */
export function findContracts(workspaceRoot: string, only: string[] = []): FuzzContract[] {
  const contractsDir = join(workspaceRoot, 'contracts');
  const found = readdirSync(contractsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, specPath: join(contractsDir, entry.name, 'src', 'generated', 'openapi.json') }))
    .filter(({ specPath }) => existsSync(specPath))
    .sort((a, b) => a.name.localeCompare(b.name));
  const unknown = only.filter((name) => !found.some((contract) => contract.name === name));
  if (unknown.length > 0) {
    throw new Error(`No bundled contract named ${unknown.join(', ')}; known: ${found.map((c) => c.name).join(', ')}`);
  }
  return found.filter(({ name }) => only.length === 0 || only.includes(name)).map(({ name, specPath }) => readContract(name, specPath));
}
