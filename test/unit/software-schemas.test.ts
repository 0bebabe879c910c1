import { describe, expect, it } from 'vitest';
import type { RecordValidator } from '../../src/defender/schemas/record.js';
import { validateExposureScore, validateRecommendation } from '../../src/defender/schemas/recommendation.js';
import {
  validateMachineReference,
  validateSoftware,
  validateSoftwareDistribution,
} from '../../src/defender/schemas/software.js';
import { validateVulnerability } from '../../src/defender/schemas/vulnerability.js';
import { readFixture, requireFixtures } from '../support/fixtures.js';

type Json = Record<string, unknown>;

/** A parsed timestamp keeps the string it was sent as; everything else is as sent. */
function asSent(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'raw' in value ? value.raw : value;
}

function published(file: string): Json[] {
  const body = JSON.parse(readFixture('defender', file)) as Json;
  return Array.isArray(body.value) ? (body.value as Json[]) : [body];
}

describe('published software payloads', () => {
  // `for`, not `each`: only `for` hands the case its test context, which requireFixtures needs.
  it.for([
    ['software-list.json', validateSoftware],
    ['software-by-id.json', validateSoftware],
    ['machine-software.json', validateSoftware],
    ['machine-references.json', validateMachineReference],
    ['vulnerability-machine-references.json', validateMachineReference],
    ['software-vulnerabilities.json', validateVulnerability],
  ] as [string, RecordValidator<Json>][])(
    'should read every record of %s, keeping its fields',
    ([file, validate], ctx) => {
      requireFixtures(ctx);
      const records = published(file);
      expect(records.length).toBeGreaterThan(0);
      for (const raw of records) {
        const result = validate(raw);
        if (!result.ok) throw new Error(`${file}: ${result.rejected.reason}`);
        for (const [key, value] of Object.entries(raw))
          if (key !== '@odata.context') expect(asSent(result.value[key])).toEqual(value);
      }
    },
  );

  it('should read the published Software example field by field', (ctx) => {
    requireFixtures(ctx);
    const [raw] = published('software-by-id.json');
    const result = validateSoftware(raw);
    expect(result).toMatchObject({
      ok: true,
      value: { id: 'microsoft-_-edge', vendor: 'microsoft', weaknesses: 467, exposedMachines: 172 },
    });
  });
});

describe('software and recommendation schemas', () => {
  it('should accept the PascalCase spelling of the entity table and keep unknown fields', () => {
    const result = validateSoftware({
      Id: 'google-_-chrome',
      Name: 'chrome',
      Vendor: 'google',
      Weaknesses: 3,
      futureField: 1,
    });
    expect(result).toMatchObject({
      ok: true,
      value: { id: 'google-_-chrome', name: 'chrome', weaknesses: 3, futureField: 1 },
    });
  });

  it('should keep the raw end-of-support date beside its parsed value', () => {
    const result = validateSoftware({
      id: 'microsoft-_-windows_10',
      endOfSupportDate: '2025-10-14T00:00:00+00:00',
    });
    if (!result.ok) throw new Error(result.rejected.reason);
    expect(result.value.endOfSupportDate?.raw).toBe('2025-10-14T00:00:00+00:00');
    expect(result.value.endOfSupportDate?.date.toISOString()).toBe('2025-10-14T00:00:00.000Z');
  });

  it.each([
    ['a Software record without an id', validateSoftware, { name: 'edge' }, /id/],
    [
      'a Software record with text for weaknesses',
      validateSoftware,
      { id: 'a-_-b', weaknesses: 'many' },
      /weaknesses/,
    ],
    ['a machine reference without an id', validateMachineReference, { computerDnsName: 'pc' }, /id/],
    [
      'a distribution without installations',
      validateSoftwareDistribution,
      { version: '1.0' },
      /installations/,
    ],
    [
      'a recommendation with a text severity',
      validateRecommendation,
      { id: 'va-_-a-_-b', severityScore: 'high' },
      /severityScore/,
    ],
    ['an exposure score without a time', validateExposureScore, { score: 30 }, /time/],
    [
      'an exposure score with a garbled time',
      validateExposureScore,
      { time: 'yesterday', score: 30 },
      /not a timestamp/,
    ],
    ['a bare string', validateRecommendation, 'va-_-a-_-b', /not a JSON object/],
  ] as [string, RecordValidator<unknown>, unknown, RegExp][])(
    'should refuse %s with a reason',
    (_name, validate, raw, reason) => {
      const result = validate(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.rejected.reason).toMatch(reason);
    },
  );

  it('should read an exposure score per device group with a numeric group id', () => {
    const result = validateExposureScore({
      time: '2019-12-03T09:51:28.2143399Z',
      score: 37.4,
      rbacGroupName: 'GroupTwo',
      rbacGroupId: 141,
    });
    expect(result).toMatchObject({
      ok: true,
      value: { score: 37.4, rbacGroupId: 141, time: { raw: '2019-12-03T09:51:28.2143399Z' } },
    });
  });
});
