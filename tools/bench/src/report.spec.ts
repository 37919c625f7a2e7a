import { formatReport, verdict } from './report';

describe('verdict', () => {
  it.each([
    [105, 100, 10, 'ok'],
    [110, 100, 10, 'ok'],
    [110.1, 100, 10, 'OVER'],
    [90, 100, 10, 'ok'],
    [undefined, 100, 10, '–'],
    [Number.NaN, 100, 10, '–'],
  ])('import %p against a baseline of %p with %p ms budget is %p', (importMs, baseline, budget, expected) => {
    expect(verdict(importMs, baseline, budget)).toBe(expected);
  });
});

describe('formatReport', () => {
  const report = formatReport({
    budgetMs: 10,
    rows: [
      { label: 'reference: bare DynamoDB client', sizeBytes: 2048, importMs: 100, importMinMs: 90, importCpuMs: 80, baselineImportMs: 100, baselineCpuMs: 80, reference: true },
      { label: 'auth/authorize', sizeBytes: 4096, importMs: 104.44, importMinMs: 95.25, importCpuMs: 83, baselineImportMs: 100, baselineCpuMs: 80, firstCallMs: 40.06, coldMs: 150.5, warmP50Ms: 2.04, warmP99Ms: 5.55, warmCount: 200 },
      { label: 'auth/create-user', sizeBytes: 4096, importMs: 125, baselineImportMs: 100, note: 'scrypt dominates' },
      { label: 'other/fn', sizeBytes: 1024, importMs: 125 },
    ],
  });
  const lines = report.split('\n');

  it('prints one aligned line per bundle under a header', () => {
    expect(lines[0]).toMatch(/^bundle\s+size KiB\s+import ms\s+min\s+vs DDB\s+≤ \+10 ms\s+cpu ms\s+cpu vs DDB\s+first call ms\s+cold ms\s+warm p50 ms\s+warm p99 ms\s+n$/);
    expect(lines[2]).toMatch(/^reference: bare DynamoDB client\s+2\.0\s+100\.0\s+90\.0\s+\+0\.0\s+80\.0\s+\+0\.0$/);
    expect(lines[3]).toMatch(/^auth\/authorize\s+4\.0\s+104\.4\s+95\.3\s+\+4\.4\s+ok\s+83\.0\s+\+3\.0\s+40\.1\s+150\.5\s+2\.0\s+5\.5\s+200$/);
    expect(lines[4]).toMatch(/^auth\/create-user\s+4\.0\s+125\.0\s+–\s+\+25\.0\s+OVER\s+–\s+–\s+–\s+–\s+–\s+–$/);
  });

  it('gives no verdict without a baseline', () => {
    expect(lines[5]).toMatch(/^other\/fn\s+1\.0\s+125\.0\s+–\s+–\s+–\s+–\s+–\s+–\s+–\s+–\s+–$/);
  });

  it('lists the notes after the table', () => {
    expect(lines.slice(-2)).toEqual(['notes:', '  auth/create-user: scrypt dominates']);
  });
});
