import AjvDraft04 from 'ajv-draft-04';
import { build, transformSync, type Plugin } from 'esbuild';
import { bundle, deref, isObject, type Json, type JsonObject } from './bundle';
import { collectOperations } from './collect-operations';
import { buildApiGatewayModels } from './emit-apigw-models';
import {
  addComponentSchemas,
  createAjv,
  emitValidators,
  operationValidatorsName,
  parametersSchema,
  toAjvSchema,
} from './emit-validators';
import { toPointer } from './json-pointer';
import { contracts } from './manifest';
import { mapSchema } from './schema-walk';
import { toolWorkspaceRoot } from './workspace';

interface LoadedValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; keyword: string }[] | null;
}
interface LoadedOperation {
  parameters: LoadedValidator;
  body?: LoadedValidator;
  responses: Record<string, LoadedValidator>;
}
type Loaded = Record<string, LoadedOperation>;

/**
 * Runs JavaScript (or the generated TypeScript, its types stripped by esbuild) as CommonJS with a
 * `require` that throws: it loads only if self-contained, which is what a Lambda bundle relies on.
 */
function loadSelfContained(code: string): { exports: Record<string, unknown>; required: string[] } {
  const commonJs = transformSync(code, { loader: 'ts', format: 'cjs', target: 'node22' }).code;
  const required: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  const refuse = (id: string) => {
    required.push(id);
    throw new Error(`validators.ts requires "${id}" at run time`);
  };
  new Function('module', 'exports', 'require', commonJs)(module, module.exports, refuse);
  return { exports: module.exports, required };
}

function loadValidators(code: string): Loaded {
  const { validators } = loadSelfContained(code).exports;
  if (!validators) throw new Error('validators.ts exports no validators');
  return validators as Loaded;
}

/**
 * Bundles a module that imports `names` from the generated validators, as a Lambda bundle would
 * (esbuild, tree-shaking). Not minified, so ajv's export names (`getLocationResponse200`) remain.
 */
async function bundleImporting(code: string, names: readonly string[]): Promise<string> {
  const generatedModule: Plugin = {
    name: 'generated-validators',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^generated:validators$/ }, () => ({
        path: 'validators.ts',
        namespace: 'generated',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({
        contents: code,
        loader: 'ts',
      }));
    },
  };
  const entry =
    names.length === 0
      ? "import 'generated:validators';"
      : `import { ${names.join(', ')} } from 'generated:validators';
export const kept = [${names.join(', ')}];`;
  const result = await build({
    stdin: { contents: entry, loader: 'ts', resolveDir: toolWorkspaceRoot },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'silent',
    plugins: [generatedModule],
  });
  return result.outputFiles[0]?.text ?? '';
}

/** The ajv export names left in a bundle (`getLocationParameters`, `putLocationBody`, …). */
function ajvExportsIn(bundled: string): string[] {
  return [...bundled.matchAll(/^var (\w+?(?:Parameters|Body|Response\d{3})) = validate\d+;$/gm)]
    .map((m) => m[1] as string)
    .sort();
}

const documents = Object.fromEntries(
  contracts.map((c) => [c.name, bundle(toolWorkspaceRoot, c.source).document]),
);
const generated: Record<string, string> = {};

beforeAll(async () => {
  for (const contract of contracts) {
    const document = documents[contract.name] as JsonObject;
    generated[contract.name] = await emitValidators(
      '// test',
      document,
      collectOperations(document),
    );
  }
});

describe('validators.ts', () => {
  it.each(contracts.map((c) => c.name))('%s: no require of ajv or ajv-formats is left', (name) => {
    const code = generated[name] as string;
    // ajv's ucs2length module carries its own require path as a string for code generation;
    // that string is data. Every require *call* must be gone.
    const calls = [...code.matchAll(/(?<!['"`])\brequire\s*\(\s*["'`]([^"'`]+)/g)].map((m) => m[1]);

    expect(calls).toEqual([]);
    expect(code).toContain('virtual:parameters');
    expect(loadSelfContained(code).required).toEqual([]);
  });

  it.each(contracts.map((c) => c.name))(
    "%s: exports each operation's validators and all of them as `validators`",
    (name) => {
      const { exports } = loadSelfContained(generated[name] as string);
      const operations = collectOperations(documents[name] as JsonObject);
      const validators = exports['validators'] as Loaded;

      expect(Object.keys(validators)).toEqual(operations.map((o) => o.operationId));
      for (const { operationId } of operations) {
        expect(exports[operationValidatorsName(operationId)]).toBe(validators[operationId]);
        expect(typeof validators[operationId]?.parameters).toBe('function');
      }
    },
  );

  it.each(contracts.map((c) => c.name))(
    '%s: a bundle that imports none of the validators keeps nothing of them',
    async (name) => {
      const bundled = await bundleImporting(generated[name] as string, []);

      // Every module-level statement is pure, so nothing is left, not even ajv's helpers.
      expect(bundled.trim()).toBe('');
    },
  );

  const operationCases = contracts.flatMap((c) =>
    collectOperations(documents[c.name] as JsonObject).map((o) => ({
      contract: c.name,
      operationId: o.operationId,
    })),
  );

  it.each(operationCases)(
    "$contract: a bundle of $operationId's validators holds no other operation's and runs alone",
    async ({ contract, operationId }) => {
      const code = generated[contract] as string;
      const all = ajvExportsIn(await bundleImporting(code, ['validators']));
      const bundled = await bundleImporting(code, [operationValidatorsName(operationId)]);
      const own = (exportName: string) =>
        exportName.startsWith(operationId) &&
        /^(Parameters|Body|Response\d{3})$/.test(exportName.slice(operationId.length));

      expect(ajvExportsIn(bundled)).toEqual(all.filter(own));
      expect(all.filter(own)).toContain(`${operationId}Parameters`);
      const { exports, required } = loadSelfContained(bundled);
      const [kept] = exports['kept'] as LoadedOperation[];
      const whole = loadValidators(code)[operationId];
      expect(required).toEqual([]);
      expect(Object.keys(kept?.responses ?? {})).toEqual(Object.keys(whole?.responses ?? {}));
      expect(kept?.body === undefined).toBe(whole?.body === undefined);
    },
  );
});

interface ExampleCase {
  readonly name: string;
  readonly contract: string;
  readonly operationId: string;
  readonly target: 'parameters' | 'body' | string;
  readonly value: unknown;
}

/** Examples of a media type object: `example` and each `examples.<name>.value`. */
function mediaExamples(media: JsonObject): [string, Json][] {
  const out: [string, Json][] = [];
  if (media['example'] !== undefined) out.push(['example', media['example']]);
  if (isObject(media['examples'])) {
    for (const [name, example] of Object.entries(media['examples'])) {
      if (isObject(example) && example['value'] !== undefined) out.push([name, example['value']]);
    }
  }
  return out;
}

/** Every example the contract gives for a request body, response body or parameter set. */
function exampleCases(contract: string, document: JsonObject): ExampleCase[] {
  const cases: ExampleCase[] = [];
  for (const operation of collectOperations(document)) {
    const rawOperation =
      (document['paths'] as Record<string, Record<string, JsonObject>>)[operation.path]?.[
        operation.method.toLowerCase()
      ] ?? {};
    const base = { contract, operationId: operation.operationId };
    const body =
      rawOperation['requestBody'] &&
      (deref(document, rawOperation['requestBody'] as JsonObject) as JsonObject);
    for (const media of Object.values(
      isObject(body) && isObject(body['content']) ? body['content'] : {},
    )) {
      for (const [name, value] of mediaExamples(media as JsonObject)) {
        cases.push({
          ...base,
          name: `${contract} ${operation.operationId} body ${name}`,
          target: 'body',
          value,
        });
      }
    }
    for (const [status, raw] of Object.entries(rawOperation['responses'] as JsonObject)) {
      const response = deref(document, raw as JsonObject) as JsonObject;
      for (const media of Object.values(isObject(response['content']) ? response['content'] : {})) {
        for (const [name, value] of mediaExamples(media as JsonObject)) {
          cases.push({
            ...base,
            name: `${contract} ${operation.operationId} ${status} ${name}`,
            target: status,
            value,
          });
        }
      }
    }
    if (operation.parameters.length > 0) {
      // One request made of every parameter's example (the parameter's own, else its schema's).
      const request: Record<string, Record<string, unknown>> = { path: {}, query: {}, header: {} };
      const rawParameters = [
        ...(((document['paths'] as Record<string, JsonObject>)[operation.path]?.[
          'parameters'
        ] as Json[]) ?? []),
        ...((rawOperation['parameters'] as Json[] | undefined) ?? []),
      ].map((p) => deref(document, p as JsonObject) as JsonObject);
      for (const parameter of operation.parameters) {
        const raw =
          rawParameters.find((p) => p['name'] === parameter.name && p['in'] === parameter.in) ?? {};
        const schema = deref(document, parameter.schema as JsonObject) as JsonObject;
        const example = raw['example'] ?? schema['example'];
        const key = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
        if (example !== undefined)
          (request[parameter.in] as Record<string, unknown>)[key] = String(example);
      }
      cases.push({
        ...base,
        name: `${contract} ${operation.operationId} parameters`,
        target: 'parameters',
        value: request,
      });
    }
  }
  return cases;
}

const allExamples = contracts.flatMap((c) => exampleCases(c.name, documents[c.name] as JsonObject));

describe('every example in the contracts', () => {
  it('covers request bodies, responses and parameters of all three contracts', () => {
    expect(new Set(allExamples.map((c) => c.contract))).toEqual(
      new Set(['auth', 'location', 'profile']),
    );
    expect(allExamples.filter((c) => c.target === 'body').length).toBeGreaterThanOrEqual(6);
    expect(allExamples.filter((c) => c.target === 'parameters').length).toBeGreaterThanOrEqual(5);
    expect(allExamples.length).toBeGreaterThan(40);
  });

  it.each(allExamples)(
    '$name is accepted by the generated validator, bundled alone',
    async ({ contract, operationId, target, value }) => {
      const bundled = await bundleImporting(generated[contract] as string, [
        operationValidatorsName(operationId),
      ]);
      const [operation] = loadSelfContained(bundled).exports['kept'] as LoadedOperation[];
      const validate =
        target === 'parameters'
          ? operation?.parameters
          : target === 'body'
            ? operation?.body
            : operation?.responses[target];
      if (!validate) throw new Error(`no validator for ${operationId} ${target}`);

      const valid = validate(structuredClone(value));

      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it.each(allExamples.filter((c) => c.target === 'body'))(
    '$name passes the API Gateway model too',
    ({ contract, operationId, value }) => {
      const document = documents[contract] as JsonObject;
      const { models, operations } = buildApiGatewayModels(document, collectOperations(document));
      const model = models[operations[operationId]?.requestModel ?? ''];
      const validate = new AjvDraft04({ allErrors: true }).compile(model?.schema ?? false);

      expect(validate(value) ? [] : validate.errors).toEqual([]);
    },
  );
});

/** Every `example` written inside a schema (`UserId`, `Timestamp`, a property…), with its pointer. */
function schemaExamples(contract: string, document: JsonObject) {
  const schemas = (document['components'] as JsonObject)['schemas'] as JsonObject;
  const found: { name: string; schema: JsonObject; example: Json }[] = [];
  for (const [component, schema] of Object.entries(schemas)) {
    mapSchema(
      schema,
      (node, tokens) => {
        if (node['example'] !== undefined) {
          found.push({
            name: `${contract} ${component}${toPointer(tokens)}`,
            schema: node,
            example: node['example'],
          });
        }
        return node;
      },
      [],
    );
  }
  return found;
}

describe('every schema-level example', () => {
  const cases = contracts.flatMap((c) => schemaExamples(c.name, documents[c.name] as JsonObject));

  it.each(cases)('$name satisfies its own schema', ({ name, schema, example }) => {
    const ajv = createAjv('data');
    addComponentSchemas(ajv, documents[name.split(' ')[0] as string] as JsonObject);
    const validate = ajv.compile(toAjvSchema(schema) as object);

    expect(validate(example) ? [] : validate.errors).toEqual([]);
  });
});

describe('parametersSchema', () => {
  const document: JsonObject = {
    openapi: '3.0.3',
    paths: {
      '/t/{id}': {
        get: {
          operationId: 'getT',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { $ref: '#/components/schemas/Limit' } },
            {
              name: 'If-Match',
              in: 'header',
              required: true,
              schema: { type: 'string', maxLength: 5 },
            },
          ],
          responses: { '204': { description: 'ok' } },
        },
      },
    },
    components: { schemas: { Limit: { type: 'integer', minimum: 1, default: 20 } } },
  };
  const [operation] = collectOperations(document);
  const ajv = createAjv('parameters');
  addComponentSchemas(ajv, document);
  const validate = ajv.compile(
    parametersSchema(document, operation as NonNullable<typeof operation>),
  );

  it('lower-cases header names and fills a default that sits behind a $ref, in place', () => {
    const request: Record<string, unknown> = { path: { id: 'a' }, header: { 'if-match': '"v1"' } };

    expect(validate(request)).toBe(true);
    expect(request).toEqual({
      path: { id: 'a' },
      query: { limit: 20 },
      header: { 'if-match': '"v1"' },
    });
  });

  it('reports a missing required header at /header with its lower-case name', () => {
    expect(validate({ path: { id: 'a' }, query: {}, header: {} })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({
        instancePath: '/header',
        keyword: 'required',
        params: { missingProperty: 'if-match' },
      }),
    ]);
  });
});
