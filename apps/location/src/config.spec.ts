import { parseConfig } from './config';

describe('parseConfig', () => {
  it('reads the table name and the retention in days', () => {
    expect(parseConfig({ LOCATIONS_TABLE_NAME: 'locations', HISTORY_RETENTION_DAYS: '7' })).toEqual(
      {
        locationsTableName: 'locations',
        historyRetentionDays: 7,
      },
    );
  });

  it('keeps history for 30 days when no retention is set', () => {
    expect(parseConfig({ LOCATIONS_TABLE_NAME: 'locations' }).historyRetentionDays).toBe(30);
  });

  it('fails fast naming a missing table name', () => {
    expect(() => parseConfig({ HISTORY_RETENTION_DAYS: '30' })).toThrow('LOCATIONS_TABLE_NAME');
    expect(() => parseConfig({ LOCATIONS_TABLE_NAME: '  ' })).toThrow('LOCATIONS_TABLE_NAME');
  });

  it.each(['0', '-1', '1.5', 'thirty', '3651', '1e3'])(
    'refuses a retention of %s days, naming the variable and the value',
    (value) => {
      expect(() =>
        parseConfig({ LOCATIONS_TABLE_NAME: 'locations', HISTORY_RETENTION_DAYS: value }),
      ).toThrow(
        `HISTORY_RETENTION_DAYS must be a whole number of days from 1 to 3650, got '${value}'`,
      );
    },
  );
});
