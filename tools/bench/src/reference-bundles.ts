import { build } from 'esbuild';
import { join } from 'node:path';
import type { ServiceBuildOptions } from './workspace';

/** A bundle to compare the services against. */
export interface ReferenceBundle {
  readonly label: string;
  readonly bundlePath: string;
}

// What a Lambda must at least load: nothing at all, and the DynamoDB DocumentClient every service
// creates at module scope. A command is sent in the handler so tree-shaking keeps what a real
// call needs.
const SOURCES = {
  'empty-handler': `export const handler = async () => ({ statusCode: 204 });`,
  'dynamodb-client': `
    import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    export const handler = async () => client.send(new GetCommand({ TableName: 'bench', Key: { id: 'x' } }));
  `,
  // The floor issue 3 sets for every function: the same client plus the Powertools Logger and
  // Metrics each service must create at module scope (no Tracer: it loads only when tracing is on).
  'dynamodb-powertools': `
    import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
    import { Logger } from '@aws-lambda-powertools/logger';
    import { Metrics } from '@aws-lambda-powertools/metrics';
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const logger = new Logger();
    const metrics = new Metrics();
    export const handler = async () => {
      logger.info('bench');
      metrics.publishStoredMetrics();
      return client.send(new GetCommand({ TableName: 'bench', Key: { id: 'x' } }));
    };
  `,
} as const;

/**
 * Builds the empty-handler, bare-DynamoDB-client and client-plus-Powertools bundles with the
 * services' own esbuild options.
 */
export const buildReferenceBundles = async (
  root: string,
  outDir: string,
  options: ServiceBuildOptions,
): Promise<{ empty: ReferenceBundle; dynamodb: ReferenceBundle; powertools: ReferenceBundle }> => {
  const bundle = async (name: keyof typeof SOURCES): Promise<string> => {
    const outfile = join(outDir, `${name}.js`);
    await build({
      stdin: { contents: SOURCES[name], resolveDir: root, sourcefile: `${name}.ts`, loader: 'ts' },
      outfile,
      bundle: true,
      platform: options.platform,
      target: options.target,
      format: options.format,
      minify: options.minify,
      sourcemap: options.sourcemap,
      ...(options.legalComments === undefined ? {} : { legalComments: options.legalComments }),
      ...(options.mainFields === undefined ? {} : { mainFields: [...options.mainFields] }),
      logLevel: 'warning',
    });
    return outfile;
  };
  return {
    empty: { label: 'empty handler', bundlePath: await bundle('empty-handler') },
    dynamodb: { label: 'bare DynamoDB DocumentClient', bundlePath: await bundle('dynamodb-client') },
    powertools: {
      label: 'DocumentClient + Powertools Logger and Metrics',
      bundlePath: await bundle('dynamodb-powertools'),
    },
  };
};
