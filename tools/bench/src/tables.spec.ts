import { tableEnvName } from './tables';

describe('tableEnvName', () => {
  it.each([
    ['Users', 'USERS_TABLE_NAME'],
    ['Tokens', 'TOKENS_TABLE_NAME'],
    ['Locations', 'LOCATIONS_TABLE_NAME'],
    ['Profiles', 'PROFILES_TABLE_NAME'],
    ['LocationHistory', 'LOCATION_HISTORY_TABLE_NAME'],
  ])('names the variable of table %s %s', (id, expected) => {
    expect(tableEnvName(id)).toBe(expected);
  });
});
