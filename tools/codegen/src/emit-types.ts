import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import type { JsonObject } from './bundle';

/**
 * Emits `types.ts` with openapi-typescript from the bundled document, so component names survive
 * and no file outside the contract is read. openapi-typescript also lints the document (Redocly)
 * and fails on a structural error, which makes it the first check a contract change meets.
 */
export async function emitTypes(header: string, document: JsonObject): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, { silent: true });
  return `${header}\n\n${astToString(ast).trimEnd()}\n`;
}
