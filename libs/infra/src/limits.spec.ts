import { defineServiceLimits, type ServiceLimits } from './limits';

const valid: ServiceLimits<'get-thing'> = {
  service: 'things',
  stage: { rateLimit: 10, burstLimit: 20 },
  headroom: 0.8,
  functions: { 'get-thing': { reservedConcurrency: 5, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 100, deadlineMs: 800, overheadMs: 100 } },
};

const withFunction = (patch: Partial<ServiceLimits['functions'][string]>) => ({
  ...valid,
  functions: { 'get-thing': { ...valid.functions['get-thing'], ...patch } },
});

describe('defineServiceLimits', () => {
  it('returns valid limits unchanged', () => {
    expect(defineServiceLimits(valid)).toBe(valid);
  });

  it('accepts provisioned concurrency up to the whole reservation', () => {
    expect(() => defineServiceLimits(withFunction({ provisionedConcurrency: 5 }))).not.toThrow();
    expect(() => defineServiceLimits(withFunction({ provisionedConcurrency: 0 }))).not.toThrow();
  });

  it.each([
    ['a timeout at API Gateway’s 29 s cap', withFunction({ timeoutSeconds: 29 }), /get-thing: timeoutSeconds must be .* got 29/],
    ['a fractional timeout', withFunction({ timeoutSeconds: 1.5 }), /timeoutSeconds .* got 1.5/],
    ['memory below 128 MB', withFunction({ memoryMb: 64 }), /memoryMb .* got 64/],
    ['zero reserved concurrency', withFunction({ reservedConcurrency: 0 }), /reservedConcurrency .* got 0/],
    ['an assumed p99 beyond the timeout', withFunction({ assumedP99Ms: 6000 }), /assumedP99Ms .* at most the timeout \(5000 ms\), got 6000/],
    ['a fractional deadline', withFunction({ deadlineMs: 800.5 }), /deadlineMs must be a whole number of ms ≥ 1, got 800.5/],
    ['a negative overhead', withFunction({ overheadMs: -1 }), /overheadMs must be a whole number of ms ≥ 0, got -1/],
    [
      'a worst case that would end in a Lambda timeout',
      withFunction({ deadlineMs: 4700, overheadMs: 100 }),
      /deadlineMs 4700 \+ overheadMs 100 \+ 250 ms to answer must fit in the timeout \(5000 ms\)/,
    ],
    ['an assumed p99 beyond the worst case', withFunction({ assumedP99Ms: 950 }), /assumedP99Ms 950 cannot exceed the worst case deadlineMs \+ overheadMs = 900/],
    ['a headroom above 1', { ...valid, headroom: 1.2 }, /headroom must be in \(0, 1\], got 1.2/],
    ['a zero stage rate', { ...valid, stage: { rateLimit: 0, burstLimit: 1 } }, /stage.rateLimit .* got 0/],
    ['a fractional burst', { ...valid, stage: { rateLimit: 1, burstLimit: 2.5 } }, /stage.burstLimit .* got 2.5/],
    ['no functions', { ...valid, functions: {} }, /at least one function/],
    ['provisioned concurrency above the reservation', withFunction({ provisionedConcurrency: 6 }), /provisionedConcurrency .* reserved concurrency \(5\).* got 6/],
    ['fractional provisioned concurrency', withFunction({ provisionedConcurrency: 1.5 }), /provisionedConcurrency .* got 1.5/],
  ])('rejects %s, naming the value', (_name, limits, message) => {
    expect(() => defineServiceLimits(limits as ServiceLimits)).toThrow(message);
  });
});
