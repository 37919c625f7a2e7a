import { parseConfig } from './config';

const complete = { USERS_TABLE_NAME: 'users', TOKENS_TABLE_NAME: 'tokens', SIGN_IN_ATTEMPTS_TABLE_NAME: 'attempts' };

describe('parseConfig', () => {
  it('reads the table names and defaults the token lifetime to one hour', () => {
    expect(parseConfig(complete)).toEqual({ usersTableName: 'users', tokensTableName: 'tokens', signInAttemptsTableName: 'attempts', tokenTtlSeconds: 3600 });
  });

  it('reads TOKEN_TTL_SECONDS', () => {
    expect(parseConfig({ ...complete, TOKEN_TTL_SECONDS: '900' }).tokenTtlSeconds).toBe(900);
  });

  it.each(['USERS_TABLE_NAME', 'TOKENS_TABLE_NAME', 'SIGN_IN_ATTEMPTS_TABLE_NAME'])('fails naming %s when it is missing or blank', (name) => {
    expect(() => parseConfig({ ...complete, [name]: undefined })).toThrow(name);
    expect(() => parseConfig({ ...complete, [name]: '  ' })).toThrow(name);
  });

  it.each(['0', '-5', '1.5', 'an hour', '3600s'])('fails naming TOKEN_TTL_SECONDS when it is %p', (value) => {
    expect(() => parseConfig({ ...complete, TOKEN_TTL_SECONDS: value })).toThrow(/TOKEN_TTL_SECONDS.*'/);
  });
});
