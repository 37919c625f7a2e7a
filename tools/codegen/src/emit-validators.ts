import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import { build, type Plugin } from 'esbuild';
import { deref, isObject, schemaRefName, type Json, type JsonObject } from './bundle';
import type { OperationInfo, ParameterLocation } from './collect-operations';
import { mapSchema } from './schema-walk';
import { toolWorkspaceRoot } from './workspace';

/** OpenAPI 3.0 schema keywords that only annotate; ajv must accept them in strict mode. */
const annotationKeywords = ['example', 'xml', 'externalDocs'];

/**
 * One ajv configuration for everything the generator compiles, so build-time checks (tests,
 * example validation) and the shipped validators agree. `allErrors` lets a 400 list every failing
 * field; inputs are bounded by the contract's own limits (maxLength, maxItems).
 */
export function createAjv(mode: 'parameters' | 'data'): Ajv {
  const options: Options = {
    code: { source: true, lines: true },
    strict: true,
    allErrors: true,
    discriminator: true,
    // Referenced schemas become shared functions instead of being copied into every caller.
    inlineRefs: false,
    // Parameters arrive as strings: "20" must become 20 and a missing limit its default, in place.
    ...(mode === 'parameters' ? { coerceTypes: true, useDefaults: true } : {}),
  };
  const ajv = new Ajv(options);
  addFormats(ajv);
  ajv.addVocabulary(annotationKeywords);
  return ajv;
}

/** The id a component schema gets inside ajv; local `$ref`s are rewritten to it. */
export function componentSchemaId(name: string): string {
  return `https://contracts.sm.internal/components/schemas/${name}.json`;
}

/** An OpenAPI schema as ajv wants it: local refs made absolute, `x-` extensions dropped. */
export function toAjvSchema(schema: Json): Json {
  return mapSchema(schema, (node) => {
    const out: JsonObject = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword.startsWith('x-')) continue;
      if (keyword === '$ref' && typeof value === 'string') {
        const name = schemaRefName(node);
        if (!name) throw new Error(`Only component schema $refs are supported, not "${value}"`);
        out[keyword] = componentSchemaId(name);
      } else {
        out[keyword] = value;
      }
    }
    return out;
  });
}

/** Registers every component schema of a bundled document with an ajv instance. */
export function addComponentSchemas(ajv: Ajv, document: JsonObject): void {
  const components = document['components'];
  const schemas =
    isObject(components) && isObject(components['schemas']) ? components['schemas'] : {};
  for (const [name, schema] of Object.entries(schemas)) {
    ajv.addSchema(toAjvSchema(schema) as object, componentSchemaId(name));
  }
}

/** Header names are case-insensitive; validators see them lower-cased, as the adapters pass them. */
export function parameterKey(location: ParameterLocation, name: string): string {
  return location === 'header' ? name.toLowerCase() : name;
}

/**
 * The schema of `{ path, query, header }` for one operation. A parameter whose schema is a `$ref`
 * is resolved one level, so its `default` sits where ajv's `useDefaults` applies it. Undeclared
 * query parameters and headers are allowed: clients and API Gateway add their own.
 */
export function parametersSchema(document: JsonObject, operation: OperationInfo): JsonObject {
  const group = (location: ParameterLocation): JsonObject => {
    const declared = operation.parameters.filter((p) => p.in === location);
    return {
      type: 'object',
      default: {},
      properties: Object.fromEntries(
        declared.map((p) => [
          parameterKey(location, p.name),
          toAjvSchema(deref(document, p.schema as JsonObject)),
        ]),
      ),
      required: declared.filter((p) => p.required).map((p) => parameterKey(location, p.name)),
    };
  };
  return {
    type: 'object',
    properties: { path: group('path'), query: group('query'), header: group('header') },
  };
}

interface Exports {
  readonly parameters: Record<string, string>;
  readonly data: Record<string, string>;
}

function exportNames(operation: OperationInfo) {
  return {
    parameters: `${operation.operationId}Parameters`,
    body: `${operation.operationId}Body`,
    response: (status: string) => `${operation.operationId}Response${status}`,
  };
}

/** Compiles every operation's validators into two ajv standalone CommonJS modules. */
export function compileStandalone(document: JsonObject, operations: readonly OperationInfo[]) {
  const parametersAjv = createAjv('parameters');
  const dataAjv = createAjv('data');
  addComponentSchemas(parametersAjv, document);
  addComponentSchemas(dataAjv, document);
  const exports: Exports = { parameters: {}, data: {} };
  for (const operation of operations) {
    const names = exportNames(operation);
    const parametersId = `https://contracts.sm.internal/operations/${operation.operationId}/parameters.json`;
    parametersAjv.addSchema(parametersSchema(document, operation), parametersId);
    exports.parameters[names.parameters] = parametersId;
    if (operation.requestBody) {
      const id = `https://contracts.sm.internal/operations/${operation.operationId}/body.json`;
      dataAjv.addSchema(toAjvSchema(operation.requestBody.schema) as object, id);
      exports.data[names.body] = id;
    }
    for (const response of operation.responses) {
      if (response.schema === null) continue;
      const id = `https://contracts.sm.internal/operations/${operation.operationId}/responses/${response.status}.json`;
      dataAjv.addSchema(toAjvSchema(response.schema) as object, id);
      exports.data[names.response(response.status)] = id;
    }
  }
  return {
    parameters: standaloneCode(parametersAjv, exports.parameters),
    data: standaloneCode(dataAjv, exports.data),
  };
}

function entryModule(operations: readonly OperationInfo[]): string {
  const lines = operations.map((operation) => {
    const names = exportNames(operation);
    const responses = operation.responses
      .filter((r) => r.schema !== null)
      .map((r) => `'${r.status}': data.${names.response(r.status)}`)
      .join(', ');
    const body = operation.requestBody ? ` body: data.${names.body},` : '';
    return `  ${operation.operationId}: { parameters: parameters.${names.parameters},${body} responses: { ${responses} } },`;
  });
  return [
    "const parameters = require('virtual:parameters');",
    "const data = require('virtual:data');",
    'exports.validators = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

/**
 * Bundles the standalone modules with esbuild into one CommonJS file. ajv's standalone output
 * still `require`s small runtime helpers (`ajv/dist/runtime/ucs2length`, the ajv-formats
 * functions); bundling inlines them so a Lambda bundle never resolves ajv at run time.
 * Paths in esbuild's comments are relative to the tool's workspace, so output is machine-independent.
 */
async function bundleValidators(header: string, modules: Record<string, string>): Promise<string> {
  const virtual: Plugin = {
    name: 'virtual-modules',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^virtual:/ }, (args) => ({
        path: args.path.slice('virtual:'.length),
        namespace: 'virtual',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'virtual' }, (args) => {
        const contents = modules[args.path];
        if (contents === undefined) throw new Error(`No virtual module "${args.path}"`);
        return { contents, loader: 'js', resolveDir: toolWorkspaceRoot };
      });
    },
  };
  const result = await build({
    entryPoints: ['virtual:entry'],
    absWorkingDir: toolWorkspaceRoot,
    // Module paths appear in esbuild's comments: keep them `node_modules/…` even when
    // node_modules is a symlink (CI caches, worktrees), so the output does not depend on it.
    preserveSymlinks: true,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    banner: { js: header },
    plugins: [virtual],
  });
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1)
    throw new Error('esbuild produced no single output');
  return output.text;
}

/** Emits `validators.cjs`: every operation's parameter, body and response validators. */
export async function emitValidators(
  header: string,
  document: JsonObject,
  operations: readonly OperationInfo[],
): Promise<string> {
  const compiled = compileStandalone(document, operations);
  return bundleValidators(header, { entry: entryModule(operations), ...compiled });
}

/** Emits `validators.d.cts`, typing each validator precisely (bodies as type guards). */
export function emitValidatorTypes(header: string, operations: readonly OperationInfo[]): string {
  const entries = operations.map((operation) => {
    const op = `operations['${operation.operationId}']`;
    const body = operation.requestBody
      ? `    readonly body: ValidateFunction<NonNullable<${op}['requestBody']>['content']['${operation.requestBody.contentType}']>;\n`
      : '';
    const responses = operation.responses
      .filter((r) => r.schema !== null && r.contentType !== null)
      .map(
        (r) =>
          `      readonly '${r.status}': ValidateFunction<${op}['responses']['${r.status}']['content']['${r.contentType}']>;\n`,
      )
      .join('');
    return `  readonly ${operation.operationId}: {\n    readonly parameters: ValidateFunction;\n${body}    readonly responses: {\n${responses}    };\n  };\n`;
  });
  return `${header}

import type { operations } from './types';

/** One ajv error. \`instancePath\` is a JSON pointer into the validated value (\`/query/limit\`). */
export interface ValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A precompiled validator; after a failed call, \`errors\` lists every failing rule. */
export interface ValidateFunction<T = unknown> {
  (data: unknown): data is T;
  errors?: ValidationError[] | null;
}

/**
 * The validators of one operation.
 * - \`parameters\` validates \`{ path, query, header }\` (header names lower case, values as strings
 *   arrive); it coerces types and fills defaults in place (\`query.limit: "20"\` becomes \`20\`).
 * - \`body\` validates the parsed JSON request body.
 * - \`responses[status]\` validates a response body.
 */
export interface OperationValidators {
  parameters: ValidateFunction;
  body?: ValidateFunction;
  responses: Record<string, ValidateFunction>;
}

/**
 * Every operation's validators, typed precisely: bodies and responses are type guards of the
 * contract's types. Assignable to \`Record<OperationId, OperationValidators>\`.
 */
export type Validators = {
${entries.join('')}};

export declare const validators: Validators;
`;
}
