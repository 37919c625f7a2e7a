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
      locationApiUrl: url,
      locationLookupTimeoutMs: 1000,
    });
  });

  it('takes a configured timeout and drops a trailing slash from the base URL', () => {
    expect(
      parseLocationLookupConfig({ LOCATION_API_URL: `${url}/`, LOCATION_LOOKUP_TIMEOUT_MS: '250' }),
    ).toEqual({ locationApiUrl: url, locationLookupTimeoutMs: 250 });
  });

  it('names LOCATION_API_URL when it is missing', () => {
    expect(() => parseLocationLookupConfig({})).toThrow(
      'Missing required environment variable LOCATION_API_URL.',
    );
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
