import type { OperationInfo } from './collect-operations';
import { tsLiteral } from './ts-literal';

/** The manifest entry of one operation, exactly as `operations.ts` declares it. */
export function manifestEntry(operation: OperationInfo) {
  return {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    secured: operation.secured,
    successStatuses: operation.responses
      .filter((r) => r.status.startsWith('2'))
      .map((r) => Number(r.status)),
    requestBody: operation.requestBody && {
      required: operation.requestBody.required,
      contentType: operation.requestBody.contentType,
      model: operation.requestBody.model,
      maxBytes: operation.requestBody.maxBytes,
    },
    parameters: operation.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required })),
    responses: Object.fromEntries(operation.responses.map((r) => [r.status, r.contentType])),
  };
}

const entryInterface = `/** What the runtime needs to know about one operation, read from the contract. */
export interface OperationManifestEntry {
  readonly operationId: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE';
  /** The path template, as in the contract: \`/profile/{userId}\`. */
  readonly path: string;
  /** Whether the operation requires the bearer token (checked by the TOKEN authorizer). */
  readonly secured: boolean;
  /** The 2xx statuses the operation may answer with. */
  readonly successStatuses: readonly number[];
  /**
   * \`model\` names the body's model in \`apigw-models.json\`; \`maxBytes\` is the largest body the
   * operation accepts (twice the largest compact JSON of a valid body plus 1 KiB): 413 above it.
   */
  readonly requestBody: {
    readonly required: boolean;
    readonly contentType: string;
    readonly model: string;
    readonly maxBytes: number;
  } | null;
  /** Header parameters keep the contract's spelling (\`If-Match\`); validators use lower case. */
  readonly parameters: readonly {
    readonly name: string;
    readonly in: 'path' | 'query' | 'header';
    readonly required: boolean;
  }[];
  /** Media type of each declared response by status; \`null\` for a response without a body. */
  readonly responses: { readonly [status: string]: string | null };
}`;

/** Emits `operations.ts`: the runtime manifest keyed by operationId. */
export function emitOperations(header: string, operations: readonly OperationInfo[]): string {
  const manifest = Object.fromEntries(operations.map((o) => [o.operationId, manifestEntry(o)]));
  return `${header}

${entryInterface}

export const operationManifest = ${tsLiteral(manifest)} as const satisfies Record<string, OperationManifestEntry>;

export type OperationId = keyof typeof operationManifest;
`;
}
