/**
 * CloudWatch Logs' filter pattern syntax ("Filter pattern syntax for metric filters"), compiled to
 * a matcher. A match yields the fields that metric values and dimensions may refer to: `$.path` for
 * JSON events, `$name` for the named fields of a space-delimited pattern.
 *
 * - Terms: `ERROR`, `"two words"` (all must occur, case-sensitive), `?ERROR ?WARN` (any), `-DEBUG`
 *   (must not occur); an empty pattern matches every event.
 * - JSON: `{ $.level = "ERROR" }`, `{ $.latency > 500 && ($.path = "/loc*" || $.retry IS TRUE) }`,
 *   operators `= != < <= > >=`, `*` wildcards in strings, `IS NULL`, `NOT EXISTS`, `IS TRUE`,
 *   `IS FALSE`, array indexes `$.a[0]`.
 * - Space-delimited: `[ip, user, ..., status = 5*, bytes > 1000]`: fields split on spaces, with
 *   "quoted" and [bracketed] fields kept whole; `...` stands for any number of fields.
 */
export interface CompiledPattern {
  readonly source: string;
  /** The fields of the match, or undefined when the event does not match. */
  match(message: string): MatchFields | undefined;
}

/** How a metric value or dimension value (`$.a.b`, `$name`) is read from a match. */
export interface MatchFields {
  json?: unknown;
  named?: Record<string, string>;
}

export class FilterPatternError extends Error {
  constructor(pattern: string, why: string) {
    super(`filter pattern ${JSON.stringify(pattern)}: ${why}`);
    this.name = 'FilterPatternError';
  }
}

export function compileFilterPattern(source: string): CompiledPattern {
  const text = source.trim();
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw new FilterPatternError(source, 'a JSON pattern must end with }');
    const condition = new JsonParser(source, text.slice(1, -1)).parse();
    return {
      source,
      match(message) {
        if (message.charCodeAt(0) !== 123 /* { */) return undefined;
        let json: unknown;
        try {
          json = JSON.parse(message);
        } catch {
          return undefined;
        }
        return condition(json) ? { json } : undefined;
      },
    };
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']'))
      throw new FilterPatternError(source, 'a space-delimited pattern must end with ]');
    return spaceDelimited(source, text.slice(1, -1));
  }
  return terms(source, text);
}

/** Reads `$.a.b[0]` from a JSON match or `$name` from a space-delimited one. */
export function fieldValue(fields: MatchFields, selector: string): unknown {
  if (selector.startsWith('$.')) return selectJson(fields.json, selector);
  if (selector.startsWith('$')) return fields.named?.[selector.slice(1)];
  return undefined;
}

// ---------------------------------------------------------------- terms

function terms(source: string, text: string): CompiledPattern {
  if (text === '') return { source, match: () => ({}) };
  const tokens = text.match(/[?-]?"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const token of tokens) {
    const prefix = token[0] === '?' || token[0] === '-' ? token[0] : '';
    let term = prefix ? token.slice(1) : token;
    if (term.startsWith('"')) term = JSON.parse(term) as string;
    if (prefix === '?') any.push(term);
    else if (prefix === '-') none.push(term);
    else all.push(term);
  }
  return {
    source,
    match(message) {
      for (const term of all) if (!message.includes(term)) return undefined;
      for (const term of none) if (message.includes(term)) return undefined;
      if (any.length > 0 && !any.some((term) => message.includes(term))) return undefined;
      return {};
    },
  };
}

// ---------------------------------------------------------------- JSON

type Condition = (json: unknown) => boolean;

class JsonParser {
  private at = 0;
  constructor(
    private readonly source: string,
    private readonly text: string,
  ) {}

  parse(): Condition {
    const condition = this.or();
    this.space();
    if (this.at < this.text.length)
      this.fail(`unexpected ${JSON.stringify(this.text.slice(this.at, this.at + 12))}`);
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.eat('||')) {
      const a = left;
      const b = this.and();
      left = (json) => a(json) || b(json);
    }
    return left;
  }

  private and(): Condition {
    let left = this.unit();
    while (this.eat('&&')) {
      const a = left;
      const b = this.unit();
      left = (json) => a(json) && b(json);
    }
    return left;
  }

  private unit(): Condition {
    if (this.eat('(')) {
      const inner = this.or();
      if (!this.eat(')')) this.fail('missing )');
      return inner;
    }
    this.space();
    const selector = /^\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*/.exec(this.text.slice(this.at))?.[0];
    if (!selector || selector === '$') this.fail('expected a selector like $.level');
    this.at += selector!.length;
    const path = selector!;
    if (this.eatWord('IS')) {
      if (this.eatWord('NULL')) return (json) => selectJson(json, path) === null;
      if (this.eatWord('TRUE')) return (json) => selectJson(json, path) === true;
      if (this.eatWord('FALSE')) return (json) => selectJson(json, path) === false;
      this.fail('expected NULL, TRUE or FALSE after IS');
    }
    if (this.eatWord('NOT')) {
      if (!this.eatWord('EXISTS')) this.fail('expected EXISTS after NOT');
      return (json) => selectJson(json, path) === undefined;
    }
    const operator = ['!=', '<=', '>=', '=', '<', '>'].find((op) => this.eat(op));
    if (!operator) this.fail(`expected an operator after ${path}`);
    this.space();
    const value = this.value();
    return (json) => compare(selectJson(json, path), operator!, value);
  }

  private value(): number | TextValue {
    const rest = this.text.slice(this.at);
    const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
    if (quoted) {
      this.at += quoted.length;
      return { text: JSON.parse(quoted) as string };
    }
    const number = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(rest)?.[0];
    if (number) {
      this.at += number.length;
      return Number(number);
    }
    const bare = /^[^\s()&|]+/.exec(rest)?.[0];
    if (!bare) this.fail('expected a value');
    this.at += bare!.length;
    return { text: bare! };
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.at)) {
      this.at += token.length;
      return true;
    }
    return false;
  }

  private eatWord(word: string): boolean {
    this.space();
    const rest = this.text.slice(this.at, this.at + word.length + 1);
    if (
      rest.slice(0, word.length).toUpperCase() === word &&
      !/[A-Za-z]/.test(rest[word.length] ?? '')
    ) {
      this.at += word.length;
      return true;
    }
    return false;
  }

  private fail(why: string): never {
    throw new FilterPatternError(
      this.source,
      `${why} (at character ${this.at + 1} inside the braces)`,
    );
  }
}

/** A string value written in a pattern (quoted or bare), as opposed to a number. */
interface TextValue {
  text: string;
}

function compare(actual: unknown, operator: string, expected: number | TextValue): boolean {
  if (typeof expected === 'object') {
    if (operator !== '=' && operator !== '!=') return false;
    if (actual === undefined || actual === null || typeof actual === 'object')
      return operator === '!=' && actual !== undefined;
    const matches = wildcard(expected.text).test(String(actual));
    return operator === '=' ? matches : !matches;
  }
  const value =
    typeof actual === 'number'
      ? actual
      : typeof actual === 'string' && actual.trim() !== ''
        ? Number(actual)
        : Number.NaN;
  if (Number.isNaN(value)) return false;
  switch (operator) {
    case '=':
      return value === expected;
    case '!=':
      return value !== expected;
    case '<':
      return value < expected;
    case '<=':
      return value <= expected;
    case '>':
      return value > expected;
    default:
      return value >= expected;
  }
}

const wildcards = new Map<string, RegExp>();
function wildcard(text: string): RegExp {
  let pattern = wildcards.get(text);
  if (!pattern) {
    pattern = new RegExp(
      `^${text
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
    wildcards.set(text, pattern);
  }
  return pattern;
}

function selectJson(json: unknown, selector: string): unknown {
  let value: unknown = json;
  for (const step of selector.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = step.startsWith('[')
      ? (value as unknown[])[Number(step.slice(1, -1))]
      : (value as Record<string, unknown>)[step.slice(1)];
  }
  return value;
}

// ---------------------------------------------------------------- space-delimited

interface FieldSpec {
  name: string | undefined;
  ellipsis: boolean;
  condition?: (value: string) => boolean;
}

function spaceDelimited(source: string, text: string): CompiledPattern {
  const fields: FieldSpec[] = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      if (part === '...') return { name: undefined, ellipsis: true };
      const parsed = /^([A-Za-z_][A-Za-z0-9_]*)?\s*(?:(!=|<=|>=|=|<|>)\s*(.+))?$/.exec(part);
      if (!parsed)
        throw new FilterPatternError(source, `cannot read field ${JSON.stringify(part)}`);
      const [, name, operator, raw] = parsed;
      if (!operator) return { name, ellipsis: false };
      const expected = /^-?\d+(?:\.\d+)?$/.test(raw!.trim())
        ? Number(raw)
        : { text: raw!.trim().replace(/^"(.*)"$/, '$1') };
      return {
        name,
        ellipsis: false,
        condition: (value: string) => compare(value, operator, expected),
      };
    });
  return {
    source,
    match(message) {
      const values = splitFields(message);
      const named: Record<string, string> = {};
      const matchFrom = (f: number, v: number): boolean => {
        if (f === fields.length) return v === values.length;
        const field = fields[f]!;
        if (field.ellipsis) {
          for (let skip = v; skip <= values.length; skip++) if (matchFrom(f + 1, skip)) return true;
          return false;
        }
        if (v >= values.length) return false;
        const value = values[v]!;
        if (field.condition && !field.condition(value)) return false;
        if (!matchFrom(f + 1, v + 1)) return false;
        if (field.name) named[field.name] = value;
        return true;
      };
      return matchFrom(0, 0) ? { named } : undefined;
    },
  };
}

/** Splits a line on spaces, keeping "quoted" and [bracketed] fields whole (without their marks). */
function splitFields(line: string): string[] {
  const out: string[] = [];
  const pattern = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line))
    out.push(match[1] ?? match[2] ?? match[3] ?? '');
  return out;
}
