import type {
  FunctionSpec,
  FunctionStats,
  InvokeOptions,
  InvokeResult,
  LambdaService,
} from './types';

/** Where an alias sends calls, as `AWS::Lambda::Alias` says: `FunctionVersion` and `RoutingConfig`. */
export interface AliasRouting {
  /** The version the alias points to: it takes every call the additional versions do not. */
  readonly version: string;
  /**
   * Other versions and the share of calls each takes, from 0 to 1 (`AdditionalVersionWeights`;
   * Lambda allows one, with a weight below 1).
   */
  readonly additionalVersionWeights?: { readonly [version: string]: number };
}

/** One invocation through the router, after it answered: which version ran it. */
export interface RoutedInvocation {
  readonly functionId: string;
  /** The qualifier the caller used (`live`, `2`), undefined for an unqualified call. */
  readonly qualifier: string | undefined;
  readonly version: string;
  readonly requestId: string | undefined;
  readonly result: InvokeResult;
}

/** A Lambda service that honours versions and aliases: how callers name a function decides what runs. */
export interface AliasRouter extends LambdaService {
  /**
   * Publishes `version` of a registered function, run by `spec` (another build, with its own
   * execution environments, as every version has in Lambda), or without one by the function's own
   * spec (a version of the same code, as the assembly publishes it). A spec's id must differ from
   * the function's; its reserved concurrency is ignored: the function's reservation caps all its
   * versions together, as Lambda's does.
   */
  publishVersion(functionId: string, version: string, spec?: FunctionSpec): void;
  /** Creates or moves an alias (CodeDeploy moves `live` this way during a traffic shift). */
  setAlias(functionId: string, alias: string, routing: AliasRouting): void;
  /** Where an alias points now. */
  aliasOf(functionId: string, alias: string): AliasRouting | undefined;
  /** Whether a registered function has `version` (its own, `$LATEST`, or a published one). */
  hasVersion(functionId: string, version: string): boolean;
  /** Invokes like `invoke`, and says which version ran (Lambda's `X-Amz-Executed-Version`). */
  invokeQualified(
    functionId: string,
    event: unknown,
    opts?: InvokeOptions,
  ): Promise<{ result: InvokeResult; version: string }>;
  /** Called once per answered invocation, in the order answers arrive. Returns the unsubscribe. */
  onInvoked(listener: (invocation: RoutedInvocation) => void): () => void;
}

export interface AliasRouterOptions {
  /** Uniform in [0, 1): picks the version of each weighted call. @default Math.random */
  random?: () => number;
}

interface RoutedFunction {
  /** The function's current spec (`update` replaces it: a reload, a rebuilt bundle). */
  spec: FunctionSpec;
  /** version → the registered spec id that runs it; `$LATEST` and the spec's own version map to `spec.id`. */
  readonly versions: Map<string, string>;
  readonly aliases: Map<string, AliasRouting>;
  /** Calls in flight through the router, across every version. */
  inFlight: number;
}

const LATEST = '$LATEST';

/**
 * Versions and aliases over the Lambda service, which runs each registered spec as it is. The
 * registered function is `$LATEST` (and its own `version`, when the assembly published one); more
 * versions are more specs. A call qualified with an alias runs the alias's version or, with the
 * probability of its weight, an additional version ("a simple probabilistic model", as Lambda
 * documents for weighted aliases): routing happens before the hand-over to an environment, never
 * inside it, so every invariant of the hand-over holds per version.
 *
 * `update`, `relocate` and `remove` act on the function (`$LATEST`) as the Lambda service's do:
 * every version and alias that names the function's own spec runs the new code for the calls
 * admitted after the update (a watch-mode reload keeps `live` on the code just saved); versions
 * published with a spec of their own (a canary's previous build) keep theirs.
 *
 * Reserved concurrency stays a property of the function: while a function has more than one
 * version, the router caps the calls in flight across all of them at the function's reservation
 * and throttles the next one, as Lambda does (the versions' own specs reserve nothing).
 */
export function createAliasRouter(
  inner: LambdaService,
  options: AliasRouterOptions = {},
): AliasRouter {
  const random = options.random ?? Math.random;
  const functions = new Map<string, RoutedFunction>();
  const listeners = new Set<(invocation: RoutedInvocation) => void>();
  const broken: string[] = [];

  const functionOf = (functionId: string): RoutedFunction => {
    const fn = functions.get(functionId);
    if (!fn) throw new Error(`alias router: function ${functionId} is not registered`);
    return fn;
  };

  /** The version a call runs, from its qualifier; undefined when the qualifier names nothing. */
  const versionFor = (fn: RoutedFunction, qualifier: string | undefined): string | undefined => {
    if (qualifier === undefined || qualifier === LATEST) return fn.spec.version ?? LATEST;
    if (fn.versions.has(qualifier)) return qualifier;
    const alias = fn.aliases.get(qualifier);
    if (!alias) return undefined;
    let draw = random();
    for (const [version, weight] of Object.entries(alias.additionalVersionWeights ?? {})) {
      if (draw < weight) return version;
      draw -= weight;
    }
    return alias.version;
  };

  const notFound = (functionId: string, qualifier: string | undefined): InvokeResult => ({
    kind: 'error',
    errorType: 'ResourceNotFoundException',
    errorMessage: `Function not found: ${functionId}:${qualifier}`,
    durationMs: 0,
  });

  /** Where a call goes: the version and the spec that runs it, or an answer without running anything. */
  const route = (
    functionId: string,
    opts: InvokeOptions,
  ):
    | { fn?: RoutedFunction; version: string; specId: string }
    | { answer: InvokeResult; version: string } => {
    const fn = functions.get(functionId);
    if (!fn) return { version: LATEST, specId: functionId };
    const version = versionFor(fn, opts.qualifier);
    if (version === undefined)
      return { answer: notFound(functionId, opts.qualifier), version: LATEST };
    return { fn, version, specId: fn.versions.get(version) ?? fn.spec.id };
  };

  /** Only the router caps a function with several versions: the Lambda service's counts are per spec. */
  const capped = (fn: RoutedFunction) =>
    fn.spec.reservedConcurrency !== undefined && new Set(fn.versions.values()).size > 1;

  const invokeQualified = async (
    functionId: string,
    event: unknown,
    opts: InvokeOptions = {},
  ): Promise<{ result: InvokeResult; version: string }> => {
    const target = route(functionId, opts);
    if ('answer' in target) return { result: target.answer, version: target.version };
    const { fn, version, specId } = target;
    if (!fn) return { result: await inner.invoke(specId, event, opts), version };
    if (capped(fn) && fn.inFlight >= fn.spec.reservedConcurrency!) {
      const result: InvokeResult = {
        kind: 'throttled',
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      };
      notify({ functionId, qualifier: opts.qualifier, version, requestId: opts.requestId, result });
      return { result, version };
    }
    fn.inFlight++;
    let result: InvokeResult;
    try {
      result = await inner.invoke(specId, event, opts);
    } finally {
      fn.inFlight--;
      if (fn.inFlight < 0)
        broken.push(`alias router: ${functionId} has ${fn.inFlight} calls in flight`);
    }
    notify({ functionId, qualifier: opts.qualifier, version, requestId: opts.requestId, result });
    return { result, version };
  };

  /**
   * The common case, one spec per function and nobody listening (no canary): straight to the
   * Lambda service, without a promise of the router's own in between.
   */
  const invoke = (
    functionId: string,
    event: unknown,
    opts?: InvokeOptions,
  ): Promise<InvokeResult> => {
    if (listeners.size === 0) {
      const target = route(functionId, opts ?? {});
      if ('answer' in target) return Promise.resolve(target.answer);
      if (!target.fn || !capped(target.fn)) return inner.invoke(target.specId, event, opts);
    }
    return invokeQualified(functionId, event, opts).then((routed) => routed.result);
  };

  /**
   * The function's spec after an update: its own version number follows the spec's (a reload of an
   * assembly numbered differently); aliases on the old number are moved by the caller
   * (`applyVersions` in reload.ts), in the same turn.
   */
  const retarget = (fn: RoutedFunction, spec: FunctionSpec) => {
    const before = fn.spec.version;
    fn.spec = spec;
    if (before === spec.version) return;
    if (before !== undefined && fn.versions.get(before) === spec.id) fn.versions.delete(before);
    if (spec.version !== undefined) fn.versions.set(spec.version, spec.id);
  };

  const notify = (invocation: RoutedInvocation) => {
    for (const listener of listeners) {
      try {
        listener(invocation);
      } catch (error) {
        broken.push(`alias router: a listener threw: ${(error as Error).message}`);
      }
    }
  };

  return {
    register(spec: FunctionSpec) {
      inner.register(spec);
      const versions = new Map([[LATEST, spec.id]]);
      if (spec.version !== undefined) versions.set(spec.version, spec.id);
      functions.set(spec.id, { spec, versions, aliases: new Map(), inFlight: 0 });
    },
    update(spec) {
      // The service first: a refusal (a reservation the account cannot hold) changes nothing here.
      const changed = inner.update(spec);
      const fn = functions.get(spec.id);
      if (fn) retarget(fn, spec);
      return changed;
    },
    relocate(spec) {
      inner.relocate(spec);
      const fn = functions.get(spec.id);
      if (fn) fn.spec = spec;
    },
    remove(functionId) {
      inner.remove(functionId);
      const fn = functions.get(functionId);
      if (!fn) return;
      functions.delete(functionId);
      // The versions with builds of their own go with it.
      for (const specId of new Set(fn.versions.values()))
        if (specId !== functionId) inner.remove(specId);
    },
    publishVersion(functionId, version, spec) {
      const fn = functionOf(functionId);
      if (fn.versions.has(version))
        throw new Error(`alias router: ${functionId} already has version ${version}`);
      if (!spec) {
        fn.versions.set(version, fn.spec.id);
        return;
      }
      if (spec.id === functionId)
        throw new Error(
          `alias router: version ${version} of ${functionId} needs a spec id of its own`,
        );
      inner.register({ ...spec, version, reservedConcurrency: undefined });
      fn.versions.set(version, spec.id);
    },
    setAlias(functionId, alias, routing) {
      const fn = functionOf(functionId);
      const weights = Object.entries(routing.additionalVersionWeights ?? {});
      for (const version of [routing.version, ...weights.map(([v]) => v)]) {
        if (!fn.versions.has(version))
          throw new Error(
            `alias router: ${functionId} has no version ${version} for alias ${alias} (versions: ${[...fn.versions.keys()].join(', ')})`,
          );
      }
      const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
      if (weights.some(([, weight]) => !(weight >= 0 && weight <= 1)) || total > 1) {
        throw new Error(
          `alias router: the weights of alias ${alias} of ${functionId} must be in [0, 1] and add up to at most 1, got ${JSON.stringify(routing.additionalVersionWeights)}`,
        );
      }
      fn.aliases.set(alias, {
        version: routing.version,
        additionalVersionWeights: { ...routing.additionalVersionWeights },
      });
    },
    aliasOf(functionId, alias) {
      return functions.get(functionId)?.aliases.get(alias);
    },
    hasVersion(functionId, version) {
      return functions.get(functionId)?.versions.has(version) ?? false;
    },
    invoke,
    invokeQualified,
    onInvoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: (functionId: string): FunctionStats => inner.stats(functionId),
    checkInvariants() {
      const problems = [...inner.checkInvariants(), ...broken];
      for (const [id, fn] of functions) {
        const reserved = fn.spec.reservedConcurrency;
        if (capped(fn) && reserved !== undefined && fn.inFlight > reserved)
          problems.push(
            `alias router: ${id} has ${fn.inFlight} calls in flight over its reserved ${reserved}`,
          );
      }
      return problems;
    },
    close: () => inner.close(),
  };
}
