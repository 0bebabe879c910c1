import { describe, expect, it } from 'vitest';
import {
  endpointsTable,
  putEndpoint,
  toEndpointRow,
  type EndpointRecord,
} from '../../src/store/endpoints/endpoint-record.js';
import { conflictClause } from '../../src/store/bulk/bulk-table.js';

const endpoint: EndpointRecord = {
  integrationId: 'integration',
  machineId: 'machine',
  computerDnsName: 'desk-1.example.test',
  osPlatform: 'Windows11',
  osVersion: '10.0.22631',
  osBuild: 22631,
  version: '23H2',
  healthStatus: 'Active',
  onboardingStatus: 'Onboarded',
  riskScore: 'Medium',
  exposureLevel: 'High',
  deviceValue: 'Normal',
  rbacGroupId: '7',
  rbacGroupName: 'Desks',
  aadDeviceId: null,
  lastIpAddress: '10.0.0.1',
  lastExternalIpAddress: '203.0.113.1',
  machineTags: ['finance'],
  ipAddresses: [{ ipAddress: '10.0.0.1' }],
  firstSeenRaw: 'first raw',
  lastSeenRaw: 'last raw',
  lastSeenAt: 'last at',
  raw: '{}',
  runId: 7,
  updatedAt: 'now',
};

describe('endpoint columns', () => {
  it('should flatten an endpoint into the bulk columns as its row holds them, every written column named', () => {
    const values: unknown[] = [];
    // At the second slot: the slot's offset is part of what is checked.
    putEndpoint(values, 1, endpoint);
    const width = endpointsTable.columns.length;
    const flattened = Object.fromEntries(endpointsTable.columns.map((c, i) => [c.name, values[width + i]]));
    expect(flattened).toEqual(toEndpointRow(endpoint));
  });

  it('should keep the creation time of an endpoint seen again, and update every other column', () => {
    const clause = conflictClause(endpointsTable);
    expect(clause).toContain('on conflict ("integration_id", "machine_id") do update set');
    expect(clause).not.toContain('"created_at" = excluded');
    expect(clause).not.toContain('"machine_id" = excluded');
    for (const column of ['updated_at', 'last_seen_at', 'stale', 'raw'])
      expect(clause).toContain(`"${column}" = excluded."${column}"`);
  });
});
