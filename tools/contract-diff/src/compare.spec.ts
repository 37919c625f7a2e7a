import { breakingCases, compatibleCases, type DiffCase } from './__fixtures__/cases';
import {
  at,
  loadFixtureFiles,
  memorySource,
  PETS,
  PROBLEM,
  type FixtureFiles,
} from './__fixtures__/fixtures';
import { compareSources, majorBumped } from './compare';
import type { ContractReport, JsonObject } from './types';

function diffPair(base: FixtureFiles, head: FixtureFiles): ContractReport {
  const reports = compareSources(memorySource(base, 'base'), memorySource(head, 'head'));
  const report = reports.find((r) => r.path === PETS);
  if (!report) throw new Error('no report for the fixture contract');
  return report;
}

function runCase(testCase: DiffCase): ContractReport {
  const base = loadFixtureFiles();
  testCase.prepare?.(base);
  const head = structuredClone(base);
  testCase.mutate(head);
  return diffPair(base, head);
}

function expectChange(report: ContractReport, testCase: DiffCase): void {
  const { expect: want } = testCase;
  const match = report.changes.find(
    (c) => c.code === want.code && (!want.location || c.location === want.location),
  );
  expect({ found: match?.code, class: match?.class, all: report.changes }).toEqual(
    expect.objectContaining({ found: want.code, class: want.class }),
  );
}

describe('classifying a breaking change', () => {
  it.each(breakingCases.map((c) => [c.name, c] as const))('%s is breaking', (_name, testCase) => {
    const report = runCase(testCase);

    expectChange(report, testCase);
    expect(report.status).toBe('changed');
    expect(report.unmarkedBreaking).toBeGreaterThan(0);
  });
});

describe('classifying a compatible change', () => {
  it.each(compatibleCases.map((c) => [c.name, c] as const))(
    '%s is non-breaking',
    (_name, testCase) => {
      const report = runCase(testCase);

      expectChange(report, testCase);
      expect(report.changes.filter((c) => c.class === 'breaking')).toEqual([]);
      expect(report.unmarkedBreaking).toBe(0);
    },
  );
});

describe('comparing whole contracts', () => {
  it('reports no changes when both sides are the same', () => {
    const report = diffPair(loadFixtureFiles(), loadFixtureFiles());

    expect(report).toMatchObject({ status: 'unchanged', changes: [], unmarkedBreaking: 0 });
  });

  it('sees through $ref refactoring: inlining a referenced schema is not a change', () => {
    const head = loadFixtureFiles();
    const schemas = at(head[PETS] as JsonObject, 'components', 'schemas');
    at(
      head[PETS] as JsonObject,
      'paths',
      '/loc/{userId}',
      'put',
      'requestBody',
      'content',
      'application/json',
    )['schema'] = structuredClone(schemas['PutLocationRequest'] as JsonObject);
    // Copy the shared problem schemas into the contract and point the error responses at the copies.
    const shared = at(head[PROBLEM] as JsonObject, 'components', 'schemas');
    schemas['Problem'] = shared['Problem'] as JsonObject;
    schemas['FieldError'] = shared['FieldError'] as JsonObject;
    const problemResponse = at(head[PROBLEM] as JsonObject, 'components', 'responses', 'Problem');
    at(problemResponse, 'content', 'application/problem+json', 'schema')['$ref'] =
      '../pets/openapi.yaml#/components/schemas/Problem';

    const report = diffPair(loadFixtureFiles(), head);

    expect(report.changes.map((c) => c.code)).toEqual(['no-contract-change']);
  });

  it('treats a new contract as added and a removed contract as breaking', () => {
    const withPets = loadFixtureFiles();
    const withoutPets: FixtureFiles = { [PROBLEM]: loadFixtureFiles()[PROBLEM] as JsonObject };

    const added = diffPair(withoutPets, withPets);
    const removed = diffPair(withPets, withoutPets);

    expect(added).toMatchObject({ status: 'added', unmarkedBreaking: 0 });
    expect(added.changes).toEqual([
      expect.objectContaining({ class: 'non-breaking', code: 'contract-added' }),
    ]);
    expect(removed).toMatchObject({ status: 'removed', unmarkedBreaking: 1 });
    expect(removed.changes).toEqual([
      expect.objectContaining({ class: 'breaking', code: 'contract-removed' }),
    ]);
  });

  it('reports a change confined to an unused component instead of claiming "no changes"', () => {
    const base = loadFixtureFiles();
    at(base[PETS] as JsonObject, 'components', 'schemas')['Spare'] = { type: 'string' };
    const headSpare = structuredClone(base);
    at(headSpare[PETS] as JsonObject, 'components', 'schemas')['Spare'] = { type: 'integer' };

    const report = diffPair(base, headSpare);

    expect(report.status).toBe('changed');
    expect(report.changes).toEqual([
      expect.objectContaining({ class: 'non-breaking', code: 'no-contract-change' }),
    ]);
  });
});

describe('the major-version rule', () => {
  const removeResponseField = breakingCases.find(
    (c) => c.expect.code === 'response-optional-property-removed',
  );

  function breakingWithVersion(version: string): ContractReport {
    const base = loadFixtureFiles();
    const head = structuredClone(base);
    removeResponseField?.mutate(head);
    at(head[PETS] as JsonObject, 'info')['version'] = version;
    return diffPair(base, head);
  }

  it('allows breaking changes when info.version has a higher major number', () => {
    const report = breakingWithVersion('2.0.0');

    expect(report.majorBumped).toBe(true);
    expect(report.changes.some((c) => c.class === 'breaking')).toBe(true);
    expect(report.unmarkedBreaking).toBe(0);
  });

  it('does not allow them for a minor or patch bump', () => {
    // Location is returned by three operations, so removing its field breaks three responses.
    expect(breakingWithVersion('1.3.0')).toMatchObject({ majorBumped: false, unmarkedBreaking: 3 });
    expect(breakingWithVersion('1.2.1')).toMatchObject({ majorBumped: false, unmarkedBreaking: 3 });
  });

  it.each([
    ['1.2.0', '2.0.0', true],
    ['v1', 'v2', true],
    ['1.9.9', '10.0.0', true],
    ['1.0.0', '1.9.0', false],
    ['2.0.0', '1.0.0', false],
    ['1.0.0', '1.0.0', false],
    ['draft', '2.0.0', false],
    [null, '2.0.0', false],
  ] as const)('%s → %s counts as a major bump: %s', (from, to, want) => {
    expect(majorBumped(from, to)).toBe(want);
  });
});
