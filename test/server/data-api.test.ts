import { beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simPost, useSimulator } from '../support/simulator.js';
import type { EndpointRow, FindingRow } from '../../src/store/db/schema.js';
import { allPages, simulatorSettings, useApi, type Answer, type TestApi } from './api-harness.js';
import type { SoftwareSummary as Software } from '../../src/store/vulnerabilities/software-queries.js';
import { everyDatasetSucceeded } from '../support/datasets.js';
import { databaseOf } from '../../src/store/testing.js';

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface ErrorAnswer {
  error: { code: string; message: string };
}
interface Endpoint {
  id: number;
  integrationId: string;
  machineId: string;
  computerDnsName: string | null;
  osPlatform: string | null;
  riskScore: string | null;
  riskLevel: string;
  healthStatus: string | null;
  lastIpAddress: string | null;
  ipAddresses: { ipAddress?: string }[];
  machineTags: string[];
  lastSeen: string | null;
  stale: boolean;
  openFindings: number;
}
interface EndpointDetail extends Endpoint {
  openFindingsBySeverity: Record<string, number>;
  alerts: number;
  defenderRecord: { id: string };
}
interface Finding {
  findingKey: string;
  cveId: string | null;
  severity: string | null;
  status: string;
}
interface Vulnerability {
  cveId: string;
  severity: string | null;
  name: string | null;
  exposedEndpoints: number;
  devicesNotImported: number;
}
interface Alert {
  id: string;
  integrationId: string;
  severity: string | null;
  machineIds: string[];
  lastUpdate: string;
  raw?: unknown;
}
interface SyncRun {
  id: number;
  dataset: string;
  status: string;
  skippedReasons: Record<string, number>;
  complete: boolean;
}

const sim = await useSimulator({ machines: 150, seed: 72, findingsPerMachine: 6, slowMs: 800 });

/** Byte order, nulls last: what both dialects do with the test database's C collation. */
function compareText(x: string | null, y: string | null): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x < y ? -1 : 1;
}

/** By one text, then id. */
function byText<T extends { id: number }>(value: (row: T) => string | null, direction: 1 | -1 = 1) {
  return (a: T, b: T): number => compareText(value(a), value(b)) * direction || a.id - b.id;
}

/** Open rows with a CVE per machine: what the vulnerability views count. */
function openVulnerabilityCounts(rows: readonly FindingRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of rows)
    if (f.status === 'open' && f.cve_id !== null)
      counts.set(f.machine_id, (counts.get(f.machine_id) ?? 0) + 1);
  return counts;
}

/**
 * An endpoint's installed software as the route should answer it, computed from its stored findings: its open
 * rows grouped by vendor × name × version, the rows with a CVE counted, the row without one (if Defender sent
 * it) giving its own fields; by name, version, vendor.
 */
function expectedSoftware(rows: readonly FindingRow[]): Software[] {
  const groups = new Map<string, Software>();
  for (const f of rows.filter((r) => r.status === 'open')) {
    const key = JSON.stringify([f.software_vendor, f.software_name, f.software_version]);
    const item = groups.get(key) ?? {
      softwareVendor: f.software_vendor,
      softwareName: f.software_name,
      softwareVersion: f.software_version,
      openVulnerabilities: 0,
      id: null,
      firstSeen: null,
      lastSeen: null,
      exploitabilityLevel: null,
      updateAvailable: null,
      defender: null,
    };
    if (f.cve_id !== null) item.openVulnerabilities++;
    else
      Object.assign(item, {
        id: f.finding_key,
        firstSeen: f.first_seen_raw,
        lastSeen: f.last_seen_raw,
        exploitabilityLevel: f.exploitability_level,
        updateAvailable: f.update_available === null ? null : f.update_available !== 0,
        defender: JSON.parse(f.raw) as unknown,
      });
    groups.set(key, item);
  }
  return [...groups.values()].sort(
    (a, b) =>
      compareText(a.softwareName, b.softwareName) ||
      compareText(a.softwareVersion, b.softwareVersion) ||
      compareText(a.softwareVendor, b.softwareVendor),
  );
}

describe.each(dialects)('data API on %s', (dialect) => {
  let api: TestApi;
  let integrationId: string;
  let endpoints: EndpointRow[];
  /** Open findings with a CVE per machine id, counted here from the stored rows. */
  let openFindings: Map<string, number>;
  /** Endpoints with installed software Defender reports without any CVE (rows with cve_id null). */
  let withCvelessSoftware: EndpointRow[];

  const get = <T>(url: string): Promise<Answer<T>> => api.call<T>('GET', url);
  const all = <T>(url: string): Promise<T[]> => allPages<T>(api, url);

  beforeAll(async () => {
    api = await useApi(dialect);
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(sim));
    integrationId = created.body.id;
  });

  it('should run a sync and answer its runs', async () => {
    // With PostgreSQL the server queues the runs for a worker (202); syncNow runs one here.
    const { status, body } = await api.syncNow(integrationId);
    expect(status).toBe(dialect === 'sqlite' ? 200 : 202);
    expect(body.runs.map((r) => [r.dataset, r.status])).toEqual(everyDatasetSucceeded);
    expect(body.runs[0]!.skippedReasons).toHaveProperty(['mobile or IoT platform']);
    const db = databaseOf(api.hub.data);
    endpoints = await db.selectFrom('endpoints').selectAll().where('stale', '=', 0).execute();
    expect(endpoints.length).toBeGreaterThan(50);
    const findings = await db.selectFrom('findings').selectAll().where('status', '=', 'open').execute();
    openFindings = openVulnerabilityCounts(findings);
    const cveless = new Set(findings.filter((f) => f.cve_id === null).map((f) => f.machine_id));
    withCvelessSoftware = endpoints.filter((e) => cveless.has(e.machine_id));
    // The simulator gives a few machines one such row: the tests below need some to mean anything.
    expect(withCvelessSoftware.length).toBeGreaterThan(0);
  });

  // Where the server runs syncs itself; with PostgreSQL the queue keeps one waiting job instead (jobs-api.test).
  it.runIf(dialect === 'sqlite')(
    'should answer 409 SYNC_ALREADY_RUNNING while a sync of the same dataset runs',
    async () => {
      await simPost(sim, '/_sim/faults', { queue: [{ fault: 'slow', path: '/api/machines', count: 1 }] });
      const first = api.call<{ runs: SyncRun[] }>('POST', `/api/v1/integrations/${integrationId}/sync`, {
        dataset: 'machines',
      });
      const db = databaseOf(api.hub.data);
      await expect
        .poll(
          async () =>
            (await db.selectFrom('sync_runs').select('id').where('status', '=', 'running').execute()).length,
          { interval: 10, timeout: 5000 },
        )
        .toBe(1);
      const second = await api.call<ErrorAnswer>('POST', `/api/v1/integrations/${integrationId}/sync`, {
        dataset: 'machines',
      });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('SYNC_ALREADY_RUNNING');
      const done = await first;
      expect(done.status).toBe(200);
      expect(done.body.runs.map((r) => r.status)).toEqual(['succeeded']);
    },
  );

  it('should refuse an unknown dataset', async () => {
    const { status, body } = await api.call<ErrorAnswer>(
      'POST',
      `/api/v1/integrations/${integrationId}/sync`,
      {
        dataset: 'printers',
      },
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
  });

  it('should list endpoints by name with their open findings, as the store holds them', async () => {
    const items = await all<Endpoint>('/api/v1/endpoints');
    const expected = [...endpoints].sort(byText((e) => e.computer_dns_name));
    expect(items.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    for (const item of items) {
      expect(item.integrationId).toBe(integrationId);
      expect(item.stale).toBe(false);
      expect(item.openFindings).toBe(openFindings.get(item.machineId) ?? 0);
      expect(Array.isArray(item.machineTags)).toBe(true);
    }
    expect(items.some((e) => e.openFindings > 0)).toBe(true);
    expect(items.some((e) => e.ipAddresses.length > 0)).toBe(true);
  });

  it('should page endpoints', async () => {
    const expected = [...endpoints].sort(byText((e) => e.computer_dns_name));
    const { body } = await get<Page<Endpoint>>('/api/v1/endpoints?page=3&pageSize=7');
    expect(body).toMatchObject({ total: endpoints.length, page: 3, pageSize: 7 });
    expect(body.items.map((e) => e.id)).toEqual(expected.slice(14, 21).map((e) => e.id));
    const beyond = await get<Page<Endpoint>>('/api/v1/endpoints?page=1000&pageSize=7');
    expect(beyond.body.items).toEqual([]);
    expect(beyond.body.total).toBe(endpoints.length);
  });

  it('should sort endpoints by last seen, OS and risk', async () => {
    const lastSeen = await all<Endpoint>('/api/v1/endpoints?sort=-lastSeen');
    expect(lastSeen.map((e) => e.id)).toEqual(
      [...endpoints].sort(byText((e) => e.last_seen_at, -1)).map((e) => e.id),
    );
    const os = await all<Endpoint>('/api/v1/endpoints?sort=os');
    const platforms = os.map((e) => e.osPlatform ?? '\uffff');
    expect(platforms).toEqual([...platforms].sort());
    // `risk` sorts by the hub's risk level, ties by id.
    const ranks = ['None', 'Low', 'Medium', 'High', 'Critical'];
    const risk = await all<Endpoint>('/api/v1/endpoints?sort=-risk');
    const riskRanks = risk.map((e) => ranks.indexOf(e.riskLevel));
    expect(riskRanks).not.toContain(-1);
    expect(new Set(riskRanks).size).toBeGreaterThan(1);
    expect(riskRanks).toEqual([...riskRanks].sort((a, b) => b - a));
  });

  it('should filter endpoints', async () => {
    const platform = endpoints[0]!.os_platform!;
    const byOs = await all<Endpoint>(`/api/v1/endpoints?os=${encodeURIComponent(platform)}`);
    expect(byOs.length).toBe(endpoints.filter((e) => e.os_platform === platform).length);
    expect(byOs.every((e) => e.osPlatform === platform)).toBe(true);
    const health = endpoints[0]!.health_status!;
    const byHealth = await all<Endpoint>(
      `/api/v1/endpoints?health=${health}&risk=${endpoints[0]!.risk_score!}`,
    );
    expect(byHealth.length).toBe(
      endpoints.filter((e) => e.health_status === health && e.risk_score === endpoints[0]!.risk_score).length,
    );
    expect(await all<Endpoint>('/api/v1/endpoints?integration=someone-else')).toEqual([]);
    expect(await all<Endpoint>('/api/v1/endpoints?stale=true')).toEqual([]);
  });

  it('should search endpoints by DNS name, machine id and IP address, case-insensitively', async () => {
    const target = endpoints.find((e) => e.computer_dns_name !== null && e.last_ip_address !== null)!;
    const part = target.computer_dns_name!.slice(1, 6).toUpperCase();
    const byName = await all<Endpoint>(`/api/v1/endpoints?search=${encodeURIComponent(part)}`);
    expect(byName.map((e) => e.id)).toContain(target.id);
    expect(byName.length).toBe(
      endpoints.filter(
        (e) =>
          (e.computer_dns_name ?? '').toLowerCase().includes(part.toLowerCase()) ||
          e.machine_id.toLowerCase().includes(part.toLowerCase()),
      ).length,
    );
    const byId = await all<Endpoint>(`/api/v1/endpoints?search=${target.machine_id.toUpperCase()}`);
    expect(byId.map((e) => e.id)).toEqual([target.id]);
    const byIp = await all<Endpoint>(`/api/v1/endpoints?search=${target.last_ip_address!}`);
    expect(byIp.map((e) => e.id)).toContain(target.id);
    const v6 = endpoints.find((e) => e.ip_addresses.includes('fe80::'));
    if (v6 !== undefined) {
      const address = (JSON.parse(v6.ip_addresses) as { ipAddress: string }[]).find((a) =>
        a.ipAddress.startsWith('fe80::'),
      )!.ipAddress;
      expect((await all<Endpoint>(`/api/v1/endpoints?search=${address}`)).map((e) => e.id)).toContain(v6.id);
    }
    expect(await all<Endpoint>('/api/v1/endpoints?search=ethernet')).toEqual([]);
    expect(await all<Endpoint>('/api/v1/endpoints?search=%25')).toEqual([]);
  });

  it("should show an endpoint's summary, findings and alerts, scoped to its machine", async () => {
    const db = databaseOf(api.hub.data);
    const alerts = await db.selectFrom('alerts').select(['alert_id', 'machine_ids']).execute();
    const withAlerts = endpoints.find(
      (e) =>
        (openFindings.get(e.machine_id) ?? 0) > 0 && alerts.some((a) => a.machine_ids.includes(e.machine_id)),
    )!;
    expect(withAlerts).toBeDefined();
    const expectedAlerts = alerts.filter((a) =>
      (JSON.parse(a.machine_ids) as string[]).includes(withAlerts.machine_id),
    );

    const { status, body } = await get<EndpointDetail>(`/api/v1/endpoints/${withAlerts.id}`);
    expect(status).toBe(200);
    expect(body.machineId).toBe(withAlerts.machine_id);
    expect(body.defenderRecord.id).toBe(withAlerts.machine_id);
    expect(body.openFindings).toBe(openFindings.get(withAlerts.machine_id));
    expect(Object.values(body.openFindingsBySeverity).reduce((a, b) => a + b, 0)).toBe(body.openFindings);
    expect(body.alerts).toBe(expectedAlerts.length);

    const findings = await all<Finding>(`/api/v1/endpoints/${withAlerts.id}/vulnerabilities`);
    expect(findings.length).toBe(body.openFindings);
    expect(findings.every((f) => f.status === 'open')).toBe(true);
    const stored = await db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('machine_id', '=', withAlerts.machine_id)
      .where('cve_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect((await all<Finding>(`/api/v1/endpoints/${withAlerts.id}/vulnerabilities?status=all`)).length).toBe(
      stored.n,
    );
    const severities = ['Critical', 'High', 'Medium', 'Low'];
    const order = findings.map((f) => severities.indexOf(f.severity ?? ''));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const endpointAlerts = await all<Alert>(`/api/v1/endpoints/${withAlerts.id}/alerts`);
    expect(endpointAlerts.map((a) => a.id).sort()).toEqual(expectedAlerts.map((a) => a.alert_id).sort());
    expect(endpointAlerts.every((a) => a.machineIds.includes(withAlerts.machine_id))).toBe(true);
  });

  /** The stored findings of an endpoint's machine, every status. */
  const storedFindings = (endpoint: EndpointRow): Promise<FindingRow[]> =>
    databaseOf(api.hub.data)
      .selectFrom('findings')
      .selectAll()
      .where('integration_id', '=', endpoint.integration_id)
      .where('machine_id', '=', endpoint.machine_id)
      .execute();

  it('should count and list only findings with a CVE as vulnerabilities', async () => {
    for (const endpoint of withCvelessSoftware) {
      const rows = (await storedFindings(endpoint)).filter((f) => f.cve_id !== null);
      const open = rows.filter((f) => f.status === 'open');
      const bySeverity: Record<string, number> = {};
      for (const f of open)
        bySeverity[f.severity ?? 'Unknown'] = (bySeverity[f.severity ?? 'Unknown'] ?? 0) + 1;

      const { body } = await get<EndpointDetail>(`/api/v1/endpoints/${endpoint.id}`);
      expect(body.openFindings).toBe(open.length);
      expect(body.openFindingsBySeverity).toEqual(bySeverity);
      const [listed] = await all<Endpoint>(`/api/v1/endpoints?search=${endpoint.machine_id}`);
      expect(listed?.openFindings).toBe(open.length);

      const keys = (findings: Finding[]) => findings.map((f) => f.findingKey).sort();
      const vulnerabilities = await all<Finding>(`/api/v1/endpoints/${endpoint.id}/vulnerabilities`);
      expect(vulnerabilities.every((f) => f.cveId !== null)).toBe(true);
      expect(keys(vulnerabilities)).toEqual(open.map((f) => f.finding_key).sort());
      const everyStatus = await all<Finding>(`/api/v1/endpoints/${endpoint.id}/vulnerabilities?status=all`);
      expect(keys(everyStatus)).toEqual(rows.map((f) => f.finding_key).sort());
    }
  });

  it("should list an endpoint's installed software, with and without CVEs, as the store holds it", async () => {
    const targets = [...new Set([...withCvelessSoftware, ...endpoints.slice(0, 5)])];
    const answered: Software[] = [];
    for (const endpoint of targets) {
      const items = await all<Software>(`/api/v1/endpoints/${endpoint.id}/software`);
      expect(items).toEqual(expectedSoftware(await storedFindings(endpoint)));
      answered.push(...items);
    }
    expect(answered.some((s) => s.id !== null && s.openVulnerabilities === 0)).toBe(true);
    expect(answered.some((s) => s.openVulnerabilities > 1)).toBe(true);

    const largest = targets.reduce((a, b) =>
      (openFindings.get(a.machine_id) ?? 0) >= (openFindings.get(b.machine_id) ?? 0) ? a : b,
    );
    const expected = expectedSoftware(await storedFindings(largest));
    const { body } = await get<Page<Software>>(`/api/v1/endpoints/${largest.id}/software?page=2&pageSize=2`);
    expect(body).toEqual({ items: expected.slice(2, 4), total: expected.length, page: 2, pageSize: 2 });
  });

  it("should leave resolved rows out of an endpoint's software", async () => {
    const db = databaseOf(api.hub.data);
    const endpoint = withCvelessSoftware[0]!;
    const open = (await storedFindings(endpoint)).filter((f) => f.status === 'open');
    const cveless = open.find((f) => f.cve_id === null)!;
    const withCve = open.find((f) => f.cve_id !== null)!;
    const resolve = (status: 'open' | 'resolved') =>
      db.updateTable('findings').set({ status }).where('id', 'in', [cveless.id, withCve.id]).execute();
    await resolve('resolved');
    try {
      const items = await all<Software>(`/api/v1/endpoints/${endpoint.id}/software`);
      expect(items).toEqual(expectedSoftware(await storedFindings(endpoint)));
      expect(items.map((s) => s.id)).not.toContain(cveless.finding_key);
    } finally {
      await resolve('open');
    }
  });

  it('should answer 404 for an unknown endpoint and 400 for a malformed id', async () => {
    for (const path of ['', '/vulnerabilities', '/software', '/alerts']) {
      const { status, body } = await get<ErrorAnswer>(`/api/v1/endpoints/999999${path}`);
      expect(status).toBe(404);
      expect(body.error.code).toBe('ENDPOINT_NOT_FOUND');
    }
    expect((await get<ErrorAnswer>('/api/v1/endpoints/abc')).status).toBe(400);
  });

  it('should list the CVE catalog with exposed endpoints, most exposed first', async () => {
    const db = databaseOf(api.hub.data);
    const catalog = await db.selectFrom('vulnerabilities').select(['cve_id', 'severity']).execute();
    const open = await db
      .selectFrom('findings')
      .select(['cve_id', 'machine_id'])
      .where('status', '=', 'open')
      .execute();
    const exposed = new Map<string, Set<string>>();
    for (const f of open)
      if (f.cve_id !== null) exposed.set(f.cve_id, (exposed.get(f.cve_id) ?? new Set()).add(f.machine_id));

    const items = await all<Vulnerability>('/api/v1/vulnerabilities');
    expect(items.length).toBe(catalog.length);
    for (const item of items) expect(item.exposedEndpoints).toBe(exposed.get(item.cveId)?.size ?? 0);
    const counts = items.map((v) => v.exposedEndpoints);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(1);

    const critical = await all<Vulnerability>('/api/v1/vulnerabilities?severity=Critical');
    expect(critical.length).toBe(catalog.filter((v) => v.severity === 'Critical').length);
    expect(critical.every((v) => v.severity === 'Critical')).toBe(true);

    const top = items[0]!;
    const found = await all<Vulnerability>(`/api/v1/vulnerabilities?search=${top.cveId.toLowerCase()}`);
    expect(found.map((v) => v.cveId)).toContain(top.cveId);

    const detail = await get<
      Vulnerability & {
        integrations: { integrationId: string; exposedEndpoints: number; exposedCloudResources: number }[];
      }
    >(`/api/v1/vulnerabilities/${top.cveId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ cveId: top.cveId, exposedEndpoints: top.exposedEndpoints });
    expect(detail.body.integrations).toEqual([
      {
        integrationId,
        exposedEndpoints: top.exposedEndpoints,
        devicesNotImported: top.devicesNotImported,
        exposedCloudResources: 0,
      },
    ]);
    const missing = await get<ErrorAnswer>('/api/v1/vulnerabilities/CVE-1999-0000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('VULNERABILITY_NOT_FOUND');
  });

  it('should list alerts and incidents, most recently updated first, with filters', async () => {
    const db = databaseOf(api.hub.data);
    for (const [table, path] of [
      ['alerts', '/api/v1/alerts'],
      ['incidents', '/api/v1/incidents'],
    ] as const) {
      const stored = await db.selectFrom(table).select(['severity', 'last_update_at']).execute();
      const items = await all<Alert>(path);
      expect(items.length).toBe(stored.length);
      expect(items.length).toBeGreaterThan(0);
      const updates = items.map((i) => Date.parse(i.lastUpdate));
      expect(updates).toEqual([...updates].sort((a, b) => b - a));
      expect(items[0]).not.toHaveProperty('raw');

      const severity = stored[0]!.severity!;
      const bySeverity = await all<Alert>(`${path}?severity=${severity}`);
      expect(bySeverity.length).toBe(stored.filter((s) => s.severity === severity).length);

      const times = stored.map((s) => s.last_update_at).sort();
      const middle = times[Math.floor(times.length / 2)]!;
      const since = await all<Alert>(`${path}?since=${encodeURIComponent(middle)}`);
      expect(since.length).toBe(times.filter((t) => t >= middle).length);

      const one = await get<Alert>(`${path}/${encodeURIComponent(items[0]!.id)}`);
      expect(one.status).toBe(200);
      expect(one.body.id).toBe(items[0]!.id);
      expect(one.body.raw).toMatchObject({ id: items[0]!.id });
      const missing = await get<ErrorAnswer>(`${path}/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe(table === 'alerts' ? 'ALERT_NOT_FOUND' : 'INCIDENT_NOT_FOUND');
    }
    expect((await get<ErrorAnswer>('/api/v1/alerts?since=yesterday')).status).toBe(400);
  });

  it('should list sync runs newest first, filter them and show one', async () => {
    const stored = await databaseOf(api.hub.data).selectFrom('sync_runs').select(['id', 'dataset']).execute();
    const runs = await all<SyncRun>('/api/v1/sync-runs');
    expect(runs.map((r) => r.id)).toEqual(stored.map((r) => r.id).sort((a, b) => b - a));
    const machines = await all<SyncRun>(`/api/v1/sync-runs?dataset=machines&integration=${integrationId}`);
    expect(machines.length).toBe(stored.filter((r) => r.dataset === 'machines').length);
    expect(machines.every((r) => r.dataset === 'machines')).toBe(true);
    expect(await all<SyncRun>('/api/v1/sync-runs?status=failed')).toEqual([]);
    const one = await get<SyncRun>(`/api/v1/sync-runs/${runs[0]!.id}`);
    expect(one.body).toEqual(runs[0]);
    expect(typeof one.body.skippedReasons).toBe('object');
    expect((await get<ErrorAnswer>('/api/v1/sync-runs/999999')).body.error.code).toBe('SYNC_RUN_NOT_FOUND');
  });

  it('should refuse bad paging and unknown query parameters with 400', async () => {
    for (const query of ['pageSize=501', 'page=0', 'colour=blue']) {
      const { status, body } = await get<ErrorAnswer>(
        `/api/v1/endpoints/${endpoints[0]!.id}/software?${query}`,
      );
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('INVALID_INPUT');
    }
    for (const query of [
      'pageSize=501',
      'pageSize=0',
      'page=0',
      'sort=colour',
      'colour=blue',
      'stale=maybe',
    ]) {
      const { status, body } = await get<ErrorAnswer>(`/api/v1/endpoints?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('INVALID_INPUT');
    }
  });

  it('should answer /healthz with the database dialect and the version', async () => {
    const { status, body } = await get('/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', database: dialect, version: expect.any(String) as unknown });
  });

  it('should describe every route in /api/openapi.json', async () => {
    const { status, body } = await get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/api/openapi.json',
    );
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    const routes = Object.entries(body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /api/v1/integrations',
        'POST /api/v1/integrations',
        'POST /api/v1/integrations/test',
        'GET /api/v1/integrations/{id}',
        'PATCH /api/v1/integrations/{id}',
        'DELETE /api/v1/integrations/{id}',
        'POST /api/v1/integrations/{id}/enable',
        'POST /api/v1/integrations/{id}/disable',
        'POST /api/v1/integrations/{id}/test',
        'POST /api/v1/integrations/{id}/sync',
        'GET /api/v1/endpoints',
        'GET /api/v1/endpoints/export',
        'GET /api/v1/endpoints/{id}',
        'GET /api/v1/endpoints/{id}/vulnerabilities',
        'GET /api/v1/endpoints/{id}/software',
        'GET /api/v1/endpoints/{id}/alerts',
        'GET /api/v1/vulnerabilities',
        'GET /api/v1/vulnerabilities/{cveId}',
        'GET /api/v1/alerts',
        'GET /api/v1/alerts/{id}',
        'GET /api/v1/incidents',
        'GET /api/v1/incidents/{id}',
        'GET /api/v1/sync-runs',
        'GET /api/v1/sync-runs/{id}',
        'GET /api/v1/actions',
        'GET /api/v1/actions/{id}',
        'POST /api/v1/endpoints/{id}/actions',
        'POST /api/v1/actions/bulk',
        'POST /api/v1/actions/{id}/cancel',
        'POST /api/v1/hunting/query',
        'GET /api/v1/software',
        'GET /api/v1/software/{id}',
        'GET /api/v1/software/{id}/endpoints',
        'GET /api/v1/software/{id}/vulnerabilities',
        'GET /api/v1/recommendations',
        'GET /api/v1/recommendations/{id}',
        'GET /api/v1/recommendations/{id}/endpoints',
        'GET /api/v1/endpoints/{id}/recommendations',
        'GET /api/v1/exposure-score',
        'GET /api/v1/exposure-score/history',
      ]),
    );
    expect(JSON.stringify(body.paths['/api/v1/integrations'])).toContain('clientSecret');
    expect(routes).not.toContain('GET /api/openapi.json');
  });

  it('should answer unknown routes in the error shape', async () => {
    const { status, body } = await get<ErrorAnswer>('/api/v1/printers?token=abc');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'There is no GET /api/v1/printers.' },
    });
  });

  it('should never have answered the secret', () => {
    for (const body of api.bodies) expect(body).not.toContain(sim.clientSecret);
  });
});
