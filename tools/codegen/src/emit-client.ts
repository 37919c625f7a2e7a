import { pascalCase } from './collect-operations';
import type { ContractEntry } from './manifest';

/** Emits `client.ts`: a typed openapi-fetch client factory for consumers of the contract. */
export function emitClient(header: string, contract: ContractEntry, title: string): string {
  const service = pascalCase(contract.name);
  const factory = contract.clientFactory;
  return `${header}

import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './types';

/** Options of {@link ${factory}}. */
export interface ${service}ClientOptions {
  /** Base URL of the ${title} API, without a trailing slash: \`https://<api-id>.execute-api.<region>.amazonaws.com/prod\`. */
  readonly baseUrl: string;
  /**
   * The fetch implementation to use, for a timeout (\`AbortSignal.timeout\`), tracing or tests.
   * @default globalThis.fetch
   */
  readonly fetch?: ClientOptions['fetch'];
  /** Headers sent with every request, such as \`Authorization: Bearer <token>\`. */
  readonly headers?: ClientOptions['headers'];
}

/** A client of the ${title} API whose paths, parameters, bodies and responses come from its contract. */
export type ${service}Client = Client<paths>;

/** Creates a typed client of the ${title} API. */
export function ${factory}(options: ${service}ClientOptions): ${service}Client {
  const { baseUrl, fetch, headers } = options;
  return createClient<paths>({
    baseUrl,
    ...(fetch === undefined ? {} : { fetch }),
    ...(headers === undefined ? {} : { headers }),
  });
}
`;
}
