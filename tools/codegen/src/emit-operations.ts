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
  /** \`model\` names the body's model in \`apigw-models.json\`. */
  readonly requestBody: {
    readonly required: boolean;
    readonly contentType: string;
    readonly model: string;
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

/** A parameter value as it travels in a URL or header: a string, objects and arrays as JSON. */
function asParameterValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The request the contract's own examples make for one operation: every path parameter, the
 * required query parameters and headers, and the body. What the contract gives no example for is
 * listed in `missing` (for example `path userId`), never invented.
 */
export function exampleRequest(operation: OperationInfo) {
  const missing: string[] = [];
  const values = (location: string, requiredOnly: boolean) =>
    Object.fromEntries(
      operation.parameters
        .filter((p) => p.in === location && (p.required || !requiredOnly))
        .flatMap((p) => {
          if (p.example === undefined) {
            if (p.required) missing.push(`${p.in} ${p.name}`);
            return [];
          }
          return [[p.name, asParameterValue(p.example)]];
        }),
    );
  const pathParameters = values('path', false);
  const queryStringParameters = values('query', true);
  const headers = values('header', true);
  const body = operation.requestBody?.example ?? null;
  if (operation.requestBody?.required && body === null) missing.push('body');
  return { pathParameters, queryStringParameters, headers, body, missing };
}

const exampleInterface = `/**
 * One request per operation made of the contract's own examples (parameter, schema and media-type
 * \`example\`/\`examples\`): deployment smoke tests and local tools start from it.
 */
export interface OperationExample {
  /** Every path parameter, by name. */
  readonly pathParameters: { readonly [name: string]: string };
  /** The required query parameters. */
  readonly queryStringParameters: { readonly [name: string]: string };
  /** The required headers, in the contract's spelling. */
  readonly headers: { readonly [name: string]: string };
  /** The example body, or \`null\` without one. */
  readonly body: unknown;
  /** Required parts the contract gives no example for (\`path userId\`, \`body\`). */
  readonly missing: readonly string[];
}`;

/** Emits `operations.ts`: the runtime manifest keyed by operationId. */
export function emitOperations(header: string, operations: readonly OperationInfo[]): string {
  const manifest = Object.fromEntries(operations.map((o) => [o.operationId, manifestEntry(o)]));
  const examples = Object.fromEntries(operations.map((o) => [o.operationId, exampleRequest(o)]));
  return `${header}

${entryInterface}

export const operationManifest = ${tsLiteral(manifest)} as const satisfies Record<string, OperationManifestEntry>;

export type OperationId = keyof typeof operationManifest;

${exampleInterface}

export const operationExamples = ${tsLiteral(examples)} as const satisfies Record<OperationId, OperationExample>;
`;
}
