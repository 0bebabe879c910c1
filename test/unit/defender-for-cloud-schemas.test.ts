import { describe, expect, it } from 'vitest';
import { parseODataCollection } from '../../src/defender/json-stream.js';
import {
  cveIds,
  validateAssessment,
  validateSecureScore,
  validateSubAssessment,
  type SubAssessment,
} from '../../src/defender/schemas/defender-for-cloud.js';
import type { RecordValidator } from '../../src/defender/schemas/record.js';
import { readFixture, requireFixtures } from '../support/fixtures.js';

/** The published ARM examples, read through the client's own streaming parser in small chunks. */
async function records(file: string): Promise<{ records: unknown[]; envelope: Record<string, unknown> }> {
  const text = readFixture('defender', file);
  async function* chunks(): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += 61) yield text.slice(i, i + 61);
    await Promise.resolve();
  }
  const out: unknown[] = [];
  const iterator = parseODataCollection(chunks());
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { records: out, envelope: next.value };
    out.push(next.value);
  }
}

const cases: { file: string; validate: RecordValidator<unknown>; count: number }[] = [
  { file: 'mdc-secure-scores-list.json', validate: validateSecureScore, count: 1 },
  { file: 'mdc-assessments-list.json', validate: validateAssessment, count: 2 },
  { file: 'mdc-subassessments-list.json', validate: validateSubAssessment, count: 1 },
];

describe("Defender for Cloud's published payloads through the client's schemas", () => {
  // `for`, not `each`: only `for` hands the case its test context, which requireFixtures needs.
  it.for(cases)('should accept every record of $file', async ({ file, validate, count }, ctx) => {
    requireFixtures(ctx);
    const { records: all } = await records(file);
    expect(all).toHaveLength(count);
    const results = all.map((r) => validate(r));
    expect(results.flatMap((r) => (r.ok ? [] : [r.rejected]))).toEqual([]);
  });

  it('should read the values the hub will store', async (ctx) => {
    requireFixtures(ctx);
    const [score] = (await records('mdc-secure-scores-list.json')).records.map((r) => validateSecureScore(r));
    expect(score?.ok && score.value.properties.score).toEqual({
      max: 39,
      current: 23.53,
      percentage: 0.6033,
    });
    const assessments = (await records('mdc-assessments-list.json')).records.map((r) =>
      validateAssessment(r),
    );
    const second = assessments[1];
    expect(second?.ok && second.value.properties.status).toMatchObject({
      code: 'NotApplicable',
      cause: 'OffByPolicy',
      statusChangeDate: { raw: '2021-04-12T09:07:18.6759138Z' },
    });
    const [finding] = (await records('mdc-subassessments-list.json')).records.map((r) =>
      validateSubAssessment(r),
    );
    const value = finding?.ok ? finding.value : undefined;
    expect(value?.properties).toMatchObject({
      id: 'VA2064',
      status: { code: 'Healthy', severity: 'High' },
      additionalData: { assessedResourceType: 'SqlServerVulnerability', benchmarks: [] },
    });
    expect(cveIds(value as SubAssessment)).toEqual([]);
  });

  it('should refuse a record whose status code or severity is not one ARM defines, with the reason', async (ctx) => {
    requireFixtures(ctx);
    const [raw] = (await records('mdc-subassessments-list.json')).records as Record<string, unknown>[];
    const broken = structuredClone(raw) as { properties: { status: Record<string, unknown> } };
    broken.properties.status.severity = 'Critical';
    const result = validateSubAssessment(broken);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.rejected).toMatchObject({
      id: expect.stringContaining('/subassessments/') as unknown,
      reason: expect.stringMatching(/^properties\.status\.severity: /) as unknown,
    });
    const [assessment] = (await records('mdc-assessments-list.json')).records as Record<string, unknown>[];
    expect(validateAssessment({ ...assessment, id: 'not-an-arm-id' }).ok).toBe(false);
  });

  it('should name the CVEs of a container image finding', () => {
    const result = validateSubAssessment({
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r/providers/Microsoft.Security/assessments/a/subassessments/b',
      name: 'b',
      type: 'Microsoft.Security/assessments/subAssessments',
      properties: {
        id: '823413',
        displayName: 'Debian Security Update for openssl',
        status: { code: 'Unhealthy', severity: 'High' },
        resourceDetails: { source: 'Azure', id: '/repositories/web/images/sha256:00' },
        additionalData: {
          assessedResourceType: 'ContainerRegistryVulnerability',
          patchable: true,
          cve: [
            { title: 'CVE-2024-5535', link: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2024-5535' },
          ],
          repositoryName: 'web',
          imageDigest: 'sha256:00',
        },
      },
    });
    expect(result.ok && cveIds(result.value)).toEqual(['CVE-2024-5535']);
  });
});
