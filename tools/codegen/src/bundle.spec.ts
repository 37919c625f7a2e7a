import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { bundle, deref, schemaRefName, type JsonObject } from './bundle';
import { toolWorkspaceRoot } from './workspace';

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'codegen-bundle-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(file: string, content: unknown): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), stringify(content));
}

const common = {
  openapi: '3.0.3',
  info: { title: 'common', version: '1' },
  paths: {},
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Problem: {
        type: 'object',
        properties: { errors: { items: { $ref: '#/components/schemas/FieldError' } } },
      },
      FieldError: { type: 'object', properties: { pointer: { type: 'string' } } },
      Unused: { type: 'string' },
    },
    responses: {
      NotFound: {
        description: 'nf',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  },
};

function service(extra: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.3',
    info: { title: 'svc', version: '1' },
    paths: {
      '/things': {
        get: {
          operationId: 'getThings',
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
            '404': { $ref: '../common/components.yaml#/components/responses/NotFound' },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { $ref: '../common/components.yaml#/components/securitySchemes/bearerAuth' },
      },
      schemas: {
        Zebra: { type: 'string' },
        Thing: {
          type: 'object',
          properties: {
            label: { $ref: '../common/components.yaml#/components/schemas/FieldError' },
          },
        },
        ...extra,
      },
    },
  };
}

describe('bundle', () => {
  it('hoists components of other files under their own names and rewrites the $refs', () => {
    write('common/components.yaml', common);
    write('svc/openapi.yaml', service());

    const { document, files } = bundle(root, 'svc/openapi.yaml');

    expect(files).toEqual(['svc/openapi.yaml', 'common/components.yaml']);
    expect(JSON.stringify(document)).not.toContain('.yaml');
    const components = document['components'] as Record<string, Record<string, unknown>>;
    // Reached components only (not Unused), including those reached from inside another file.
    expect(Object.keys(components['schemas'] ?? {})).toEqual([
      'FieldError',
      'Problem',
      'Thing',
      'Zebra',
    ]);
    expect(Object.keys(components['responses'] ?? {})).toEqual(['NotFound']);
    expect(components['schemas']?.['Problem']).toEqual(common.components.schemas.Problem);
  });

  it('replaces a component that only points to the same-named component elsewhere by its body', () => {
    write('common/components.yaml', common);
    write('svc/openapi.yaml', service());

    const { document } = bundle(root, 'svc/openapi.yaml');

    expect((document['components'] as Record<string, unknown>)['securitySchemes']).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer' },
    });
  });

  it('inlines a $ref to something that is not a component', () => {
    write('common/components.yaml', { ...common, shared: { type: 'integer', minimum: 1 } });
    write('svc/openapi.yaml', service({ Count: { $ref: '../common/components.yaml#/shared' } }));

    const { document } = bundle(root, 'svc/openapi.yaml');

    expect(deref(document, { $ref: '#/components/schemas/Count' })).toEqual({
      type: 'integer',
      minimum: 1,
    });
  });

  it('refuses two different components with one name instead of renaming one silently', () => {
    write('common/components.yaml', common);
    write('svc/openapi.yaml', service({ FieldError: { type: 'string' } }));

    expect(() => bundle(root, 'svc/openapi.yaml')).toThrow('components/schemas/FieldError');
  });

  it('names the file and pointer of a $ref that does not resolve', () => {
    write('common/components.yaml', common);
    write(
      'svc/openapi.yaml',
      service({ Gone: { $ref: '../common/components.yaml#/components/schemas/Gone' } }),
    );

    expect(() => bundle(root, 'svc/openapi.yaml')).toThrow(
      'common/components.yaml#/components/schemas/Gone',
    );
  });

  it('bundles every real contract without any $ref to another file left', () => {
    for (const name of ['auth', 'location', 'profile']) {
      const { document } = bundle(toolWorkspaceRoot, `contracts/${name}/openapi.yaml`);
      const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];

      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((ref) => !ref.startsWith('"$ref":"#/components/'))).toEqual([]);
    }
  });
});

describe('schemaRefName', () => {
  it.each([
    {
      name: 'a component schema gives its name',
      given: { $ref: '#/components/schemas/Profile' },
      want: 'Profile',
    },
    {
      name: 'a component response is not a schema',
      given: { $ref: '#/components/responses/NotFound' },
      want: undefined,
    },
    { name: 'an inline schema has no name', given: { type: 'string' }, want: undefined },
  ] as { name: string; given: JsonObject; want: string | undefined }[])(
    '$name',
    ({ given, want }) => {
      expect(schemaRefName(given)).toBe(want);
    },
  );
});
