import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/db/database.js';
import { dialects } from '../support/stores.js';
import { hubOn, useHub, type TestHub } from '../support/hub.js';
import type { FindingRecord } from '../../src/store/index.js';

async function integrationId(hub: TestHub): Promise<string> {
  const integration = await hub.integrations.create({
    name: 'writer',
    product: 'endpoint',
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '00000000-0000-4000-8000-000000000001',
    clientSecret: 'not-used',
  });
  return integration.id;
}

function finding(integration: string, key: string, overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    integrationId: integration,
    findingKey: key,
    machineId: 'm1',
    cveId: 'CVE-2024-0001',
    softwareVendor: null,
    softwareName: 'edge',
    softwareVersion: null,
    severity: null,
    cvssScore: null,
    exploitabilityLevel: null,
    fixingUpdate: null,
    fixingUpdateId: null,
    fixingUpdateUrl: null,
    updateAvailable: null,
    firstSeenRaw: null,
    firstSeenAt: null,
    lastSeenRaw: null,
    lastSeenAt: null,
    raw: '{}',
    patchKey: null,
    imported: true,
    runId: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

async function stored(hub: TestHub) {
  return hub.db
    .selectFrom('findings')
    .select(['finding_key', 'software_version'])
    .orderBy('finding_key')
    .execute();
}

// An in-memory SQLite database has no second connection for the writer thread: its writes run in-thread.
const stores = [...dialects, 'sqlite in memory'] as const;

async function hubFor(store: (typeof stores)[number]): Promise<TestHub> {
  if (store !== 'sqlite in memory') return useHub(store);
  const memory = openStore('sqlite::memory:');
  afterAll(() => memory.close());
  await migrateToLatest(memory);
  return hubOn(memory);
}

describe.each(stores)('findings writer on %s', (dialect) => {
  it('should store a key repeated in one batch once, with its last values', async () => {
    const hub = await hubFor(dialect);
    const id = await integrationId(hub);
    const writer = hub.data.findings.writer(() => undefined);
    writer.add(finding(id, 'a', { softwareVersion: '1' }));
    writer.add(finding(id, 'b', { softwareVersion: '1' }));
    writer.add(finding(id, 'a', { softwareVersion: '2' }));
    await writer.commit();
    await writer.flush();
    expect(await stored(hub)).toEqual([
      { finding_key: 'a', software_version: '2' },
      { finding_key: 'b', software_version: '1' },
    ]);
  });

  it('should fail a batch the database refuses as a whole, and go on writing the next', async () => {
    const hub = await hubFor(dialect);
    const id = await integrationId(hub);
    const writer = hub.data.findings.writer(() => undefined);
    writer.add(finding(id, 'good'));
    // `raw` is NOT NULL: the whole transaction is refused, the good row with it.
    writer.add(finding(id, 'bad', { raw: null as unknown as string }));
    await writer.commit();
    await expect(writer.flush()).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', message: /raw/i });
    expect(await stored(hub)).toEqual([]);
    writer.add(finding(id, 'next'));
    await writer.commit();
    await writer.flush();
    expect((await stored(hub)).map((r) => r.finding_key)).toEqual(['next']);
  });
});
