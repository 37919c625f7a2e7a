import { compileFilterPattern, fieldValue, FilterPatternError } from './filter-pattern';

const powertools = (level: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level, message: 'x', service: 'location', ...extra });

describe('metric filter patterns', () => {
  it.each([
    ['{ $.level = "ERROR" }', powertools('ERROR'), true],
    ['{ $.level = "ERROR" }', powertools('INFO'), false],
    ['{ $.level = "ERROR" }', 'plain ERROR line', false],
    ['{ $.level = "ERR*" }', powertools('ERROR'), true],
    ['{ $.level != "INFO" }', powertools('WARN'), true],
    ['{ $.latency > 500 }', powertools('INFO', { latency: 750 }), true],
    ['{ $.latency > 500 }', powertools('INFO', { latency: '250' }), false],
    ['{ $.latency >= 500 && $.level = "WARN" }', powertools('WARN', { latency: 500 }), true],
    ['{ ($.level = "ERROR") || ($.retry IS TRUE) }', powertools('INFO', { retry: true }), true],
    ['{ $.error.name = "TypeError" }', powertools('ERROR', { error: { name: 'TypeError' } }), true],
    ['{ $.items[1] = 7 }', powertools('INFO', { items: [3, 7] }), true],
    ['{ $.missing NOT EXISTS }', powertools('INFO'), true],
    ['{ $.cause IS NULL }', powertools('INFO', { cause: null }), true],
  ])('%s on %s → %s', (pattern, line, expected) => {
    expect(compileFilterPattern(pattern).match(line) !== undefined).toBe(expected);
  });

  it.each([
    ['ERROR', 'an ERROR here', true],
    ['ERROR', 'an error here', false],
    ['"Task timed out"', '2026-11-27T10:00:00Z abc Task timed out after 5.00 seconds', true],
    ['ERROR -retrying', 'ERROR retrying', false],
    ['?ERROR ?WARN', 'a WARN', true],
    ['?ERROR ?WARN', 'INFO', false],
    ['', 'anything', true],
  ])('terms %j on %j → %s', (pattern, line, expected) => {
    expect(compileFilterPattern(pattern).match(line) !== undefined).toBe(expected);
  });

  it('reads space-delimited fields, with quoted and bracketed fields whole and ... for the rest', () => {
    const pattern = compileFilterPattern('[ip, user, ..., status = 5*, bytes > 100]');
    const hit = pattern.match(
      '127.0.0.1 alice [27/Nov/2026:10:00:00 +0000] "GET /loc HTTP/1.1" 502 1234',
    );
    expect(hit).toBeDefined();
    expect(fieldValue(hit!, '$status')).toBe('502');
    expect(fieldValue(hit!, '$user')).toBe('alice');
    expect(pattern.match('127.0.0.1 alice [t] "GET /loc HTTP/1.1" 200 1234')).toBeUndefined();
    expect(pattern.match('127.0.0.1 alice [t] "GET" 503 10')).toBeUndefined();
  });

  it('reads Lambda REPORT lines for a duration metric', () => {
    const pattern = compileFilterPattern(
      '[type = "REPORT", requestIdLabel, requestId, durationLabel, duration, unit, ...]',
    );
    const hit = pattern.match('REPORT RequestId: 1f2e Duration: 12.34 ms Billed Duration: 13 ms');
    expect(fieldValue(hit!, '$duration')).toBe('12.34');
  });

  it('gives JSON values to metric values and dimensions', () => {
    const hit = compileFilterPattern('{ $.level = "ERROR" }').match(
      powertools('ERROR', { latency: 12 }),
    );
    expect(fieldValue(hit!, '$.latency')).toBe(12);
    expect(fieldValue(hit!, '$.service')).toBe('location');
  });

  it('says what is wrong with a pattern it cannot read', () => {
    expect(() => compileFilterPattern('{ $.level = }')).toThrow(FilterPatternError);
    expect(() => compileFilterPattern('{ level = "x" }')).toThrow(/expected a selector/);
    expect(() => compileFilterPattern('{ $.a = "x"')).toThrow(/must end with }/);
  });
});
