import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { useHub } from '../support/hub.js';
import { aggregatePatchMetadata } from '../../src/domain/patch-metadata.js';
import type { NewFindingRow } from '../../src/store/db/schema.js';

/** One patch's findings, written to disagree: the SQL recount must still give the domain's answer. */
const cases: { key: string; rows: Partial<NewFindingRow>[] }[] = [
  {
    key: 'disagreeing update availability',
    rows: [
      { severity: 'medium', exploitability_level: 'NoExploit', update_available: 0 },
      { severity: 'HIGH', exploitability_level: 'exploitispublic', update_available: 1 },
      { severity: null, exploitability_level: null, update_available: null },
    ],
  },
  {
    key: 'nothing known',
    rows: [
      { severity: null, exploitability_level: null, update_available: null },
      { severity: 'Urgent', exploitability_level: 'Maybe', update_available: 0 },
    ],
  },
  {
    key: 'only the lowest',
    rows: [{ severity: 'Low', exploitability_level: 'NoExploit', update_available: 0 }],
  },
  {
    key: 'in a kit',
    rows: [
      { severity: ' Critical ', exploitability_level: 'ExploitIsVerified', update_available: null },
      { severity: 'Low', exploitability_level: 'ExploitIsInKit', update_available: 0 },
    ],
  },
];

describe.each(dialects)('patch recount on %s', (dialect) => {
  it("should aggregate each patch's metadata as the domain rule does, whatever its findings disagree on", async () => {
    const hub = await useHub(dialect);
    const { id } = await hub.integrations.create({
      name: 'patches',
      product: 'endpoint',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      clientSecret: 'not-used',
    });
    const rows: NewFindingRow[] = cases.flatMap(({ key, rows: findings }) =>
      findings.map((f, i) => ({
        integration_id: id,
        finding_key: `${key}/${i}`,
        machine_id: `m${i}`,
        cve_id: `CVE-2024-000${i}`,
        status: 'open',
        raw: '{}',
        updated_at: '2026-01-01T00:00:00.000Z',
        patch_key: key,
        ...f,
      })),
    );
    // A resolved finding does not count, nor does one without a fix.
    rows.push({ ...rows[0]!, finding_key: 'resolved', severity: 'Critical', status: 'resolved' });
    rows.push({ ...rows[0]!, finding_key: 'no fix', patch_key: null });
    await hub.db.insertInto('findings').values(rows).execute();
    const machines = [...new Set(rows.map((r) => r.machine_id))];
    await hub.db
      .insertInto('endpoints')
      .values(
        machines.map((machine) => ({
          integration_id: id,
          machine_id: machine,
          machine_tags: '[]',
          ip_addresses: '[]',
          raw: '{}',
          stale: 0,
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        })),
      )
      .execute();
    const endpointOf = new Map(
      (await hub.db.selectFrom('endpoints').select(['id', 'machine_id']).execute()).map((e) => [
        e.machine_id,
        e.id,
      ]),
    );

    await hub.data.patches.refresh(id, '2026-01-02T00:00:00.000Z');

    const stored = await hub.db.selectFrom('patches').selectAll().orderBy('patch_key').execute();
    expect(stored.map((p) => p.patch_key)).toEqual(cases.map((c) => c.key).sort());
    for (const patch of stored) {
      const findings = cases.find((c) => c.key === patch.patch_key)?.rows ?? [];
      const expected = aggregatePatchMetadata(
        findings.map((f) => ({
          severity: f.severity,
          exploitabilityLevel: f.exploitability_level,
          updateAvailable: f.update_available == null ? null : f.update_available === 1,
        })),
      );
      expect({
        'Defender.SeverityLevel': patch.severity,
        'Defender.ExploitabilityLevel': patch.exploitability_level,
        'Defender.KnownExploitExists': patch.known_exploit === 1,
        'Defender.SecurityUpdateAvailable': patch.update_available === 1,
      }).toEqual(expected);
      expect(patch.open_findings).toBe(findings.length);
      const endpoints = findings.map((_, i) => endpointOf.get(`m${i}`)).sort((a, b) => a! - b!);
      expect(JSON.parse(patch.endpoint_ids)).toEqual(endpoints);
      expect(patch.endpoint_count).toBe(endpoints.length);
      expect(patch.devices_not_imported).toBe(0);
    }
  });

  it('should count the devices that are not endpoints, and list only the endpoints', async () => {
    const hub = await useHub(dialect);
    const { id } = await hub.integrations.create({
      name: 'patches',
      product: 'endpoint',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      clientSecret: 'not-used',
    });
    const { id: endpointId } = await hub.db
      .insertInto('endpoints')
      .values({
        integration_id: id,
        machine_id: 'endpoint',
        machine_tags: '[]',
        ip_addresses: '[]',
        raw: '{}',
        stale: 0,
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const finding = (key: string, machine: string, imported: number): NewFindingRow => ({
      integration_id: id,
      finding_key: key,
      machine_id: machine,
      cve_id: `CVE-2024-${key}`,
      severity: 'High',
      status: 'open',
      raw: '{}',
      updated_at: '2026-01-01T00:00:00.000Z',
      patch_key: 'kb',
      imported,
    });
    await hub.db
      .insertInto('findings')
      .values([
        finding('1', 'endpoint', 1),
        finding('2', 'endpoint', 1),
        finding('3', 'phone', 0),
        finding('4', 'phone', 0),
        finding('5', 'camera', 0),
      ])
      .execute();

    await hub.data.patches.refresh(id, '2026-01-02T00:00:00.000Z');

    const patch = await hub.db.selectFrom('patches').selectAll().executeTakeFirstOrThrow();
    expect([patch.endpoint_count, patch.devices_not_imported, patch.open_findings]).toEqual([3, 2, 5]);
    expect(JSON.parse(patch.endpoint_ids)).toEqual([endpointId]);
  });
});
