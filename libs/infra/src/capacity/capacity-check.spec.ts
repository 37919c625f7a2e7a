import { NotesStack, notesLimits, testApp } from '../__fixtures__/notes-stack';
import type { ServiceLimits } from '../limits';
import { checkCapacity, formatCapacityReport } from './capacity-check';
import type { StackTemplate } from './template-model';

/** An owner stack with the authorizer and a consumer whose secured methods also call it. */
function synthesize(limits: ServiceLimits<keyof typeof notesLimits.functions> = notesLimits): StackTemplate[] {
  const app = testApp();
  new NotesStack(app, 'Owner', { limits });
  new NotesStack(app, 'Consumer', { authorizer: 'imported', limits });
  return app.synth().stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template }));
}

describe('checkCapacity', () => {
  const stacks = synthesize();
  const limitsByStack = { Owner: notesLimits, Consumer: notesLimits };

  it('proves the fixture limits and prints the table it checked', () => {
    const report = checkCapacity({ stacks, limitsByStack });
    console.log(formatCapacityReport(report));
    expect(report.violations).toEqual([]);
    expect(report.functions).toHaveLength(9);
    expect(formatCapacityReport(report)).toMatch(
      /Owner\s+authorize\s+6\s+60\s+60\s+100\s+6\s+80×0.8=64\s+66\s+80\s+640\s+800\+100=900\s+54\s+71.1\s+yes/,
    );
  });

  it('proves the worst case from the templates: rate × (SM_DEADLINE_MS + overhead) ≤ reserved × headroom', () => {
    const report = checkCapacity({ stacks, limitsByStack });
    const authorizer = report.functions.find((f) => f.stackName === 'Owner' && f.entry === 'authorize')!;
    // 60/s × (800 + 100) ms = 54 ≤ 80 × 0.8 = 64, whatever the token store does.
    expect(authorizer).toMatchObject({ deadlineMs: 800, overheadMs: 100, worstCaseMs: 900, worstCaseConcurrency: 54, worstCaseMaxRate: 71.1, worstCaseOk: true });
    const getNote = report.functions.find((f) => f.stackName === 'Owner' && f.entry === 'get-note')!;
    expect(getNote).toMatchObject({ worstCaseConcurrency: 9, worstCaseOk: true });
  });

  it('fails when a slow dependency could need more concurrency than is reserved, though the p99 form holds', () => {
    const slow = {
      ...notesLimits,
      functions: { ...notesLimits.functions, 'create-note': { ...notesLimits.functions['create-note'], deadlineMs: 1200 } },
    };
    const report = checkCapacity({ stacks: synthesize(slow), limitsByStack: { Owner: slow, Consumer: slow } });
    const createNote = report.functions.find((f) => f.stackName === 'Owner' && f.entry === 'create-note')!;
    expect(createNote).toMatchObject({ steadyConcurrency: 2, worstCaseConcurrency: 13, worstCaseOk: false, ok: false });
    expect(report.violations).toContain(
      'Owner create-note: worst case rate 10/s × (deadline 1200 + overhead 100 ms) = 13 > reserved 15 × headroom 0.8 = 12: a slow dependency would make Lambda throttle (500s)',
    );
  });

  it('fails when a template has no deadline, or one that is not the declared one', () => {
    const edited = stacks.map(({ stackName, template }) => {
      const copy = JSON.parse(JSON.stringify(template)) as typeof template;
      for (const resource of Object.values(copy.Resources ?? {})) {
        const variables = (resource.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables;
        if (!variables || !String(resource.Properties?.['Handler']).startsWith(stackName === 'Owner' ? 'get-note' : 'put-note')) continue;
        if (stackName === 'Owner') delete variables['SM_DEADLINE_MS'];
        else variables['SM_DEADLINE_MS'] = '5000';
      }
      return { stackName, template: copy };
    });
    const report = checkCapacity({ stacks: edited, limitsByStack });
    expect([...report.violations].sort()).toEqual([
      'Consumer put-note: deadline 5000 ms + overhead 100 ms exceeds the timeout 5 s: the worst case would be a Lambda timeout',
      "Consumer put-note: template's SM_DEADLINE_MS is 5000 but limits.ts declares deadlineMs 800",
      'Consumer put-note: worst case rate 10/s × (deadline 5000 + overhead 100 ms) = 51 > reserved 15 × headroom 0.8 = 12: a slow dependency would make Lambda throttle (500s)',
      'Owner get-note: no SM_DEADLINE_MS in its environment: a slow dependency could hold each invocation up to its timeout (5 s)',
    ]);
  });

  it('uses a measured p99 where one is given, and fails where it breaks the inequality', () => {
    const slow = checkCapacity({ stacks, limitsByStack, measuredP99Ms: (fn) => (fn.stackName === 'Owner' && fn.entry === 'authorize' ? 1200 : undefined) });
    const authorizer = slow.functions.find((f) => f.stackName === 'Owner' && f.entry === 'authorize')!;
    // 60/s × 1.2 s = 72 needed against 80 × 0.8 = 64: the reservation no longer carries the stage rate.
    expect(authorizer).toMatchObject({ p99Ms: 1200, p99Source: 'measured', steadyConcurrency: 72, maxRate: 53.3, ok: false });
    expect(slow.violations).toContainEqual('Owner authorize: rate 60/s × measured p99 1200 ms = 72 > reserved 80 × headroom 0.8 = 64');
    const others = slow.functions.filter((f) => f !== authorizer);
    expect(new Set(others.map((f) => f.p99Source))).toEqual(new Set(['assumed']));
  });

  it('loads the shared authorizer with every secured method of every API that uses it', () => {
    const authorizer = checkCapacity({ stacks, limitsByStack }).functions.find((f) => f.entry === 'authorize')!;
    expect(authorizer.routes.sort()).toEqual([
      'Consumer GET /notes/{noteId}',
      'Consumer GET /notes/{noteId}/versions',
      'Consumer PUT /notes/{noteId}',
      'Owner GET /notes/{noteId}',
      'Owner GET /notes/{noteId}/versions',
      'Owner PUT /notes/{noteId}',
    ]);
    expect(authorizer).toMatchObject({ rateLimit: 60, burstLimit: 60, steadyConcurrency: 6, burstConcurrency: 66 });
  });

  it('loads an integrated function with its own method only, since each method has its own bucket', () => {
    const getNote = checkCapacity({ stacks, limitsByStack }).functions.find((f) => f.stackName === 'Consumer' && f.entry === 'get-note')!;
    expect(getNote).toMatchObject({ routes: ['Consumer GET /notes/{noteId}'], rateLimit: 10, burstLimit: 10 });
  });

  it('fails when the stage rate times p99 exceeds reserved concurrency times headroom', () => {
    const violating = { ...notesLimits, stage: { rateLimit: 100, burstLimit: 1 } };
    const report = checkCapacity({ stacks: synthesize(violating), limitsByStack: { Owner: violating, Consumer: violating } });
    expect(report.violations).toContain('Owner create-note: rate 100/s × assumed p99 200 ms = 20 > reserved 15 × headroom 0.8 = 12');
    expect(formatCapacityReport(report)).toMatch(/Owner\s+create-note.*NO/);
  });

  it('fails when a full burst could exceed reserved concurrency', () => {
    const violating = { ...notesLimits, stage: { rateLimit: 10, burstLimit: 14 } };
    const report = checkCapacity({ stacks: synthesize(violating), limitsByStack: { Owner: violating, Consumer: violating } });
    expect(report.violations).toContain('Owner create-note: burst 14 + rate × p99 2 = 16 > reserved 15: a full burst would be throttled by Lambda (500s)');
  });

  it('fails when the reservations or the stage rates do not fit into the account', () => {
    const report = checkCapacity({ stacks, limitsByStack, quotas: { concurrency: 250, requestsPerSecond: 50, burst: 40 } });
    // 8 function methods and 6 of ContractRestApi's 405 methods (3 paths per stack), 10/s and 10 each:
    // a mock method is throttled like any other, so it counts against the account's quota too.
    expect(report.violations).toEqual([
      'account: Σ reserved concurrency 200 > account concurrency 250 − 100 unreserved = 150',
      'account: Σ method rate limits 140/s > account quota 50/s',
      'account: Σ method burst limits 140 > account burst 40',
    ]);
  });

  it('counts provisioned concurrency on the alias within the reservation and shows it', () => {
    const withProvisioned = { ...notesLimits, functions: { ...notesLimits.functions, 'get-note': { ...notesLimits.functions['get-note'], provisionedConcurrency: 4 } } };
    const report = checkCapacity({ stacks: synthesize(withProvisioned), limitsByStack: { Owner: withProvisioned, Consumer: withProvisioned } });
    expect(report.violations).toEqual([]);
    expect(report.functions.find((f) => f.stackName === 'Owner' && f.entry === 'get-note')).toMatchObject({ reservedConcurrency: 15, provisionedConcurrency: 4, ok: true });
    expect(formatCapacityReport(report)).toMatch(/Owner\s+get-note\s.*15 \(4 provisioned\)\s+[\d.]+\s+800\+100=900\s+9\s+13.3\s+yes/);
    // The templates are the truth: limits that say otherwise are a violation.
    const stale = checkCapacity({ stacks: synthesize(withProvisioned), limitsByStack: { Owner: notesLimits, Consumer: withProvisioned } });
    expect(stale.violations).toEqual(['Owner get-note: template provisions 4 but limits.ts declares 0']);
  });

  it('fails when a template provisions more than it reserves', () => {
    const stacks = synthesize();
    const owner = stacks.find((s) => s.stackName === 'Owner')!;
    const resources = owner.template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const alias = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Alias' && JSON.stringify(r.Properties['FunctionName']).includes('getnote'))!;
    alias.Properties['ProvisionedConcurrencyConfig'] = { ProvisionedConcurrentExecutions: 16 };
    const declared = { ...notesLimits, functions: { ...notesLimits.functions, 'get-note': { ...notesLimits.functions['get-note'], provisionedConcurrency: 16 } } };
    const report = checkCapacity({ stacks, limitsByStack: { Owner: declared, Consumer: notesLimits } });
    expect(report.violations).toEqual(['Owner get-note: provisioned concurrency 16 > reserved 15: provisioned environments come out of the reservation']);
  });

  it('checks against today’s default quotas when a quota is left undefined', () => {
    const report = checkCapacity({ stacks, limitsByStack, quotas: { concurrency: undefined, requestsPerSecond: undefined } });
    expect(report.account).toMatchObject({ concurrencyLimit: 900, rateQuota: 10_000, burstQuota: 5000 });
  });

  it('fails when a function has no declared limits or the template disagrees with them', () => {
    const { authorize: _authorize, ...withoutAuthorizer } = notesLimits.functions;
    const report = checkCapacity({
      stacks,
      limitsByStack: {
        Owner: { ...notesLimits, functions: withoutAuthorizer },
        Consumer: { ...notesLimits, functions: { ...notesLimits.functions, 'get-note': { ...notesLimits.functions['get-note'], reservedConcurrency: 99 } } },
      },
    });
    expect(report.violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Owner authorize: no limits declared for this function/),
        'Consumer get-note: template reserves 15 but limits.ts declares 99',
      ]),
    );
  });

  it('leaves out a function no method reaches and that reserves nothing (a deploy-time custom resource), but not one that reserves', () => {
    const handler = (reserved?: number) => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Handler: 'index.handler', ...(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }) },
    });
    const platform = (reserved?: number): StackTemplate => ({ stackName: 'Platform', template: { Resources: { Setter: handler(reserved) } } });
    const unreserved = checkCapacity({ stacks: [...stacks, platform()], limitsByStack });
    expect(unreserved.violations).toEqual([]);
    expect(unreserved.functions.map((f) => f.stackName)).not.toContain('Platform');
    const reserved = checkCapacity({ stacks: [...stacks, platform(5)], limitsByStack });
    expect(reserved.violations).toEqual([expect.stringMatching(/^Platform index: no limits declared for this function/)]);
    expect(reserved.account.reservedConcurrency).toBe(unreserved.account.reservedConcurrency + 5);
  });
});
