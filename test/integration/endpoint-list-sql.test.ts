import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Store } from '../../src/store/db/database.js';
import type { Database, NewMachineActionRow } from '../../src/store/db/schema.js';
import {
  endpointSorts,
  listEndpoints,
  listEndpointsAfter,
  type EndpointCursor,
  type EndpointFilter,
  type EndpointSort,
} from '../../src/store/endpoints/endpoint-queries.js';
import { MachineActionsRepository } from '../../src/store/activity/machine-actions-repository.js';
import { isolationState, isolationStateNames, type IsolationStateName } from '../../src/domain/isolation.js';
import { riskLevels } from '../../src/domain/levels.js';
import { keysetRows } from '../../src/store/db/keyset.js';
import { dialects, freshStore } from '../support/stores.js';
import { pick, seeded } from '../support/seeded-random.js';

/**
 * The endpoint list's SQL against the TypeScript it must agree with: the isolation filter (store/isolation-sql.ts)
 * against domain/isolation.ts's rule over the same stored actions, and the keyset read the export uses against
 * the list's own order, on data made to have ties and nulls in every sort column.
 */

const now = '2026-01-01T00:00:00.000Z';
const integrations = ['int-a', 'int-b'];
const machinesPerIntegration = 70;

async function seedIntegration(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .insertInto('integrations')
    .values({
      id,
      name: id,
      product: 'endpoint',
      tenant_id: `${id}.onmicrosoft.com`,
      client_id: '00000000-0000-4000-8000-000000000001',
      credential_type: 'secret',
      credential_ciphertext: 'not-used',
      credential_set_at: now,
      api_base_url: 'https://api.securitycenter.microsoft.com',
      enabled: 1,
      imports: '{}',
      schedules: '{}',
      filters: '{}',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Endpoints with the same machine ids in both integrations (so an action must count only for its own), sort
 * values drawn from small sets with nulls among them, and 0–6 actions each: every type and status, creation
 * times from a few instants (ties), ids of mixed case and punctuation.
 */
async function seed(db: Kysely<Database>): Promise<void> {
  const random = seeded(20260101);
  const names = [
    null,
    'alpha.contoso.com',
    'Beta.contoso.com',
    'beta.contoso.com',
    'gamma',
    'zeta-01',
    'ä-host',
  ];
  const platforms = [null, 'Windows10', 'Windows11', 'Linux'];
  const versions = [null, '22H2', '23H2', '5.15'];
  const seen = [null, '2025-12-01T00:00:00.000Z', '2025-12-02T08:30:00.000Z', '2025-12-03T00:00:00.000Z'];
  const types = ['Isolate', 'Unisolate', 'RunAntiVirusScan', 'CollectInvestigationPackage'];
  const statuses = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'Cancelled', 'TimeOut'];
  const instants = ['2025-12-10T00:00:00.000Z', '2025-12-10T00:00:01.000Z', '2025-12-11T12:00:00.000Z'];
  const idParts = ['a', 'B', '0', 'f-', 'Z', '_'];
  for (const integrationId of integrations) {
    await seedIntegration(db, integrationId);
    const actions: NewMachineActionRow[] = [];
    for (let m = 0; m < machinesPerIntegration; m++) {
      const machineId = `m${String(m).padStart(3, '0')}`;
      const risk = pick(random, riskLevels);
      await db
        .insertInto('endpoints')
        .values({
          integration_id: integrationId,
          machine_id: machineId,
          computer_dns_name: pick(random, names),
          os_platform: pick(random, platforms),
          os_version: pick(random, versions),
          last_seen_raw: null,
          last_seen_at: pick(random, seen),
          risk_level: risk,
          risk_rank: riskLevels.indexOf(risk),
          machine_tags: '[]',
          ip_addresses: '[]',
          raw: '{}',
          stale: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const count = Math.floor(random() * 7);
      for (let a = 0; a < count; a++) {
        const createdAt = pick(random, instants);
        actions.push({
          integration_id: integrationId,
          action_id: `${pick(random, idParts)}${pick(random, idParts)}${m}-${a}`,
          machine_id: machineId,
          // Mostly isolate and release, so machines have several that could decide.
          type: random() < 0.8 ? pick(random, types.slice(0, 2)) : pick(random, types),
          status: pick(random, statuses),
          created_raw: createdAt,
          created_at: createdAt,
          last_update_at: random() < 0.5 ? null : '2025-12-12T00:00:00.000Z',
          raw: '{}',
          updated_at: now,
        });
      }
    }
    await db.insertInto('machine_actions').values(actions).execute();
  }
}

/** Each endpoint's state by domain/isolation.ts over its stored actions, read as the action service reads them. */
async function statesByRule(store: Store): Promise<Map<number, IsolationStateName>> {
  const repository = new MachineActionsRepository(store);
  const { db } = store;
  const states = new Map<number, IsolationStateName>();
  for (const integrationId of integrations) {
    const endpoints = await db
      .selectFrom('endpoints')
      .select(['id', 'machine_id'])
      .where('integration_id', '=', integrationId)
      .execute();
    const actions = await repository.isolationActions(
      integrationId,
      endpoints.map((e) => e.machine_id),
    );
    for (const endpoint of endpoints) {
      const state = isolationState(actions.filter((a) => a.machineId === endpoint.machine_id));
      states.set(endpoint.id, state.state);
    }
  }
  return states;
}

/** Every non-empty set of states. */
const stateSets: IsolationStateName[][] = [1, 2, 3, 4, 5, 6, 7].map((bits) =>
  isolationStateNames.filter((_, i) => (bits & (1 << i)) !== 0),
);

describe.each(dialects)('the endpoint list in SQL on %s', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let byRule: Map<number, IsolationStateName>;

  beforeAll(async () => {
    ({ store, dispose } = await freshStore(dialect));
    await seed(store.db);
    byRule = await statesByRule(store);
  });
  afterAll(() => dispose());

  const everyId = async (filter: EndpointFilter, sort: EndpointSort = 'name'): Promise<number[]> => {
    const page = await listEndpoints(store, filter, sort, { page: 1, pageSize: 500 });
    expect(page.items.length).toBe(page.total);
    return page.items.map((e) => e.id);
  };

  it('should have made data where every state is common and the rule has ties to break', () => {
    const counts = isolationStateNames.map((s) => [...byRule.values()].filter((v) => v === s).length);
    for (const count of counts) expect(count).toBeGreaterThan(10);
  });

  it("should filter by isolation state exactly as domain/isolation.ts's rule decides, for every set of states", async () => {
    for (const states of stateSets) {
      const expected = [...byRule].filter(([, s]) => states.includes(s)).map(([id]) => id);
      const ids = await everyId({ isolation: states });
      expect(
        [...ids].sort((a, b) => a - b),
        states.join(),
      ).toEqual(expected.sort((a, b) => a - b));
      const page = await listEndpoints(store, { isolation: states }, '-lastSeen', { page: 2, pageSize: 5 });
      expect(page.total, states.join()).toBe(expected.length);
    }
    expect(await everyId({ isolation: [] })).toHaveLength(byRule.size);
  });

  it('should apply the isolation filter with the others', async () => {
    const integrationA = await everyId({ integrationId: 'int-a', riskLevel: ['High', 'Critical'] });
    const isolatedA = await everyId({
      integrationId: 'int-a',
      riskLevel: ['High', 'Critical'],
      isolation: ['isolated'],
    });
    expect(isolatedA).toEqual(integrationA.filter((id) => byRule.get(id) === 'isolated'));
    expect(isolatedA.length).toBeGreaterThan(0);
  });

  it("should read the whole list by keyset in the list's order, for every sort and across ties and nulls", async () => {
    for (const sort of endpointSorts) {
      for (const filter of [{}, { isolation: ['notIsolated', 'pending'] }] satisfies EndpointFilter[]) {
        const expected = await everyId(filter, sort);
        const read: number[] = [];
        for await (const row of keysetRows(
          (after: EndpointCursor | undefined, limit) => listEndpointsAfter(store, filter, sort, after, limit),
          (row) => row.cursor,
          7,
        ))
          read.push(row.id);
        expect(read, `${sort} ${JSON.stringify(filter)}`).toEqual(expected);
      }
    }
  });

  it('should give the keyset rows the list items', async () => {
    const page = await listEndpoints(store, {}, '-os', { page: 1, pageSize: 500 });
    const rows = await listEndpointsAfter(store, {}, '-os', undefined, 500);
    expect(rows.map(({ cursor: _, ...item }) => item)).toEqual(page.items);
  });
});
