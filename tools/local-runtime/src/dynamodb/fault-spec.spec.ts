import { describeFaultSpec, FaultSpecError, injectsFaults, parseFaultSpec } from './fault-spec';

const none = { throttle: 0, capacity: 0, error: 0, reset: 0 };

describe('parseFaultSpec', () => {
  it('reads every term of the documented format', () => {
    expect(
      parseFaultSpec(
        'latency=100-300ms, throttle=5%,capacity=2.5%,error=1%,reset=0.5%,outage=10s+5s,outage-as=reset,tables=Locations|Tokens,ops=PutItem|Query,seed=42',
      ),
    ).toEqual({
      latencyMs: { min: 100, max: 300 },
      shares: { throttle: 0.05, capacity: 0.025, error: 0.01, reset: 0.005 },
      outage: { startMs: 10_000, durationMs: 5_000, as: 'reset' },
      tables: ['Locations', 'Tokens'],
      operations: ['PutItem', 'Query'],
      seed: 42,
    });
  });

  it.each([
    ['200', { min: 200, max: 200 }],
    ['200ms', { min: 200, max: 200 }],
    ['2s', { min: 2000, max: 2000 }],
    ['1.5s', { min: 1500, max: 1500 }],
    ['1-2s', { min: 1000, max: 2000 }],
    ['500ms-1s', { min: 500, max: 1000 }],
  ])('reads latency=%s', (value, latencyMs) => {
    expect(parseFaultSpec(`latency=${value}`).latencyMs).toEqual(latencyMs);
  });

  it('defaults an outage to InternalServerError and injects nothing for an empty spec or none', () => {
    expect(parseFaultSpec('outage=0s+5s').outage).toEqual({
      startMs: 0,
      durationMs: 5000,
      as: 'error',
    });
    expect(parseFaultSpec('')).toEqual({ shares: none });
    expect(parseFaultSpec('none')).toEqual({ shares: none });
    expect(injectsFaults(parseFaultSpec('none'))).toBe(false);
    expect(injectsFaults(parseFaultSpec('tables=Locations'))).toBe(false);
    expect(injectsFaults(parseFaultSpec('error=1%'))).toBe(true);
  });

  it.each([
    ['latency=fast', /latency: expected a duration such as 200ms or 2s, got "fast"/],
    ['latency=300-100ms', /latency: the range 300-100ms ends before it starts/],
    ['throttle=5', /throttle: expected a share such as 5% \(0–100 %\), got "5"/],
    ['error=120%', /error: expected a share such as 5%/],
    ['throttle=60%,error=50%', /the shares add up to 110 %: at most 100 % of calls can fail/],
    ['outage=5s', /outage: expected START\+DURATION such as 10s\+5s, got "5s"/],
    ['outage=1s+0s', /outage: the duration must be more than 0/],
    ['outage-as=reset', /outage-as: goes with outage=START\+DURATION/],
    ['outage=1s+1s,outage-as=slow', /outage-as: expected error, reset, throttle, got "slow"/],
    ['tables=Loc ations', /tables: expected names separated by \|/],
    ['seed=-1', /seed: expected a whole number ≥ 0, got "-1"/],
    ['throttle=1%,throttle=2%', /throttle: given twice/],
    ['throttle', /throttle: missing its value \(throttle=…\)/],
    ['slow=1s', /unknown term "slow=1s": expected one of latency=…, throttle=…/],
  ])('rejects %s, saying what is wrong', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('describeFaultSpec', () => {
  it('says what the store will do, in one line', () => {
    expect(
      describeFaultSpec(
        parseFaultSpec('latency=2s,throttle=5%,outage=10s+5s,tables=Locations,seed=7'),
      ),
    ).toBe(
      'store faults: +2000 ms latency, 5 % ThrottlingException, an outage (InternalServerError) from 10 s for 5 s (tables ~ Locations, all operations, seed 7)',
    );
    expect(describeFaultSpec(parseFaultSpec(''))).toBe('no store faults');
  });
});
