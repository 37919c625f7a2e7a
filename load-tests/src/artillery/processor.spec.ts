import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The processor Artillery loads beside every script (plain CommonJS, so Artillery needs no build step). */
interface Processor {
  pickUser(context: Context, events: EventEmitter, next: () => void): void;
  markSent(request: unknown, context: Context, events: EventEmitter, next: () => void): void;
  markWrite(request: unknown, context: Context, events: EventEmitter, next: () => void): void;
  checkAnswer(
    request: unknown,
    response: Response,
    context: Context,
    events: EventEmitter,
    next: () => void,
  ): void;
}
interface Context {
  vars: Record<string, unknown> & { users?: { userId: string; authorization: string }[] };
}
interface Response {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const processor = require('../../artillery/processor.cjs') as Processor;

const alice = { userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10', authorization: 'Bearer a' };
const bob = { userId: '9b2d4c6e-1a3f-4e5d-8c7b-6a5f4e3d2c1b', authorization: 'Bearer b' };

/** Runs the hooks of one virtual user's request and returns the counters they emitted. */
function oneRequest(
  response: Response,
  options: { write?: boolean; users?: (typeof alice)[] } = {},
): { counters: Record<string, number>; context: Context } {
  const counters: Record<string, number> = {};
  const events = new EventEmitter();
  events.on(
    'counter',
    (name: string, value: number) => (counters[name] = (counters[name] ?? 0) + value),
  );
  const context: Context = { vars: { users: options.users ?? [alice] } };
  const next = () => undefined;
  processor.pickUser(context, events, next);
  if (options.write) processor.markWrite({}, context, events, next);
  const user = context.vars['user'] as typeof alice;
  const body = response.body
    .replace('$USER', user.userId)
    .replace('"$ACCURACY"', String(context.vars['accuracy']));
  processor.checkAnswer({}, { ...response, body }, context, events, next);
  return { counters, context };
}

const ok = (body: string): Response => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body,
});

describe('the Artillery processor', () => {
  it("counts an answer that carries the requesting user's id as matched", () => {
    expect(oneRequest(ok('{"userId":"$USER","latitude":1}')).counters).toEqual({
      'sm.identity.matched': 1,
    });
  });

  it("counts an answer that carries another user's id as mismatched, never matched", () => {
    expect(oneRequest(ok(`{"userId":"${bob.userId}"}`)).counters).toEqual({
      'sm.identity.mismatched': 1,
    });
    expect(oneRequest(ok('not json')).counters).toEqual({ 'sm.identity.mismatched': 1 });
  });

  it('holds a write to its own accuracy, and counts and logs it per writer once acknowledged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-processor-'));
    const ackFile = join(dir, 'ack.txt');
    writeFileSync(ackFile, '');
    process.env['SM_LOAD_ACK_FILE'] = ackFile;
    try {
      const own = oneRequest(ok('{"userId":"$USER","accuracy":"$ACCURACY"}'), {
        write: true,
        users: [alice, bob],
      });
      const index = own.context.vars['userIndex'] as number;
      expect(own.counters).toEqual({
        'sm.identity.matched': 1,
        [`sm.write.acknowledged.${index}`]: 1,
      });
      const accuracy = own.context.vars['accuracy'] as number;
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(100_000);
      expect(readFileSync(ackFile, 'utf8')).toBe(`${[alice, bob][index]!.userId} ${accuracy}\n`);

      const another = oneRequest(ok('{"userId":"$USER","accuracy":12.5}'), { write: true });
      expect(another.counters).toEqual({ 'sm.identity.mismatched': 1 });
      expect(readFileSync(ackFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      delete process.env['SM_LOAD_ACK_FILE'];
    }
  });

  it('tells a 429 problem from any other 429', () => {
    const problem = {
      statusCode: 429,
      headers: { 'content-type': 'application/problem+json' },
      body: '{"status":429,"type":"urn:problem-type:throttled"}',
    };
    expect(oneRequest(problem).counters).toEqual({ 'sm.throttled.problem': 1 });
    expect(
      oneRequest({ ...problem, headers: { 'content-type': 'application/json' } }).counters,
    ).toEqual({ 'sm.throttled.not_problem': 1 });
    expect(oneRequest({ ...problem, body: '{"status":400}' }).counters).toEqual({
      'sm.throttled.not_problem': 1,
    });
  });

  it('counts every 5xx, and a profile without its location as degraded', () => {
    expect(oneRequest({ statusCode: 501, headers: {}, body: '' }).counters).toEqual({
      'sm.status.5xx': 1,
    });
    expect(oneRequest(ok('{"userId":"$USER","location":null}')).counters).toEqual({
      'sm.identity.matched': 1,
      'sm.profile.degraded': 1,
    });
  });

  it('records when each request goes out, from the moment the script shares with every generator', () => {
    const values: [string, number][] = [];
    const events = new EventEmitter();
    events.on('histogram', (name: string, value: number) => values.push([name, value]));
    const before = Date.now();
    processor.markSent({}, { vars: { startsAt: before - 1_500 } }, events, () => undefined);
    expect(values).toHaveLength(1);
    expect(values[0]![0]).toBe('sm.sent_after_ms');
    expect(values[0]![1]).toBeGreaterThanOrEqual(1_500);
    expect(values[0]![1]).toBeLessThan(1_500 + (Date.now() - before) + 50);
  });
});
