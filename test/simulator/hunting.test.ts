import { describe, expect, it } from 'vitest';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import { GRAPH, MDE, SimHarness, type ODataPage, type Reply, type Summary } from './helpers.js';

// Over 100,000 vulnerability rows, so the result-size cap can be passed for real.
const harness = await SimHarness.start({ machines: 2500, seed: 71 });
const graphToken = await harness.token(GRAPH);
const mdeToken = await harness.token(MDE);

interface GraphResult {
  readonly schema: { name: string; type: string }[];
  readonly results: Record<string, unknown>[];
}
interface MdeResult {
  readonly Schema: { Name: string; Type: string }[];
  readonly Results: Record<string, unknown>[];
}
interface TruthMachine {
  readonly id: string;
  readonly osPlatform: string;
}

function graphHunt(query: string, timespan?: string, token = graphToken, target = harness): Promise<Reply> {
  return target.call('/v1.0/security/runHuntingQuery', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(timespan === undefined ? { Query: query } : { Query: query, Timespan: timespan }),
  });
}

function mdeHunt(body: unknown, token = mdeToken): Promise<Reply> {
  return harness.call('/api/advancedqueries/run', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function graphRows(query: string, timespan?: string): Promise<GraphResult> {
  const reply = await graphHunt(query, timespan);
  expect(reply.status, reply.text).toBe(200);
  return JSON.parse(reply.text) as GraphResult;
}

function errorOf(reply: Reply): { code: string; message: string } & Record<string, unknown> {
  return (JSON.parse(reply.text) as { error: { code: string; message: string } & Record<string, unknown> })
    .error;
}

describe('advanced hunting over the simulated tenant', () => {
  it('should count Windows 11 devices as the truth lists them', async () => {
    const machines = await harness.json<TruthMachine[]>('/_sim/truth/machines');
    const expected = machines.filter((m) => m.osPlatform === 'Windows11').length;
    expect(expected).toBeGreaterThan(100);
    // A window long enough for every device: DeviceInfo holds what reported within it.
    const body = await graphRows(
      'DeviceInfo | where OSPlatform == "Windows11" | summarize count() by OSPlatform',
      'P3650D',
    );
    expect(body.schema).toEqual([
      { name: 'OSPlatform', type: 'String' },
      { name: 'count_', type: 'Int64' },
    ]);
    expect(body.results).toEqual([{ OSPlatform: 'Windows11', count_: expected }]);
    const all = await graphRows('DeviceInfo | summarize n = count() by OSPlatform', 'P3650D');
    const summary = await harness.json<Summary>('/_sim/truth/summary');
    expect(Object.fromEntries(all.results.map((r) => [r.OSPlatform, r.n]))).toEqual(summary.byPlatform);
  });

  it('should look back 30 days by default, by the devices last-seen time', async () => {
    const page = await harness.json<ODataPage>('/api/machines?$top=10000', mdeToken);
    const now = Date.parse((await harness.json<Summary>('/_sim/truth/summary')).now);
    const recent = page.value.filter((m) => Date.parse(String(m.lastSeen)) >= now - 30 * 86_400_000);
    expect(recent.length).toBeLessThan(page.value.length);
    const body = await graphRows('DeviceInfo | project DeviceId, Timestamp');
    expect(body.results.map((r) => r.DeviceId).sort()).toEqual(recent.map((m) => m.id).sort());
    const byId = new Map(page.value.map((m) => [m.id, m.lastSeen]));
    for (const row of body.results.slice(0, 50)) expect(row.Timestamp).toBe(byId.get(String(row.DeviceId)));
  });

  it("should list a device's vulnerabilities as its full-export findings with a CVE", async () => {
    const machines = await harness.json<TruthMachine[]>('/_sim/truth/machines');
    const machine = machines.find((m) => m.osPlatform === 'Windows10');
    expect(machine).toBeDefined();
    const findings = await harness.json<Record<string, unknown>[]>(
      `/_sim/truth/findings?machineId=${machine!.id}`,
    );
    const expected = findings
      .filter((f) => f.cveId !== null)
      .map(
        (f) =>
          `${String(f.cveId)}|${String(f.softwareName)}|${String(f.softwareVersion)}|${String(f.vulnerabilitySeverityLevel)}`,
      )
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const body = await graphRows(
      `DeviceTvmSoftwareVulnerabilities | where DeviceId == "${machine!.id}" | project CveId, SoftwareName, SoftwareVersion, VulnerabilitySeverityLevel`,
    );
    const rows = body.results.map(
      (r) =>
        `${String(r.CveId)}|${String(r.SoftwareName)}|${String(r.SoftwareVersion)}|${String(r.VulnerabilitySeverityLevel)}`,
    );
    expect(rows.sort()).toEqual(expected);
  });

  it('should count every vulnerability row of the tenant without sending them', async () => {
    const summary = await harness.json<Summary>('/_sim/truth/summary');
    const body = await graphRows('DeviceTvmSoftwareVulnerabilities | count');
    expect(body.results).toEqual([{ Count: summary.findings - summary.findingsWithoutCve }]);
    const critical = await graphRows(
      'DeviceTvmSoftwareVulnerabilities | where VulnerabilitySeverityLevel == "Critical" | summarize count()',
    );
    expect(critical.results).toEqual([{ count_: summary.bySeverity.Critical }]);
  });

  it('should list the alerts the alert routes serve, honouring a Timespan', async () => {
    const truth =
      await harness.json<{ id: string; severity: string; createdDateTime: string }[]>('/_sim/truth/alerts');
    const body = await graphRows('AlertInfo | project AlertId, Severity, Timestamp, ServiceSource');
    expect(body.results.map((r) => r.AlertId).sort()).toEqual(truth.map((a) => a.id).sort());
    const severity = new Map(truth.map((a) => [a.id, a.severity]));
    for (const row of body.results) {
      expect(String(row.Severity).toLowerCase()).toBe(severity.get(String(row.AlertId))?.toLowerCase());
      expect(row.ServiceSource).toBe('Microsoft Defender for Endpoint');
    }
    const now = Date.parse((await harness.json<Summary>('/_sim/truth/summary')).now);
    const lastDay = truth.filter((a) => Date.parse(a.createdDateTime) >= now - 86_400_000).map((a) => a.id);
    const recent = await graphRows('AlertInfo | project AlertId', 'P1D');
    expect(recent.results.map((r) => r.AlertId).sort()).toEqual(lastDay.sort());
    const newest = await graphRows('AlertInfo | top 1 by Timestamp | project AlertId');
    const latest = [...truth].sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime))[0];
    expect(newest.results).toEqual([{ AlertId: latest?.id }]);
  });

  it('should answer the MDE API with PascalCase keys and the same rows', async () => {
    const query = 'DeviceInfo | summarize Devices = count() by OSPlatform | order by OSPlatform asc';
    const reply = await mdeHunt({ Query: query });
    expect(reply.status, reply.text).toBe(200);
    const body = JSON.parse(reply.text) as MdeResult;
    expect(Object.keys(body)).toEqual(['Schema', 'Results']);
    expect(body.Schema).toEqual([
      { Name: 'OSPlatform', Type: 'String' },
      { Name: 'Devices', Type: 'Int64' },
    ]);
    expect(body.Results).toEqual((await graphRows(query)).results);
    const missing = await mdeHunt({ query });
    expect(missing.status).toBe(400);
    expect(errorOf(missing)).toMatchObject({ code: 'MissingRequiredParameter' });
  });

  it('should refuse a query outside the subset with a 400 naming the operator and its position', async () => {
    const graph = await graphHunt('DeviceInfo\n| join kind=inner (AlertInfo) on DeviceId');
    expect(graph.status).toBe(400);
    const error = errorOf(graph);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(/does not support the 'join' operator on line \[2,3\]/);
    expect(Object.keys(error.innerError as object)).toContain('request-id');
    const mde = await mdeHunt({ Query: 'DeviceEvents | take 10' });
    expect(mde.status).toBe(400);
    const mdeError = errorOf(mde);
    expect(mdeError.code).toBe('BadRequest');
    expect(mdeError.message).toMatch(
      /Failed to resolve table expression named 'DeviceEvents' on line \[1,1\]/,
    );
    expect(typeof mdeError.target).toBe('string');
    const column = errorOf(await graphHunt('AlertInfo | where Status == "New"'));
    expect(column.message).toMatch(/Failed to resolve scalar expression named 'Status' on line \[1,19\]/);
    const timespan = await graphHunt('AlertInfo | take 1', 'last week');
    expect(timespan.status).toBe(400);
    expect(errorOf(timespan).message).toMatch(/Timespan "last week" is not an ISO 8601 interval/);
  });

  it('should refuse a result over 100,000 rows with the documented result-size 400', async () => {
    const reply = await graphHunt('DeviceTvmSoftwareVulnerabilities | project DeviceId, CveId');
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toMatchObject({
      code: 'BadRequest',
      message:
        'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again.',
    });
    const capped = await graphRows('DeviceTvmSoftwareVulnerabilities | project DeviceId, CveId | take 5');
    expect(capped.results).toHaveLength(5);
  });

  it('should need ThreatHunting.Read.All on Graph and AdvancedQuery.Read.All on MDE', async () => {
    await harness.post('/_sim/control', {
      roles: ALL_ROLES.filter((r) => r !== 'ThreatHunting.Read.All' && r !== 'AdvancedQuery.Read.All'),
    });
    try {
      const graph = await graphHunt('DeviceInfo | take 1', undefined, await harness.token(GRAPH));
      expect(graph.status).toBe(403);
      expect(errorOf(graph).message).toMatch(/API required roles: ThreatHunting\.Read\.All/);
      const mde = await mdeHunt({ Query: 'DeviceInfo | take 1' }, await harness.token(MDE));
      expect(mde.status).toBe(403);
      expect(errorOf(mde).message).toMatch(/\(AdvancedQuery\.Read\.All\)/);
    } finally {
      await harness.post('/_sim/control', { roles: null });
    }
  });
});

describe('advanced hunting quotas', () => {
  it('should answer the 46th call in a minute 429 with Retry-After', async () => {
    const limited = await SimHarness.open({ machines: 5, seed: 72, rateLimits: true });
    try {
      const token = await limited.token(GRAPH);
      const replies = await Promise.all(
        Array.from({ length: 46 }, () => graphHunt('DeviceInfo | count', undefined, token, limited)),
      );
      expect(replies.filter((r) => r.status === 200)).toHaveLength(45);
      const refused = replies.filter((r) => r.status === 429);
      expect(refused).toHaveLength(1);
      const retryAfter = Number(refused[0]?.headers['retry-after']);
      expect(retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(errorOf(refused[0]!)).toMatchObject({ code: 'TooManyRequests' });
      const stats = await limited.json<{ rateLimited: Record<string, number> }>('/_sim/stats');
      expect(stats.rateLimited).toEqual({ hunting: 1 });
    } finally {
      await limited.close();
    }
  });

  it('should answer 429 once the CPU quota is spent, and again after it is reset', async () => {
    await harness.post('/_sim/hunting', { cpuRowsPerMinute: 1000 });
    try {
      // Checked before a query runs, charged after: the first one may overdraw the quota.
      expect((await graphHunt('DeviceInfo | count')).status).toBe(200);
      const settings = await harness.json<{ cpuRowsUsedLastMinute: number }>('/_sim/hunting');
      expect(settings.cpuRowsUsedLastMinute).toBe(
        (await harness.json<Summary>('/_sim/truth/summary')).machines,
      );
      const refused = await mdeHunt({ Query: 'DeviceInfo | take 1' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(errorOf(refused).code).toBe('TooManyRequests');
      expect(errorOf(refused).message).toMatch(/CPU quota/);
    } finally {
      await harness.post('/_sim/hunting', { cpuRowsPerMinute: null });
    }
    expect((await graphHunt('DeviceInfo | take 1')).status).toBe(200);
  });
});
