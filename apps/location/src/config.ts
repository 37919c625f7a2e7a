/** The location service's settings, from its Lambda environment (see the CDK stack). */
export interface LocationConfig {
  /** `LOCATIONS_TABLE_NAME`: the table of current locations and history (see `tables.ts`). */
  readonly locationsTableName: string;
  /** `HISTORY_RETENTION_DAYS`: whole days a history item stays readable. @default 30 */
  readonly historyRetentionDays: number;
}

/** Upper bound that keeps `expiresAt` a sane epoch-seconds value; ten years is plenty. */
const MAX_RETENTION_DAYS = 3650;
const DEFAULT_RETENTION_DAYS = 30;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment, failing fast with the variable's name and value, so a misconfigured
 * function fails at cold start instead of on some later request.
 */
export const parseConfig = (env: Environment): LocationConfig => ({
  locationsTableName: required(env, 'LOCATIONS_TABLE_NAME'),
  historyRetentionDays: wholeDays(env, 'HISTORY_RETENTION_DAYS', DEFAULT_RETENTION_DAYS),
});

/** Reads `process.env` once; handlers call it at module scope (cold start). */
export const loadConfig = (): LocationConfig => parseConfig(process.env);

const required = (env: Environment, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new Error(`Missing required environment variable ${name}.`);
  return value;
};

const wholeDays = (env: Environment, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const days = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new Error(
      `Environment variable ${name} must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got '${raw}'.`,
    );
  }
  return days;
};
