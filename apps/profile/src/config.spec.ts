import { parseLocationLookupConfig, parseStoreConfig } from './config';

describe('parseStoreConfig', () => {
  it('reads the table name', () => {
    expect(parseStoreConfig({ PROFILES_TABLE_NAME: 'SmProfile-Profiles' })).toEqual({
      profilesTableName: 'SmProfile-Profiles',
    });
  });

  it.each([undefined, '', '   '])('names PROFILES_TABLE_NAME when it is %p', (value) => {
    expect(() => parseStoreConfig({ PROFILES_TABLE_NAME: value })).toThrow(
      'Missing required environment variable PROFILES_TABLE_NAME.',
    );
  });
});

describe('parseLocationLookupConfig', () => {
  const url = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';

  it('defaults the lookup timeout to 1000 ms', () => {
    expect(parseLocationLookupConfig({ LOCATION_API_URL: url })).toEqual({
      locationApi: { kind: 'url', url },
      locationLookupTimeoutMs: 1000,
    });
  });

  it('takes a configured timeout and drops a trailing slash from the base URL', () => {
    expect(
      parseLocationLookupConfig({ LOCATION_API_URL: `${url}/`, LOCATION_LOOKUP_TIMEOUT_MS: '250' }),
    ).toEqual({ locationApi: { kind: 'url', url }, locationLookupTimeoutMs: 250 });
  });

  it('reads the URL from the SSM parameter the stack names, reused for 60 s unless configured', () => {
    expect(
      parseLocationLookupConfig({ LOCATION_API_URL_PARAMETER: '/sm/prod/location/api-url' }),
    ).toEqual({
      locationApi: { kind: 'parameter', name: '/sm/prod/location/api-url', maxAgeSeconds: 60 },
      locationLookupTimeoutMs: 1000,
    });
    expect(
      parseLocationLookupConfig({
        LOCATION_API_URL_PARAMETER: '/sm/staging/location/api-url',
        LOCATION_API_URL_MAX_AGE_SECONDS: '5',
      }).locationApi,
    ).toEqual({ kind: 'parameter', name: '/sm/staging/location/api-url', maxAgeSeconds: 5 });
  });

  it('names the parameter variable when neither source is set, and refuses both at once', () => {
    expect(() => parseLocationLookupConfig({})).toThrow(
      'Missing required environment variable LOCATION_API_URL_PARAMETER (or LOCATION_API_URL for a fixed URL).',
    );
    expect(() =>
      parseLocationLookupConfig({
        LOCATION_API_URL: url,
        LOCATION_API_URL_PARAMETER: '/sm/prod/location/api-url',
      }),
    ).toThrow('Set one of LOCATION_API_URL_PARAMETER');
  });

  it.each([
    [
      { LOCATION_API_URL_PARAMETER: 'sm/prod/location/api-url' },
      /LOCATION_API_URL_PARAMETER must be an SSM parameter name/,
    ],
    [
      {
        LOCATION_API_URL_PARAMETER: '/sm/prod/location/api-url',
        LOCATION_API_URL_MAX_AGE_SECONDS: '0',
      },
      /LOCATION_API_URL_MAX_AGE_SECONDS .* got '0'/,
    ],
    [
      {
        LOCATION_API_URL_PARAMETER: '/sm/prod/location/api-url',
        LOCATION_API_URL_MAX_AGE_SECONDS: '3601',
      },
      /from 1 to 3600, got '3601'/,
    ],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => parseLocationLookupConfig(env)).toThrow(message);
  });

  it.each(['not a url', 'ftp://example.com/prod', '/prod', 'https://example.com/prod?x=1'])(
    'refuses the base URL %p, naming the variable',
    (value) => {
      expect(() => parseLocationLookupConfig({ LOCATION_API_URL: value })).toThrow(
        /LOCATION_API_URL/,
      );
    },
  );

  it.each(['0', '-5', '1.5', 'soon', '29001'])(
    'refuses the timeout %p, naming the variable',
    (value) => {
      expect(() =>
        parseLocationLookupConfig({ LOCATION_API_URL: url, LOCATION_LOOKUP_TIMEOUT_MS: value }),
      ).toThrow(/LOCATION_LOOKUP_TIMEOUT_MS .* got '/);
    },
  );
});
