import { describe, expect, it } from 'vitest';
import {
  defaultSlaDays,
  isPastSla,
  meanTimeToRemediate,
  parseSlaDays,
  slaDueDate,
  type RemediatedFinding,
} from '../../src/domain/remediation.js';

const day = 86_400_000;
const start = '2024-01-01T00:00:00.000Z';
const after = (days: number, from = start): string => new Date(Date.parse(from) + days * day).toISOString();
const fixed = (severity: string | null, days: number, from = start): RemediatedFinding => ({
  severity,
  firstSeenAt: from,
  resolvedAt: after(days, from),
});

describe('meanTimeToRemediate', () => {
  it('should know nothing without findings', () => {
    expect(meanTimeToRemediate([])).toEqual({
      bySeverity: {
        Low: { count: 0, meanDays: null },
        Medium: { count: 0, meanDays: null },
        High: { count: 0, meanDays: null },
        Critical: { count: 0, meanDays: null },
      },
      overall: { count: 0, meanDays: null },
      ignored: { resolvedBeforeFirstSeen: 0, invalidTimestamp: 0 },
    });
  });

  it('should average the days per severity, with counts', () => {
    const result = meanTimeToRemediate([
      fixed('Critical', 2),
      fixed('Critical', 4),
      fixed('high', 10),
      fixed('Low', 0.5),
      fixed('LOW', 1.5),
      fixed('Low', 4),
    ]);
    expect(result.bySeverity.Critical).toEqual({ count: 2, meanDays: 3 });
    expect(result.bySeverity.High).toEqual({ count: 1, meanDays: 10 });
    expect(result.bySeverity.Medium).toEqual({ count: 0, meanDays: null });
    expect(result.bySeverity.Low.count).toBe(3);
    expect(result.bySeverity.Low.meanDays).toBeCloseTo(2, 10);
    expect(result.overall.count).toBe(6);
    expect(result.overall.meanDays).toBeCloseTo(22 / 6, 10);
  });

  it('should ignore and count findings resolved before they were first seen', () => {
    const oneMsEarly = { severity: 'High', firstSeenAt: start, resolvedAt: '2023-12-31T23:59:59.999Z' };
    const result = meanTimeToRemediate([fixed('High', -1), fixed('High', 3), oneMsEarly]);
    expect(result.ignored.resolvedBeforeFirstSeen).toBe(2);
    expect(result.bySeverity.High).toEqual({ count: 1, meanDays: 3 });
    expect(result.overall.count).toBe(1);
  });

  it('should count a finding resolved the moment it was seen as zero days', () => {
    expect(meanTimeToRemediate([fixed('Medium', 0)]).bySeverity.Medium).toEqual({ count: 1, meanDays: 0 });
  });

  it('should ignore and count unreadable timestamps', () => {
    const result = meanTimeToRemediate([
      { severity: 'Low', firstSeenAt: 'yesterday', resolvedAt: start },
      { severity: 'Low', firstSeenAt: start, resolvedAt: '' },
    ]);
    expect(result.ignored.invalidTimestamp).toBe(2);
    expect(result.overall.count).toBe(0);
  });

  it('should count findings of unknown severity in the overall mean only', () => {
    const result = meanTimeToRemediate([fixed(null, 6), fixed('Informational', 2), fixed('Critical', 1)]);
    expect(result.overall).toEqual({ count: 3, meanDays: 3 });
    expect(result.bySeverity.Critical).toEqual({ count: 1, meanDays: 1 });
    const bucketed = Object.values(result.bySeverity).reduce((sum, b) => sum + b.count, 0);
    expect(bucketed).toBe(1);
  });

  it('should accept a generator', () => {
    function* rows(): Generator<RemediatedFinding> {
      yield fixed('High', 1);
      yield fixed('High', 3);
    }
    expect(meanTimeToRemediate(rows()).bySeverity.High).toEqual({ count: 2, meanDays: 2 });
  });
});

describe('slaDueDate', () => {
  it('should have the default SLA days', () => {
    expect(defaultSlaDays).toEqual({ Critical: 15, High: 30, Medium: 90, Low: 180 });
  });

  it.each([
    ['Critical', '2024-01-16T00:00:00.000Z'],
    ['high', '2024-01-31T00:00:00.000Z'],
    ['Medium', '2024-03-31T00:00:00.000Z'],
    ['LOW', '2024-06-29T00:00:00.000Z'],
  ])('a %s finding first seen on 1 Jan 2024 should be due %s', (severity, due) => {
    expect(slaDueDate(start, severity)).toBe(due);
  });

  it('should use the SLA days given', () => {
    expect(slaDueDate('2024-03-30T12:00:00Z', 'Critical', { ...defaultSlaDays, Critical: 1 })).toBe(
      '2024-03-31T12:00:00.000Z',
    );
  });

  it.each([
    [start, null],
    [start, 'Informational'],
    ['not a date', 'High'],
  ])('should have no due date for first seen %j and severity %j', (firstSeenAt, severity) => {
    expect(slaDueDate(firstSeenAt, severity)).toBeNull();
  });
});

describe('isPastSla', () => {
  const critical = { severity: 'Critical', firstSeenAt: start };
  const due = new Date('2024-01-16T00:00:00.000Z');

  it('should not be past at the due date itself, and be past a moment after', () => {
    expect(isPastSla(critical, new Date(due.getTime() - 1))).toBe(false);
    expect(isPastSla(critical, due)).toBe(false);
    expect(isPastSla(critical, new Date(due.getTime() + 1))).toBe(true);
  });

  it('should judge a fixed finding by when it was fixed, not by now', () => {
    const later = new Date('2025-01-01T00:00:00Z');
    expect(isPastSla({ ...critical, resolvedAt: after(10) }, later)).toBe(false);
    expect(isPastSla({ ...critical, resolvedAt: after(16) }, later)).toBe(true);
    expect(isPastSla({ ...critical, resolvedAt: null }, later)).toBe(true);
  });

  it('should use the SLA days given', () => {
    const now = new Date(after(20));
    expect(isPastSla(critical, now)).toBe(true);
    expect(isPastSla(critical, now, { ...defaultSlaDays, Critical: 30 })).toBe(false);
  });

  it('should never be past for a finding without an SLA', () => {
    const farFuture = new Date('2100-01-01T00:00:00Z');
    expect(isPastSla({ severity: null, firstSeenAt: start }, farFuture)).toBe(false);
    expect(isPastSla({ severity: 'Informational', firstSeenAt: start }, farFuture)).toBe(false);
    expect(isPastSla({ severity: 'High', firstSeenAt: 'garbage' }, farFuture)).toBe(false);
  });
});

describe('parseSlaDays', () => {
  it('should merge a partial override over the defaults', () => {
    expect(parseSlaDays({ Critical: 7 })).toEqual({
      ok: true,
      value: { Critical: 7, High: 30, Medium: 90, Low: 180 },
    });
    expect(parseSlaDays({})).toEqual({ ok: true, value: defaultSlaDays });
  });

  it('should merge over the base given', () => {
    expect(parseSlaDays({ low: 365 }, { Critical: 1, High: 2, Medium: 3, Low: 4 })).toEqual({
      ok: true,
      value: { Critical: 1, High: 2, Medium: 3, Low: 365 },
    });
  });

  it('should read severity names in any case', () => {
    expect(parseSlaDays({ critical: 10, HIGH: 20, ' Medium ': 60 })).toEqual({
      ok: true,
      value: { Critical: 10, High: 20, Medium: 60, Low: 180 },
    });
  });

  it('should accept the bounds 1 and 3650', () => {
    expect(parseSlaDays({ Critical: 1, Low: 3650 }).ok).toBe(true);
  });

  it('should refuse an unknown severity by name', () => {
    expect(parseSlaDays({ Informational: 10 })).toEqual({
      ok: false,
      errors: ['"Informational" is not a severity; use Low, Medium, High, Critical'],
    });
  });

  it.each([
    [0, 'Critical: 0 is not a positive whole number of days'],
    [-5, 'Critical: -5 is not a positive whole number of days'],
    [1.5, 'Critical: 1.5 is not a positive whole number of days'],
    [Number.NaN, 'Critical: NaN is not a positive whole number of days'],
    ['30', 'Critical: "30" is not a positive whole number of days'],
    [null, 'Critical: null is not a positive whole number of days'],
    [3651, 'Critical: 3651 days is more than the limit of 3650'],
  ])('should refuse %j days', (days, error) => {
    expect(parseSlaDays({ Critical: days })).toEqual({ ok: false, errors: [error] });
  });

  it('should refuse a severity given twice in different case', () => {
    expect(parseSlaDays({ High: 10, high: 20 })).toEqual({
      ok: false,
      errors: ['High is given more than once'],
    });
  });

  it.each([null, undefined, 'Critical=7', 7, [15, 30]])('should refuse %j as a whole', (input) => {
    expect(parseSlaDays(input)).toEqual({
      ok: false,
      errors: ['SLA days must be an object such as { "Critical": 15, "High": 30 }'],
    });
  });

  it('should report every problem at once', () => {
    const result = parseSlaDays({ Critical: 0, Bogus: 3, Low: 99999 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'Critical: 0 is not a positive whole number of days',
      '"Bogus" is not a severity; use Low, Medium, High, Critical',
      'Low: 99999 days is more than the limit of 3650',
    ]);
  });
});
