import { describe, expect, it } from 'vitest';
import {
  findingColumns,
  putFinding,
  type FindingRecord,
} from '../../src/store/vulnerabilities/findings-writer.js';

describe('finding columns', () => {
  it('should flatten every member of a record into its column, in the order the bulk statement names them', () => {
    const finding: FindingRecord = {
      integrationId: 'integration',
      findingKey: 'key',
      machineId: 'machine',
      cveId: 'CVE-2024-0001',
      softwareVendor: 'vendor',
      softwareName: 'software',
      softwareVersion: '1.0',
      severity: 'High',
      cvssScore: 8.8,
      exploitabilityLevel: 'ExploitIsPublic',
      fixingUpdate: 'update',
      fixingUpdateId: 'KB1',
      fixingUpdateUrl: 'https://example.test/kb1',
      updateAvailable: true,
      firstSeenRaw: 'first raw',
      firstSeenAt: 'first at',
      lastSeenRaw: 'last raw',
      lastSeenAt: 'last at',
      raw: '{}',
      patchKey: 'patch',
      imported: false,
      runId: 7,
      updatedAt: 'now',
    };
    const values: unknown[] = [];
    // At the second slot: the slot's offset is part of what is checked.
    putFinding(values, 1, finding);
    const row = Object.fromEntries(
      findingColumns.map(([name], i) => [name, values[findingColumns.length + i]]),
    );
    expect(row).toEqual({
      integration_id: 'integration',
      finding_key: 'key',
      machine_id: 'machine',
      cve_id: 'CVE-2024-0001',
      software_vendor: 'vendor',
      software_name: 'software',
      software_version: '1.0',
      severity: 'High',
      cvss_score: 8.8,
      exploitability_level: 'ExploitIsPublic',
      fixing_update: 'update',
      fixing_update_id: 'KB1',
      fixing_update_url: 'https://example.test/kb1',
      update_available: 1,
      first_seen_raw: 'first raw',
      first_seen_at: 'first at',
      last_seen_raw: 'last raw',
      last_seen_at: 'last at',
      status: 'open',
      resolved_at: null,
      last_run_id: 7,
      raw: '{}',
      updated_at: 'now',
      patch_key: 'patch',
      imported: 0,
    });
    expect(values).toHaveLength(2 * findingColumns.length);
  });
});
