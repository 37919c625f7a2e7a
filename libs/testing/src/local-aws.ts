/** Region the local SDK clients and tests use; any value works with dynalite. */
export const LOCAL_REGION = 'us-east-1';

/** Fake, clearly-not-real credentials: the SDK signs requests, dynalite ignores the signature. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'AKIALOCALTESTING0000',
  secretAccessKey: 'local-testing-secret-not-a-real-key',
} as const;

const LOCAL_ENV_KEYS = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL_DYNAMODB',
] as const;

/**
 * Points the AWS SDK's standard configuration at a local DynamoDB endpoint: sets `AWS_REGION`,
 * fake `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL_DYNAMODB`, and clears
 * `AWS_SESSION_TOKEN` / `AWS_PROFILE` so nothing reaches for real credentials. Call it before the
 * code under test creates its SDK clients (before importing a handler module). Returns a
 * function that restores the previous values.
 */
export const useLocalAwsEnv = (endpoint: string): (() => void) => {
  const previous = Object.fromEntries(LOCAL_ENV_KEYS.map((key) => [key, process.env[key]]));
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const key of LOCAL_ENV_KEYS) {
      const value = previous[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
};
