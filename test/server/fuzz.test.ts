import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { InjectOptions } from 'fastify';
import { useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi, type TestApi } from './api-harness.js';
import { neededRole } from '../../src/server/access-policy.js';
import { roleAllows, type Role } from '../../src/domain/roles.js';
import { databaseOf } from '../../src/store/testing.js';

interface Operation {
  method: string;
  /** Fastify's spelling, as the access policy names routes. */
  template: string;
  path: string;
  query: string[];
}

/** Values no route should take for an id or a query parameter. */
const badValues = [
  '',
  '0',
  '-1',
  '1.5',
  '1e309',
  '99999999999999999999999',
  'x'.repeat(5000),
  "' or 1=1 --",
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'null',
  '[]',
  'ü🙂',
];

/** Bodies no write should accept, and some it may; none may break the server. */
const badBodies: (string | undefined)[] = [
  undefined,
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '12',
  '{}',
  JSON.stringify({ unknownField: true }),
  JSON.stringify({ name: 'x'.repeat(100_000), comment: 'x'.repeat(100_000), query: 'x'.repeat(100_000) }),
  JSON.stringify({ name: 1, enabled: 'yes', imports: [], page: -1, endpointIds: 'all', role: 'root' }),
  JSON.stringify({ expression: '('.repeat(9_999), query: `DeviceInfo ${'| where 1 == 1 '.repeat(2000)}` }),
  JSON.stringify({ expression: 'x'.repeat(20_000), name: 'n' }),
  JSON.stringify({ endpointIds: Array.from({ length: 5000 }, (_, i) => i), type: 'scan', comment: 'c' }),
  JSON.stringify(JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`)),
  'x'.repeat(2 * 1024 * 1024),
];

async function operations(api: TestApi): Promise<Operation[]> {
  const doc = await api.call<{
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  }>('GET', '/api/openapi.json');
  return Object.entries(doc.body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      template: path.replace(/\{(\w+)\}/g, ':$1'),
      path,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
}

/** Every request of one operation: bad path ids, bad query values, bad bodies. */
function requests(op: Operation): InjectOptions[] {
  const withIds = (value: string) => op.path.replace(/\{\w+\}/g, encodeURIComponent(value));
  const base = withIds('1');
  const out: InjectOptions[] = [];
  for (const value of op.path.includes('{') ? badValues : [])
    out.push({ method: op.method as 'GET', url: withIds(value) });
  for (const name of [...op.query, 'unknownParameter'])
    for (const value of badValues.slice(0, 8))
      out.push({ method: op.method as 'GET', url: `${base}?${name}=${encodeURIComponent(value)}` });
  out.push({ method: op.method as 'GET', url: `${base}?pageSize=1001` });
  if (op.method !== 'GET')
    for (const payload of badBodies)
      out.push({
        method: op.method as 'POST',
        url: base,
        ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
      });
  if (op.method !== 'GET')
    out.push({
      method: op.method as 'POST',
      url: base,
      payload: 'a=b',
      headers: { 'content-type': 'text/plain' },
    });
  return out;
}

/** Row counts of every table: what a refused caller must leave as it was. */
async function tableCounts(api: TestApi): Promise<Record<string, number>> {
  const tables = await databaseOf(api.hub.data).introspection.getTables();
  const counts: Record<string, number> = {};
  for (const t of tables) {
    // The hub's own records of the refused requests (the audit log) are the one write they may cause.
    if (['audit_log', 'sessions', 'kysely_migration', 'kysely_migration_lock'].includes(t.name)) continue;
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(t.name)}`.execute(
      databaseOf(api.hub.data),
    );
    counts[t.name] = row.rows[0]?.n ?? 0;
  }
  return counts;
}

describe('fuzzing every route of the OpenAPI document', () => {
  it('should answer every invalid and oversized input without a 5xx, a leaked secret or a write by a role that may not write', async () => {
    const sim = await useSimulator({ machines: 30, seed: 5, findingsPerMachine: 2 });
    const api = await useApi('sqlite');
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);
    const viewer = await api.tokenFor('viewer');
    const analyst = await api.tokenFor('analyst');
    const ops = await operations(api);
    expect(ops.length).toBeGreaterThan(60);

    const callers: [string, string | null, Role | null][] = [
      ['anonymous', null, null],
      ['viewer', viewer, 'viewer'],
      ['analyst', analyst, 'analyst'],
      ['admin', api.admin.token, 'admin'],
    ];
    const failures: string[] = [];
    let cases = 0;
    let writesRefused = 0;
    for (const [who, token, role] of callers) {
      const before = await tableCounts(api);
      for (const op of ops) {
        // Deleting the integration or the admin's own token would end the run, not test it.
        if (who === 'admin' && op.method === 'DELETE') continue;
        const needed = neededRole(op.method, op.template);
        const mayCall = needed === undefined || (role !== null && roleAllows(role, needed));
        for (const request of requests(op)) {
          cases++;
          const response = await api.app.inject({
            ...request,
            headers: { ...request.headers, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
          });
          const label = `${who} ${String(request.method)} ${JSON.stringify(request.url).slice(0, 120)}`;
          if (response.statusCode >= 500)
            failures.push(`${label}: ${response.statusCode} ${response.body.slice(0, 200)}`);
          if (response.body.includes(sim.clientSecret)) failures.push(`${label}: the client secret crossed`);
          if (/\bat .*\.(ts|js):\d+/.test(response.body)) failures.push(`${label}: a stack trace crossed`);
          // 414: an id longer than the router takes is refused before any route (or guard) sees it.
          if (!mayCall && ![401, 403, 414].includes(response.statusCode))
            failures.push(`${label}: ${response.statusCode} for a caller who may not call it`);
          if (!mayCall && op.method !== 'GET') writesRefused++;
        }
      }
      if (who !== 'admin') expect({ who, counts: await tableCounts(api) }).toEqual({ who, counts: before });
    }
    expect(failures).toEqual([]);
    expect(writesRefused).toBeGreaterThan(500);
    // The figures for the record.
    console.log(
      `fuzz: ${ops.length} operations, ${cases} requests as anonymous, viewer, analyst and admin, 0 failures`,
    );
  });
});
