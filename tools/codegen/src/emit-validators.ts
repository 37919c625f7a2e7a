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
    // ES modules: each validator a binding of its own, so bundlers can drop the unused ones.
    code: { source: true, lines: true, esm: true },
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

/** The exported binding of one operation's validators: `getLocation` → `getLocationValidators`. */
export function operationValidatorsName(operationId: string): string {
  return `${operationId}Validators`;
}

/**
 * ajv declares every run-time value a validator uses as a module-level `const`: its helpers and
 * ajv-formats' format functions (`require("…").x`) and regular expressions (`new RegExp(…)`).
 * To a bundler those are side effects, so a Lambda bundle would keep all of them, and the code
 * they pull in, whichever validators it imports. Marked pure, esbuild drops the ones no kept
 * validator uses. (Both are pure: ajv compiled every pattern already, and the helpers are
 * side-effect-free modules.) Everything else at module level is a function declaration or a
 * literal. `lines: true` puts each declaration on its own line.
 */
export function markRuntimeValuesPure(code: string): string {
  return code
    .replace(/^const (\w+) = (new RegExp\(.*\));$/gm, 'const $1 = /* @__PURE__ */ $2;')
    .replace(/^const (\w+) = (require\(.*);$/gm, 'const $1 = /* @__PURE__ */ (() => $2)();');
}

/** Compiles every operation's validators into two ajv standalone ES modules. */
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
    parameters: markRuntimeValuesPure(standaloneCode(parametersAjv, exports.parameters)),
    data: markRuntimeValuesPure(standaloneCode(dataAjv, exports.data)),
  };
}

/** esbuild's name for the binding of one operation's validators, before the typed export. */
const untypedName = (operationId: string) => `${operationId}$untyped`;

/** The entry esbuild bundles: one binding per operation, nothing else exported. */
function entryModule(operations: readonly OperationInfo[]): string {
  const lines = operations.map((operation) => {
    const names = exportNames(operation);
    const responses = operation.responses
      .filter((r) => r.schema !== null)
      .map((r) => `'${r.status}': data.${names.response(r.status)}`)
      .join(', ');
    const body = operation.requestBody ? ` body: data.${names.body},` : '';
    return `export const ${untypedName(operation.operationId)} = { parameters: parameters.${names.parameters},${body} responses: { ${responses} } };`;
  });
  return [
    "import * as parameters from 'virtual:parameters';",
    "import * as data from 'virtual:data';",
    ...lines,
    '',
  ].join('\n');
}

/**
 * Bundles the standalone modules with esbuild into one ES module. ajv's standalone output
 * still `require`s small runtime helpers (`ajv/dist/runtime/ucs2length`, the ajv-formats
 * functions); bundling inlines them so a Lambda bundle never resolves ajv at run time.
 * Paths in esbuild's comments are relative to the tool's workspace, so output is machine-independent.
 */
async function bundleValidators(modules: Record<string, string>): Promise<string> {
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
    format: 'esm',
    target: 'node22',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [virtual],
  });
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1)
    throw new Error('esbuild produced no single output');
  return output.text;
}

/**
 * esbuild ends an ES module with `export { a, b };`. The generated file re-exports each binding
 * under its public name with a precise type instead, so that list is taken off (and checked).
 */
function withoutExportList(code: string, expected: readonly string[]): string {
  const match = /\nexport \{\n([^}]*)\n\};\n$/.exec(code);
  const names = match?.[1]?.split(',').map((name) => name.trim());
  if (!match || JSON.stringify(names) !== JSON.stringify([...expected].sort()))
    throw new Error(`esbuild's export list is not the expected ${expected.join(', ')}`);
  return code.slice(0, match.index + 1);
}

/**
 * esbuild wraps each inlined CommonJS module (ajv's helpers, ajv-formats) in a `__commonJS(…)`
 * call. Marked pure, a module no kept validator requires is dropped from a Lambda bundle too.
 */
function markModuleWrappersPure(code: string): string {
  return code.replace(
    /^var (require_\w+) = __commonJS\(/gm,
    'var $1 = /* @__PURE__ */ __commonJS(',
  );
}

/**
 * Emits `validators.ts`: one export per operation (`getLocationValidators`: its parameter, body
 * and response validators) and `validators`, all of them by operation id. Each export is a
 * separate binding whose code is pure, so a bundle that imports one operation's validators
 * carries only those and the ajv helpers they use. The body is ajv's generated JavaScript,
 * checked by the codegen tests rather than by tsc (`@ts-nocheck`); the exports carry the precise
 * types of `validator-types.ts`.
 */
export async function emitValidators(
  header: string,
  document: JsonObject,
  operations: readonly OperationInfo[],
): Promise<string> {
  const compiled = compileStandalone(document, operations);
  const bundled = await bundleValidators({ entry: entryModule(operations), ...compiled });
  const body = markModuleWrappersPure(
    withoutExportList(
      bundled,
      operations.map((o) => untypedName(o.operationId)),
    ),
  );
  const typedExports = operations.map((operation) => {
    const id = operation.operationId;
    return `export const ${operationValidatorsName(id)}: Validators['${id}'] = ${untypedName(id)};`;
  });
  const all = operations.map(
    (operation) => `  ${operation.operationId}: ${operationValidatorsName(operation.operationId)},`,
  );
  return `${header}
// @ts-nocheck -- ajv's generated JavaScript: the codegen tests check it; the exports below are typed.

import type { Validators } from './validator-types';

export type {
  OperationValidators,
  ValidateFunction,
  ValidationError,
  Validators,
} from './validator-types';

${body}
${typedExports.join('\n')}

/**
 * Every operation's validators by operation id, for whole-contract users (tests, fuzzing, the
 * fake services of tests). A Lambda function imports its own operation's export instead, so its
 * bundle carries no other operation's validators.
 */
export const validators: Validators = {
${all.join('\n')}
};
`;
}

/** Emits `validator-types.ts`, typing each validator precisely (bodies as type guards). */
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
`;
}
