import { describe, expect, it } from 'vitest';
import { parseDefenderTimestamp } from '../../src/defender/schemas/timestamp.js';
import { camelCaseKeys } from '../../src/defender/schemas/record.js';

describe('parseDefenderTimestamp', () => {
  it('should keep the raw seven-digit string and parse it to the millisecond', () => {
    const ts = parseDefenderTimestamp('2021-09-30T09:35:45.1133333Z');
    expect(ts?.raw).toBe('2021-09-30T09:35:45.1133333Z');
    expect(ts?.date.toISOString()).toBe('2021-09-30T09:35:45.113Z');
  });

  it.each([
    ['2025-10-06 12:00:00', '2025-10-06T12:00:00.000Z'],
    ['2020-11-03 10:13:34.8476880', '2020-11-03T10:13:34.847Z'],
    ['2018-08-01Z', '2018-08-01T00:00:00.000Z'],
    ['2020-06-30T11:13:12.9Z', '2020-06-30T11:13:12.900Z'],
    ['2024-05-08T08:26:35', '2024-05-08T08:26:35.000Z'],
    ['2024-05-08T10:26:35+02:00', '2024-05-08T08:26:35.000Z'],
  ])('should read %s as UTC %s, the second time as the first', (raw, iso) => {
    expect(parseDefenderTimestamp(raw)?.date.toISOString()).toBe(iso);
    expect(parseDefenderTimestamp(raw)).toEqual({ raw, date: new Date(iso) });
  });

  it.each(['1990-1sdfsdfsdfZ', 'jfowefjweoifjoie', '2021-02-30T00:00:00Z', ''])(
    'should refuse %j, every time',
    (raw) => {
      expect(parseDefenderTimestamp(raw)).toBeUndefined();
      expect(parseDefenderTimestamp(raw)).toBeUndefined();
    },
  );
});

describe('camelCaseKeys', () => {
  it("should turn the export files' PascalCase into the API's camelCase", () => {
    expect(
      Object.keys(
        camelCaseKeys({
          CveId: 1,
          OSPlatform: 2,
          DeviceId: 3,
          RbacGroupId: 4,
          Id: 5,
          '@odata.type': 6,
          cveId: 7,
        }),
      ),
    ).toEqual(['osPlatform', 'deviceId', 'rbacGroupId', 'id', '@odata.type', 'cveId']);
  });
});
