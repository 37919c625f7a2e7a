import path from 'node:path';
import { checkBounded } from './bounds';
import { bundle } from './bundle';
import { collectOperations } from './collect-operations';
import type { ReportEntry } from './draft4';
import { buildApiGatewayModels } from './emit-apigw-models';
import { emitClient } from './emit-client';
import { emitOperations } from './emit-operations';
import { emitTypes } from './emit-types';
import { emitValidatorTypes, emitValidators } from './emit-validators';
import { commentHeader, jsonNotice, jsonNoticeKey } from './header';
import { outputFiles, type ContractEntry, type OutputKind } from './manifest';

export interface GeneratedFile {
  /** Workspace-relative path with forward slashes. */
  readonly path: string;
  readonly content: string;
}

export interface GenerationResult {
  readonly contract: ContractEntry;
  readonly files: readonly GeneratedFile[];
  /** Rules the draft-4 conversion could not carry to API Gateway (enforced by Lambda instead). */
  readonly report: readonly ReportEntry[];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Fails when the contract reads a file its manifest entry (and so Nx's cache inputs) omits, or the reverse. */
function checkReferences(contract: ContractEntry, read: readonly string[]): void {
  const declared = new Set([contract.source, ...contract.references]);
  const undeclared = read.filter((f) => !declared.has(f));
  const unused = [...declared].filter((f) => !read.includes(f));
  if (undeclared.length > 0 || unused.length > 0) {
    throw new Error(
      `contract ${contract.name}: the manifest's references are out of date ` +
        `(read but not listed: ${undeclared.join(', ') || 'none'}; listed but not read: ${unused.join(', ') || 'none'}). ` +
        `Update tools/codegen/src/manifest.ts and the inputs of contract-${contract.name}'s generate target.`,
    );
  }
}

/**
 * Generates every output of one contract in memory. Nothing here reads the clock, the
 * environment or the file system beyond the contract's sources, so the same sources always
 * give byte-identical files.
 */
export async function generateContract(
  contract: ContractEntry,
  workspaceRoot: string,
): Promise<GenerationResult> {
  const { document, files: read } = bundle(workspaceRoot, contract.source);
  checkReferences(contract, read);
  checkBounded(contract.name, document);
  const sources = [contract.source, ...[...contract.references].sort()];
  const header = commentHeader(contract, sources);
  const notice = jsonNotice(contract, sources);
  const operations = collectOperations(document);
  const apiGatewayModels = buildApiGatewayModels(document, operations);

  const contents: Record<OutputKind, string> = {
    types: await emitTypes(header, document),
    operations: emitOperations(header, operations),
    validators: await emitValidators(header, document, operations),
    validatorTypes: emitValidatorTypes(header, operations),
    apiGatewayModels: json({ [jsonNoticeKey]: notice, ...apiGatewayModels }),
    openApi: json({ [jsonNoticeKey]: notice, ...document }),
    client: emitClient(header, contract, contract.name),
  };
  const files = (Object.keys(outputFiles) as OutputKind[]).map((kind) => ({
    path: path.posix.join(contract.outDir, outputFiles[kind]),
    content: contents[kind],
  }));
  return { contract, files, report: apiGatewayModels.report };
}
