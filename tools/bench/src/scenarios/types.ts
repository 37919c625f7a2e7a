/** What a scenario may use while preparing its data and events. */
export interface ScenarioContext {
  /** Invokes another function of the same service (its real bundle), e.g. to register a user first. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
}

/** A warm invocation benchmark of one function. */
export interface FunctionScenario {
  /** Measured invocations after the warm-up. @default 200 */
  readonly iterations?: number;
  /**
   * Prepares whatever the function needs (data through the service's own functions) and returns
   * the event of invocation `i`; `i = 0` is the warm-up, `1…iterations` are measured.
   */
  prepare(context: ScenarioContext, iterations: number): Promise<(i: number) => unknown>;
  /** Says what is wrong with a result that is not the success being measured; undefined when fine. */
  check(result: unknown): string | undefined;
}

/** The benchmark of one service's functions, by handler name (`create-user`, …). */
export interface ServiceScenario {
  readonly functions: Readonly<Record<string, FunctionScenario>>;
  /**
   * Environment the functions' config needs besides table names, with placeholder values: used
   * when only importing the bundles (nothing is called then).
   */
  readonly importEnv?: Readonly<Record<string, string>>;
  /**
   * Extra environment besides the table names (`<TABLE_ID>_TABLE_NAME`) and Powertools settings,
   * e.g. the URL of a stub of a service this one calls. Returns a stop function for what it started.
   */
  setUp?(): Promise<{ readonly env: Readonly<Record<string, string>>; stop(): Promise<void> }>;
}

/** A check for API Gateway proxy results: the status must be one of `statuses`. */
export const expectStatus =
  (...statuses: number[]) =>
  (result: unknown): string | undefined => {
    const status = (result as { statusCode?: unknown } | undefined)?.statusCode;
    if (typeof status === 'number' && statuses.includes(status)) return undefined;
    const body = (result as { body?: unknown } | undefined)?.body;
    return `expected status ${statuses.join('/')}, got ${String(status)}: ${String(body).slice(0, 300)}`;
  };

/** The parsed JSON body of a proxy result. */
export const bodyOf = <T>(result: unknown): T => JSON.parse((result as { body: string }).body) as T;
