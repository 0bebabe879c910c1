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

  it('should read every form of many distinct timestamps as the Date of their ISO text, again after others', () => {
    const base = Date.UTC(2019, 0, 1);
    const forms = Array.from({ length: 20_000 }, (_, i) => {
      const date = new Date(base + i * 7_919_993_117);
      const iso = date.toISOString();
      const seconds = iso.slice(0, 19);
      const variants = [
        `${seconds.replace('T', ' ')}.${iso.slice(20, 23)}4567`,
        `${seconds}.${iso.slice(20, 23)}Z`,
        `${seconds.replace('T', 't')}.${iso.slice(20, 23)}z`,
        ` ${seconds}.${iso.slice(20, 23)}Z `,
      ];
      return { raw: variants[i % variants.length] ?? '', date };
    });
    for (const { raw, date } of [...forms, ...forms.slice(0, 5000)])
      expect(parseDefenderTimestamp(raw)?.date.getTime(), raw).toBe(date.getTime());
  });

  it.each([
    '1990-1sdfsdfsdfZ',
    'jfowefjweoifjoie',
    '2021-02-30T00:00:00Z',
    '',
    '2025-13-01 00:00:00',
    '2025-10-06 12:00:00.',
    '2025-10-06 12:00:00Zx',
    '2025-10-06X12:00:00',
  ])('should refuse %j, every time', (raw) => {
    expect(parseDefenderTimestamp(raw)).toBeUndefined();
    expect(parseDefenderTimestamp(raw)).toBeUndefined();
  });
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
