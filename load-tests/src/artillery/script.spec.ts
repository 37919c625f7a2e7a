import { parse } from 'yaml';
import type { MethodLimits } from '../limits';
import { scenarios } from '../scenarios';
import { artilleryScenarios } from './scenarios';
import { artilleryScript, renderScript, type ArtilleryScenario } from './script';

// The loadtest scenarios are read here only for their names; their engine (loadtest, an ES module
// Jest cannot load) never runs in this file.
jest.mock('../open-model', () => ({ runOpenModel: jest.fn() }));

const limits: MethodLimits = {
  method: 'GET',
  resourcePath: '/loc/{userId}',
  rateLimit: 50,
  burstLimit: 40,
  functionName: 'fn',
  reservedConcurrency: 60,
};
const byName = (name: string): ArtilleryScenario =>
  artilleryScenarios.find((scenario) => scenario.name === name)!;
const users = [{ userId: 'u1', authorization: 'Bearer t1' }];
const base = {
  limits,
  target: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging',
  users,
  seconds: 20,
  p99Ms: 250,
  startsAt: 1_800_000_000_000,
};

type Script = {
  config: {
    target: string;
    phases: { duration: number; arrivalRate: number }[];
    variables: { users: unknown[]; startsAt: number };
    processor: string;
    ensure: {
      thresholds: Record<string, number>[];
      conditions: { expression: string; strict: boolean }[];
    };
  };
  scenarios: { beforeScenario: string; flow: Record<string, Record<string, unknown>>[] }[];
};
const expressions = (script: Script) =>
  script.config.ensure.conditions.map((condition) => condition.expression);

describe('artilleryScript', () => {
  it('has an Artillery version of every loadtest scenario, under the same name and method', () => {
    expect(artilleryScenarios.map((scenario) => scenario.name)).toEqual(
      scenarios.map((scenario) => scenario.name),
    );
    for (const scenario of artilleryScenarios)
      expect(scenario.name.startsWith(`${scenario.method} ${scenario.resourcePath} `)).toBe(true);
  });

  it('offers half the method rate below the limit and twice it above, as one arrival-rate phase against the API base URL', () => {
    const below = artilleryScript({
      ...base,
      scenario: byName('GET /loc/{userId} below the limit'),
    }).script as Script;
    const above = artilleryScript({
      ...base,
      scenario: byName('GET /loc/{userId} above the limit'),
    }).script as Script;
    expect(below.config.phases).toEqual([
      { name: 'GET /loc/{userId} below the limit', duration: 20, arrivalRate: 25 },
    ]);
    expect(above.config.phases[0]!.arrivalRate).toBe(100);
    expect(below.config.target).toBe(base.target);
    expect(below.scenarios[0]!.flow[0]!['get']).toMatchObject({
      url: '/loc/{{ user.userId }}',
      headers: { authorization: '{{ user.authorization }}' },
      beforeRequest: ['markSent'],
      afterResponse: 'checkAnswer',
    });
    expect(below.config.variables).toEqual({ users: [users], startsAt: base.startsAt });
  });

  it('spreads the rate over Fargate tasks, each of which runs the whole script', () => {
    const script = artilleryScript({
      ...base,
      count: 3,
      scenario: byName('GET /loc/{userId} above the limit'),
    });
    expect((script.script as Script).config.phases[0]!.arrivalRate).toBe(34);
    expect(script.notes[0]).toBe(
      'GET /loc/{userId} above the limit: 100 requests/s in all, over 3 load generator(s) at 34/s each, for 20 s',
    );
  });

  it('names 429, each 5xx and p99 in its ensure conditions, since Artillery counts none of them as errors', () => {
    const below = artilleryScript({
      ...base,
      scenario: byName('GET /loc/{userId} below the limit'),
    }).script as Script;
    const above = artilleryScript({
      ...base,
      scenario: byName('GET /loc/{userId} above the limit'),
    }).script as Script;
    expect(below.config.ensure.thresholds).toEqual([{ 'http.response_time.p99': 250 }]);
    expect(expressions(below)).toEqual(
      expect.arrayContaining([
        'not http.codes.429',
        'not http.codes.500',
        'not http.codes.502',
        'not http.codes.503',
        'not http.codes.504',
        'not sm.status.5xx',
        'not sm.identity.mismatched',
      ]),
    );
    expect(expressions(below)).not.toContain('http.codes.429 > 0');
    expect(expressions(above)).toEqual(
      expect.arrayContaining([
        'http.codes.429 > 0',
        'not sm.throttled.not_problem',
        'not http.codes.500',
      ]),
    );
    expect(expressions(above)).not.toContain('not http.codes.429');
    expect(below.config.ensure.conditions.every((condition) => condition.strict)).toBe(true);
  });

  it('fails a run whose generators fell behind their schedule: 20 s phases must send within 25 s', () => {
    const below = artilleryScript({
      ...base,
      scenario: byName('GET /loc/{userId} below the limit'),
    }).script as Script;
    expect(expressions(below)).toContain('sm.sent_after_ms.max - sm.sent_after_ms.min < 25000');
  });

  it('sends each write with an accuracy of its own, set by the processor', () => {
    const put = artilleryScript({ ...base, scenario: byName('PUT /loc/{userId} above the limit') })
      .script as Script;
    expect(put.scenarios[0]!.flow[0]!['put']).toMatchObject({
      beforeRequest: ['markSent', 'markWrite'],
      json: { latitude: 48.8584, longitude: 2.2945, accuracy: '{{ accuracy }}' },
    });
  });

  it('renders YAML that reads back as the script, with what it offers and why as a header comment', () => {
    const generated = artilleryScript({
      ...base,
      scenario: byName('GET /loc/{userId} below the limit'),
    });
    const text = renderScript(generated);
    expect(parse(text)).toEqual(generated.script);
    expect(text.split('\n')[1]).toBe(
      '# GET /loc/{userId} below the limit: 25 requests/s in all, over 1 load generator(s) at 25/s each, for 20 s',
    );
    expect(text).toContain(
      '#   not http.codes.429  — below the limit, API Gateway never throttles',
    );
  });
});
