import { auditVerdict, type AuditException } from './dependency-audit';

const REFUSED = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 });
const advisory = (severity: string, url: string) => ({ source: 1, name: 'pkg', title: `a ${severity} one`, url, severity, range: '<2' });
const report = (vulnerabilities: Record<string, unknown>) => JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: {} });
const exception = (overrides: Partial<AuditException> = {}): AuditException => ({ advisory: 'https://github.com/advisories/GHSA-1', package: 'left-pad', reason: 'not reachable', until: '2027-01-31', ...overrides });

describe('auditVerdict', () => {
  it('says the audit did not run when the registry refuses the endpoint, never clean', () => {
    expect(auditVerdict(REFUSED, [], '2026-12-06')).toEqual({ kind: 'not-run', why: expect.stringContaining('405 Method Not Allowed') });
    expect(auditVerdict('', [], '2026-12-06').kind).toBe('not-run');
  });

  it('fails on a high or critical advisory, not on moderate ones, and names the package', () => {
    const output = report({
      'left-pad': { via: [advisory('high', 'https://github.com/advisories/GHSA-1')] },
      'is-odd': { via: [advisory('moderate', 'https://github.com/advisories/GHSA-2')] },
      'uses-left-pad': { via: ['left-pad'] },
    });
    expect(auditVerdict(output, [], '2026-12-06')).toEqual({
      kind: 'failed',
      findings: [{ package: 'left-pad', severity: 'high', title: 'a high one', advisory: 'https://github.com/advisories/GHSA-1' }],
      accepted: [],
    });
  });

  it('accepts an advisory written down in the exceptions until its date, then fails again', () => {
    const output = report({ 'left-pad': { via: [advisory('critical', 'https://github.com/advisories/GHSA-1')] } });
    expect(auditVerdict(output, [exception()], '2027-01-31')).toMatchObject({ kind: 'clean', accepted: [{ package: 'left-pad' }] });
    expect(auditVerdict(output, [exception()], '2027-02-01').kind).toBe('failed');
    expect(auditVerdict(output, [exception({ package: 'other' })], '2026-12-06').kind).toBe('failed');
  });

  it('is clean with no advisories', () => {
    expect(auditVerdict(report({}), [], '2026-12-06')).toEqual({ kind: 'clean', accepted: [] });
  });
});
