/**
 * CloudWatch metric math ("Metric math syntax and functions"), the part alarms and dashboards here
 * use: numbers, query ids, `+ - * / ^`, unary minus, parentheses, and the functions `SUM`, `AVG`,
 * `MIN`, `MAX` (of an array `[a, b]` or `METRICS()`: per timestamp across the series, or of one
 * series: a single value), `ABS`, `FILL(x, value)`. As in CloudWatch, an operator between two
 * series yields a value only at timestamps where both have one (missing data propagates: a sum
 * `a + b` has no datapoint where `a` has none, hence FILL); functions over arrays skip missing values.
 */

/** A time series as metric math sees it: timestamp (period start) → value. */
export type TimeSeries = Map<number, number>;
type Value = number | TimeSeries | TimeSeries[];

export class MetricMathError extends Error {
  constructor(expression: string, why: string) {
    super(`metric math ${JSON.stringify(expression)}: ${why}`);
    this.name = 'MetricMathError';
  }
}

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'id'; id: string }
  | { kind: 'array'; items: Node[] }
  | { kind: 'unary'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'call'; name: string; args: Node[] };

const FUNCTIONS = new Set(['SUM', 'AVG', 'MIN', 'MAX', 'ABS', 'FILL', 'METRICS']);

/** A parsed expression: its query ids (to fetch) and how to evaluate it. */
export interface CompiledExpression {
  readonly ids: string[];
  evaluate(
    series: (id: string) => TimeSeries | undefined,
    all: () => TimeSeries[],
    timestamps: number[],
  ): TimeSeries;
}

export function compileExpression(expression: string): CompiledExpression {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/^(),[\]]|\S/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new MetricMathError(expression, why);
  };
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const expect = (token: string) => (next() === token ? undefined : fail(`expected ${token}`));
  const ids = new Set<string>();

  const primary = (): Node => {
    const token = next();
    if (token === undefined) return fail('unexpected end');
    if (token === '(') {
      const inner = additive();
      expect(')');
      return inner;
    }
    if (token === '[') {
      const items: Node[] = [];
      if (peek() !== ']') {
        do items.push(additive());
        while (peek() === ',' && next());
      }
      expect(']');
      return { kind: 'array', items };
    }
    if (token === '-') return { kind: 'unary', operand: power() };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() === '(') {
        const name = token.toUpperCase();
        if (!FUNCTIONS.has(name))
          fail(`function ${token} is not evaluated locally (${[...FUNCTIONS].join(', ')} are)`);
        next();
        const args: Node[] = [];
        if (peek() !== ')') {
          do args.push(additive());
          while (peek() === ',' && next());
        }
        expect(')');
        return { kind: 'call', name, args };
      }
      if (!/^[a-z]/.test(token)) fail(`${token}: ids start with a lower-case letter`);
      ids.add(token);
      return { kind: 'id', id: token };
    }
    return fail(`unexpected ${token}`);
  };
  const power = (): Node => {
    let left = primary();
    while (peek() === '^') {
      next();
      left = { kind: 'binary', op: '^', left, right: primary() };
    }
    return left;
  };
  const multiplicative = (): Node => {
    let left = power();
    while (peek() === '*' || peek() === '/')
      left = { kind: 'binary', op: next() as string, left, right: power() };
    return left;
  };
  const additive = (): Node => {
    let left = multiplicative();
    while (peek() === '+' || peek() === '-')
      left = { kind: 'binary', op: next() as string, left, right: multiplicative() };
    return left;
  };
  const root = additive();
  if (at < tokens.length) fail(`unexpected ${tokens[at]}`);

  return {
    ids: [...ids],
    evaluate(series, all, timestamps) {
      const value = evaluateNode(root, series, all, timestamps, expression);
      if (value instanceof Map) return value;
      if (typeof value === 'number') return new Map(timestamps.map((t) => [t, value]));
      throw new MetricMathError(
        expression,
        'an alarm needs one time series, the expression gives several',
      );
    },
  };
}

function evaluateNode(
  node: Node,
  series: (id: string) => TimeSeries | undefined,
  all: () => TimeSeries[],
  timestamps: number[],
  source: string,
): Value {
  const recurse = (n: Node) => evaluateNode(n, series, all, timestamps, source);
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'id':
      return series(node.id) ?? new Map();
    case 'array':
      return node.items.map(recurse).map((v) => asSeries(v, timestamps, source));
    case 'unary':
      return apply(recurse(node.operand), 0, (a) => -a, timestamps);
    case 'binary': {
      const fn = {
        '+': (a: number, b: number) => a + b,
        '-': (a: number, b: number) => a - b,
        '*': (a: number, b: number) => a * b,
        '/': (a: number, b: number) => a / b,
        '^': (a: number, b: number) => a ** b,
      }[node.op]!;
      return binary(recurse(node.left), recurse(node.right), fn, source);
    }
    case 'call': {
      if (node.name === 'METRICS') return all();
      const args = node.args.map(recurse);
      if (node.name === 'ABS') return apply(args[0] ?? 0, 0, Math.abs, timestamps);
      if (node.name === 'FILL') {
        const target = args[0];
        const fill = args[1];
        if (typeof fill !== 'number')
          throw new MetricMathError(source, 'FILL takes a number as its value here');
        const fillOne = (s: TimeSeries) => new Map(timestamps.map((t) => [t, s.get(t) ?? fill]));
        if (Array.isArray(target)) return target.map(fillOne);
        return fillOne(asSeries(target ?? 0, timestamps, source));
      }
      const reduce = {
        SUM: (v: number[]) => v.reduce((a, b) => a + b, 0),
        AVG: (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length,
        MIN: (v: number[]) => Math.min(...v),
        MAX: (v: number[]) => Math.max(...v),
      }[node.name]!;
      const arg = args[0];
      if (Array.isArray(arg)) {
        // Across the series, per timestamp, over the values present.
        const out: TimeSeries = new Map();
        for (const t of timestamps) {
          const values = arg.map((s) => s.get(t)).filter((v): v is number => v !== undefined);
          if (values.length > 0) out.set(t, reduce(values));
        }
        return out;
      }
      if (arg instanceof Map) return arg.size === 0 ? new Map() : reduce([...arg.values()]);
      return typeof arg === 'number' ? arg : 0;
    }
  }
}

function asSeries(value: Value, timestamps: number[], source: string): TimeSeries {
  if (value instanceof Map) return value;
  if (typeof value === 'number') return new Map(timestamps.map((t) => [t, value]));
  throw new MetricMathError(source, 'an array inside an array');
}

function apply(
  value: Value,
  _unused: number,
  fn: (a: number) => number,
  timestamps: number[],
): Value {
  if (typeof value === 'number') return fn(value);
  if (Array.isArray(value)) return value.map((s) => apply(s, 0, fn, timestamps) as TimeSeries);
  return new Map([...value].map(([t, v]) => [t, fn(v)]));
}

function binary(
  left: Value,
  right: Value,
  fn: (a: number, b: number) => number,
  source: string,
): Value {
  if (typeof left === 'number' && typeof right === 'number') return fn(left, right);
  if (Array.isArray(left) || Array.isArray(right)) {
    if (Array.isArray(left) && Array.isArray(right))
      throw new MetricMathError(source, 'an operator between two arrays');
    return Array.isArray(left)
      ? left.map((s) => binary(s, right, fn, source) as TimeSeries)
      : (right as TimeSeries[]).map((s) => binary(left, s, fn, source) as TimeSeries);
  }
  if (typeof left === 'number')
    return new Map([...(right as TimeSeries)].map(([t, v]) => [t, fn(left, v)]));
  if (typeof right === 'number') return new Map([...left].map(([t, v]) => [t, fn(v, right)]));
  const out: TimeSeries = new Map();
  for (const [t, v] of left) {
    const w = right.get(t);
    if (w !== undefined) out.set(t, fn(v, w));
  }
  return out;
}
