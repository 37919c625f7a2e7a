import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary, readReport, summarize, type SchemathesisReport } from './report';

const passing: SchemathesisReport = {
  seed: 42,
  exit_code: 0,
  operations: { total: 3, selected: 3, tested: 3, errored: 0 },
  test_cases: { generated: 207, with_failures: 0, unique_failures: 0, errored: 0 },
  failures: [],
  errors: [],
  warnings: { missing_auth: [], rate_limited: [] },
};

const failing: SchemathesisReport = {
  ...passing,
  exit_code: 1,
  test_cases: { generated: 145, with_failures: 2, unique_failures: 2, errored: 0 },
  failures: [
    { code: 'ST101', title: 'Server error', count: 1, operations: ['PUT /loc/{userId}'] },
    { code: 'ST202', title: 'Schema-valid request rejected', count: 1, operations: ['GET /loc/{userId}/history'] },
  ],
  warnings: { rate_limited: ['PUT /loc/{userId}'] },
};

const ran = { exitCode: 0, timedOut: false, seconds: 12.34 };

describe('summarize', () => {
  it('passes a clean run and reports its figures', () => {
    expect(summarize('location', passing, ran, 40)).toEqual({
      contract: 'location',
      operationsTested: 3,
      operationsTotal: 3,
      examples: 207,
      uniqueFailures: 0,
      errors: 0,
      failures: [],
      warnings: [],
      seed: 42,
      seconds: 12.34,
      rate: 40,
      verdict: undefined,
    });
  });

  it('fails on failures, and keeps each failure and warning kind', () => {
    const summary = summarize('location', failing, { ...ran, exitCode: 1 }, 40);
    expect(summary.verdict).toBe('2 unique failure(s)');
    expect(summary.failures.map((f) => f.code)).toEqual(['ST101', 'ST202']);
    expect(summary.warnings).toEqual(['rate_limited']);
  });

  it('fails on a timeout, a missing report, errors, a non-zero exit or nothing tested', () => {
    expect(summarize('a', passing, { ...ran, timedOut: true }, 1).verdict).toBe('timed out (stopped)');
    expect(summarize('a', undefined, { ...ran, exitCode: 2 }, 1).verdict).toBe('no report (schemathesis exited 2)');
    expect(summarize('a', { ...passing, errors: [{}] }, ran, 1).verdict).toBe('1 error(s)');
    expect(summarize('a', passing, { ...ran, exitCode: 1 }, 1).verdict).toBe('schemathesis exited 1');
    expect(summarize('a', { ...passing, operations: { total: 3, tested: 0 } }, ran, 1).verdict).toBe('no operation tested');
  });
});

describe('readReport', () => {
  it('reads a report and treats a missing or half-written one as absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-report-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(passing));
    writeFileSync(join(dir, 'cut.json'), '{"seed": 4');
    expect(readReport(join(dir, 'ok.json'))).toEqual(passing);
    expect(readReport(join(dir, 'cut.json'))).toBeUndefined();
    expect(readReport(join(dir, 'none.json'))).toBeUndefined();
  });
});

describe('formatSummary', () => {
  it('prints one row per contract with operations, examples and failures, then what failed', () => {
    const text = formatSummary([summarize('auth', passing, ran, 8), summarize('location', failing, { ...ran, exitCode: 1 }, 40)], 70.2);
    expect(text).toMatch(/auth\s+3\/3\s+207\s+0\s+0\s+8\/s\s+42\s+12\.3 s\s+pass/);
    expect(text).toMatch(/location\s+3\/3\s+145\s+2\s+0\s+40\/s\s+42\s+12\.3 s\s+FAIL/);
    expect(text).toContain('ST101 Server error (1×): PUT /loc/{userId}');
    expect(text).toContain('352 examples across 2 contract(s) in 70.2 s: 1 contract(s) failed');
  });
});
