import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { dialects } from '../support/stores.js';
import { simPost } from '../support/simulator.js';
import { csvObjects } from '../support/csv.js';
import { everyDatasetSucceeded } from '../support/datasets.js';
import { allPages, simulatorSettings, useApi, type TestApi } from './api-harness.js';

interface Isolation {
  state: 'isolated' | 'notIsolated' | 'pending';
  since: string | null;
  actionId: string | null;
}
interface Endpoint {
  id: number;
  integrationId: string;
  machineId: string;
  computerDnsName: string | null;
  osPlatform: string | null;
  osVersion: string | null;
  riskLevel: string;
  healthStatus: string | null;
  onboardingStatus: string | null;
  exposureLevel: string | null;
  riskScore: string | null;
  openFindings: number;
  lastIpAddress: string | null;
  lastSeen: string | null;
  machineTags: string[];
  rbacGroupName: string | null;
  isolation: Isolation;
}
interface Action {
  id: string;
  status: string;
}
interface ErrorAnswer {
  error: { code: string; message: string };
}

const columns = [
  'id',
  'computerDnsName',
  'machineId',
  'osPlatform',
  'osVersion',
  'riskLevel',
  'healthStatus',
  'exposureLevel',
  'riskScore',
  'openFindings',
  'lastIpAddress',
  'lastSeen',
  'machineTags',
  'rbacGroupName',
  'integrationId',
  'isolation',
];

/** An endpoint as the export's JSON record should be: the table's columns, the isolation state's name. */
function record(e: Endpoint): Record<string, string | number | string[] | null> {
  return {
    id: e.id,
    computerDnsName: e.computerDnsName,
    machineId: e.machineId,
    osPlatform: e.osPlatform,
    osVersion: e.osVersion,
    riskLevel: e.riskLevel,
    healthStatus: e.healthStatus,
    exposureLevel: e.exposureLevel,
    riskScore: e.riskScore,
    openFindings: e.openFindings,
    lastIpAddress: e.lastIpAddress,
    lastSeen: e.lastSeen,
    machineTags: e.machineTags,
    rbacGroupName: e.rbacGroupName,
    integrationId: e.integrationId,
    isolation: e.isolation.state,
  };
}

/** The same as a CSV row: every value as text, null as empty, tags joined by "; ". */
function csvRow(e: Endpoint): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(e)).map(([column, value]) => [
      column,
      value === null ? '' : Array.isArray(value) ? value.join('; ') : String(value),
    ]),
  );
}

/**
 * The endpoint list's isolation filter and its export, over a synced simulator tenant where the test isolates
 * endpoints through the API: one isolated (the isolate succeeded), two pending (a release under way after a
 * succeeded isolate, and an isolate under way).
 */
describe.each(dialects)('the endpoint list: isolation filter and export on %s', (dialect) => {
  let sim: RunningSimulator;
  let api: TestApi;
  /** The whole list, by name, as the list route answers it once the actions are in. */
  let listed: Endpoint[];
  const mine = { isolated: 0, released: 0, isolating: 0 };

  const act = (endpointId: number, body: Record<string, unknown>) =>
    api.call<{ action: Action | null } & ErrorAnswer>(
      'POST',
      `/api/v1/endpoints/${endpointId}/actions`,
      body,
    );

  /** The action as the hub stores it, once its tracking has seen it reach a final status. */
  async function settled(id: string): Promise<Action> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await api.call<Action>('GET', `/api/v1/actions/${id}`);
      if (['Succeeded', 'Failed', 'Cancelled', 'TimeOut'].includes(body.status) || Date.now() > deadline)
        return body;
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  beforeAll(async () => {
    // One simulator per database: the hub syncs the tenant's machine actions, so actions sent by the other
    // run would change this one's states.
    sim = await startSimulator({ rateLimits: false, machines: 160, seed: 88, findingsPerMachine: 3 });
    api = await useApi(dialect);
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(sim));
    const sync = await api.syncNow(created.body.id);
    expect(sync.body.runs.map((r) => [r.dataset, r.status])).toEqual(everyDatasetSucceeded);

    const before = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const candidates = before.filter(
      (e) =>
        e.healthStatus === 'Active' &&
        e.onboardingStatus === 'Onboarded' &&
        e.isolation.state === 'notIsolated',
    );
    expect(candidates.length).toBeGreaterThan(3);
    [mine.isolated, mine.released] = candidates.slice(0, 2).map((e) => e.id) as [number, number];
    const isolations = [];
    for (const id of [mine.isolated, mine.released]) {
      const answer = await act(id, { type: 'isolate', comment: 'x' });
      expect(answer.status).toBe(201);
      isolations.push(answer.body.action!.id);
    }
    await simPost(sim, '/_sim/advance', { hours: 10 / 60 });
    for (const id of isolations) expect((await settled(id)).status).toBe('Succeeded');
    expect((await act(mine.released, { type: 'release', comment: 'x' })).status).toBe(201);
    // The simulated tenant moves on with its clock (a machine may have left it): the first that takes it.
    for (const candidate of candidates.slice(2)) {
      if ((await act(candidate.id, { type: 'isolate', comment: 'x' })).status !== 201) continue;
      mine.isolating = candidate.id;
      break;
    }
    expect(mine.isolating).toBeGreaterThan(0);

    listed = await allPages<Endpoint>(api, '/api/v1/endpoints');
  });
  afterAll(() => sim.close());

  const ids = (endpoints: readonly Endpoint[]): number[] => endpoints.map((e) => e.id);
  const withState = (...states: Isolation['state'][]): number[] =>
    ids(listed.filter((e) => states.includes(e.isolation.state)));

  it("should have put the test's endpoints in the states their actions give", () => {
    const stateOf = (id: number) => listed.find((e) => e.id === id)?.isolation.state;
    expect(stateOf(mine.isolated)).toBe('isolated');
    expect(stateOf(mine.released)).toBe('pending');
    expect(stateOf(mine.isolating)).toBe('pending');
  });

  it('should filter the list by isolation state, with totals that count the rows of that state', async () => {
    for (const state of ['isolated', 'notIsolated', 'pending'] as const) {
      const filtered = await allPages<Endpoint>(api, `/api/v1/endpoints?isolation=${state}`);
      expect(ids(filtered), state).toEqual(withState(state));
      expect(filtered.every((e) => e.isolation.state === state)).toBe(true);
      const page = await api.call<{ total: number; items: Endpoint[] }>(
        'GET',
        `/api/v1/endpoints?isolation=${state}&pageSize=2&page=2`,
      );
      expect(page.body.total, state).toBe(withState(state).length);
      expect(ids(page.body.items)).toEqual(withState(state).slice(2, 4));
    }
    expect(withState('isolated')).toContain(mine.isolated);
    expect(withState('pending')).toEqual(expect.arrayContaining([mine.released, mine.isolating]));
    expect(withState('notIsolated').length).toBeLessThan(listed.length - 2);

    const anyOf = await allPages<Endpoint>(api, '/api/v1/endpoints?isolation=Pending,%20ISOLATED');
    expect(ids(anyOf)).toEqual(withState('isolated', 'pending'));
    const notIsolatedOrPending = await allPages<Endpoint>(
      api,
      '/api/v1/endpoints?isolation=notIsolated,pending',
    );
    expect(ids(notIsolatedOrPending)).toEqual(withState('notIsolated', 'pending'));
  });

  it('should export as CSV every endpoint of the list, in its order, with the columns the table shows', async () => {
    const answer = await api.app.inject({
      method: 'GET',
      url: '/api/v1/endpoints/export?format=csv&sort=-lastSeen',
      headers: api.authHeaders,
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="endpoints.csv"');
    const [header] = answer.body.split('\r\n');
    expect(header).toBe(columns.join(','));
    const rows = csvObjects(answer.body);
    const list = await allPages<Endpoint>(api, '/api/v1/endpoints?sort=-lastSeen');
    expect(rows.length).toBe(list.length);
    expect(rows.map((r) => Number(r.id))).toEqual(ids(list));
    expect(rows).toEqual(list.map(csvRow));
    expect(rows.some((r) => (r.machineTags ?? '').includes('; '))).toBe(true);
    expect(new Set(rows.map((r) => r.isolation))).toEqual(new Set(['isolated', 'notIsolated', 'pending']));
  });

  it('should narrow the export with the filters the list takes, the same as the list', async () => {
    for (const query of [
      'riskLevel=High',
      'riskLevel=high,critical&sort=-risk',
      'isolation=pending&sort=os',
      `search=${encodeURIComponent(listed[0]!.computerDnsName!.slice(0, 3))}&sort=-name`,
      `os=${encodeURIComponent(listed[0]!.osPlatform!)}&isolation=notIsolated&sort=lastSeen`,
    ]) {
      const list = await allPages<Endpoint>(api, `/api/v1/endpoints?${query}`);
      const answer = await api.app.inject({
        method: 'GET',
        url: `/api/v1/endpoints/export?${query}`,
        headers: api.authHeaders,
      });
      expect(answer.statusCode, query).toBe(200);
      expect(
        csvObjects(answer.body).map((r) => Number(r.id)),
        query,
      ).toEqual(ids(list));
      expect(list.length, query).toBeGreaterThan(0);
      if (!query.startsWith('search') && !query.startsWith('os'))
        expect(list.length, query).toBeLessThan(listed.length);
    }
    const high = await api.app.inject({
      method: 'GET',
      url: '/api/v1/endpoints/export?riskLevel=High',
      headers: api.authHeaders,
    });
    expect(new Set(csvObjects(high.body).map((r) => r.riskLevel))).toEqual(new Set(['High']));
  });

  it('should export NDJSON and JSON too, with the same records', async () => {
    const get = (format: string) =>
      api.app.inject({
        method: 'GET',
        url: `/api/v1/endpoints/export?format=${format}&isolation=pending,isolated`,
        headers: api.authHeaders,
      });
    const expected = listed.filter((e) => e.isolation.state !== 'notIsolated').map(record);
    expect(Object.keys(expected[0]!)).toEqual(columns);
    const ndjson = await get('ndjson');
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.headers['content-disposition']).toBe('attachment; filename="endpoints.ndjson"');
    const lines = ndjson.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual(expected);
    const json = await get('json');
    expect(JSON.parse(json.body)).toEqual(expected);
  });

  it('should be a route of its own, not an endpoint id, open to viewers, and in the OpenAPI description', async () => {
    const viewer = await api.tokenFor('viewer');
    const answer = await api.call('GET', '/api/v1/endpoints/export?format=json', undefined, {
      token: viewer,
    });
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body)).toBe(true);
    expect((await api.call('GET', `/api/v1/endpoints/${listed[0]!.id}`)).status).toBe(200);
    const openapi = await api.call<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/api/openapi.json',
    );
    expect(openapi.body.paths['/api/v1/endpoints/export']).toHaveProperty('get');
    expect(JSON.stringify(openapi.body.paths['/api/v1/endpoints'])).toContain('notIsolated');
  });

  it('should refuse a bad filter, format or parameter with 400', async () => {
    for (const url of [
      '/api/v1/endpoints?isolation=quarantined',
      '/api/v1/endpoints?isolation=isolated,',
      '/api/v1/endpoints/export?isolation=quarantined',
      '/api/v1/endpoints/export?riskLevel=Extreme',
      '/api/v1/endpoints/export?format=xml',
      '/api/v1/endpoints/export?sort=colour',
      '/api/v1/endpoints/export?stale=maybe',
      '/api/v1/endpoints/export?page=2',
    ]) {
      const { status, body } = await api.call<ErrorAnswer>('GET', url);
      expect(status, url).toBe(400);
      expect(body.error.code, url).toBe('INVALID_INPUT');
    }
    const { body } = await api.call<ErrorAnswer>('GET', '/api/v1/endpoints?isolation=quarantined');
    expect(body.error.message).toContain('isolated, notIsolated, pending');
  });
});
