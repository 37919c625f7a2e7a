import { atRecordedResolution } from './resolution';

describe('atRecordedResolution', () => {
  it.each([
    { given: { latitude: 52.520008, longitude: 13.404954, accuracy: 12.5 }, want: { latitude: 52.520008, longitude: 13.404954, accuracy: 12.5 } },
    { given: { latitude: 52.5200081234567, longitude: -13.4049549999999 }, want: { latitude: 52.520008123, longitude: -13.404955 } },
    { given: { latitude: 2.225073858507203e-309, longitude: 124.35, accuracy: 1e-200 }, want: { latitude: 0, longitude: 124.35, accuracy: 0 } },
    { given: { latitude: -90, longitude: 180, accuracy: 100000 }, want: { latitude: -90, longitude: 180, accuracy: 100000 } },
    { given: { latitude: 0.0000000004, longitude: -0.0000000004 }, want: { latitude: 0, longitude: 0 } },
  ])('records $given as $want', ({ given, want }) => {
    expect(atRecordedResolution(given)).toEqual(want);
  });

  it('never records a negative zero', () => {
    expect(Object.is(atRecordedResolution({ latitude: -1e-300, longitude: 0 }).latitude, -0)).toBe(false);
  });

  it('keeps every recorded value within what DynamoDB can store (0, or at least 1e-130 in magnitude)', () => {
    for (const tiny of [Number.MIN_VALUE, 1e-131, 1e-20, 4.9e-10]) {
      const { latitude, longitude } = atRecordedResolution({ latitude: tiny, longitude: -tiny });
      for (const n of [latitude, longitude]) expect(n === 0 || Math.abs(n) >= 1e-130).toBe(true);
    }
  });
});
