/** The auth service's settings, parsed from the environment once per cold start. */
export interface AuthConfig {
  readonly usersTableName: string;
  readonly tokensTableName: string;
  readonly signInAttemptsTableName: string;
  /** Lifetime of an issued token. @default 3600 */
  readonly tokenTtlSeconds: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

const required = (env: Environment, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new Error(`auth: environment variable ${name} is required but not set`);
  return value;
};

const positiveInteger = (env: Environment, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^[1-9][0-9]*$/.test(raw)) {
    throw new Error(`auth: environment variable ${name} must be a positive whole number of seconds, got '${raw}'`);
  }
  return Number(raw);
};

/** Parses and checks the environment; throws naming the first missing or invalid variable. */
export const parseConfig = (env: Environment): AuthConfig => ({
  usersTableName: required(env, 'USERS_TABLE_NAME'),
  tokensTableName: required(env, 'TOKENS_TABLE_NAME'),
  signInAttemptsTableName: required(env, 'SIGN_IN_ATTEMPTS_TABLE_NAME'),
  tokenTtlSeconds: positiveInteger(env, 'TOKEN_TTL_SECONDS', 3600),
});

/**
 * Settings of this process. Handlers import it at module scope, so a misconfigured function fails
 * at cold start with the variable's name instead of on some later request.
 */
export const loadConfig = (): AuthConfig => parseConfig(process.env);
