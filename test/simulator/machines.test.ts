import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { SimHarness, type ODataPage, type Summary } from './helpers.js';

const harness = await SimHarness.start({ machines: 2500, seed: 21, findingsPerMachine: 5 });
const token = await harness.token();
const summary = await harness.json<Summary>('/_sim/truth/summary');

const page = (query: string): Promise<ODataPage> => harness.json<ODataPage>(`/api/machines${query}`, token);

describe('GET /api/machines', () => {
  it('should send the published fields, in the peer-observed order, with no nextLink', async (ctx) => {
    requireFixtures(ctx);
    const published = JSON.parse(readFixture('defender', 'machines-list.json')) as ODataPage;
    const peer = JSON.parse(
      readFixture('peers', 'elastic-machine-test-machine.log').split('\n')[0] ?? '{}',
    ) as Record<string, unknown>;
    const first = await page('?$top=100');
    expect(first['@odata.context']).toBe(`${harness.sim.url}/api/$metadata#Machines`);
    expect(first['@odata.nextLink']).toBeUndefined();
    for (const machine of first.value) {
      expect(Object.keys(machine)).toEqual(Object.keys(peer));
      for (const key of Object.keys(published.value[0] ?? {})) expect(machine).toHaveProperty(key);
      expect(machine.lastSeen).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    }
  });

  it('should page with $top and $skip until a short page, each machine once', async () => {
    const ids: string[] = [];
    for (let skip = 0; ; skip += 1000) {
      const { value } = await page(`?$top=1000&$skip=${skip}`);
      ids.push(...value.map((m) => String(m.id)));
      if (value.length < 1000) break;
    }
    expect(ids).toHaveLength(summary.machines);
    expect(new Set(ids).size).toBe(summary.machines);
    // Past the end is an empty page, not a 404: the tenant has machines.
    expect((await page(`?$skip=${summary.machines}`)).value).toEqual([]);
  });

  it('should default to pages of 10,000 and refuse a larger $top', async () => {
    expect((await page('')).value).toHaveLength(summary.machines);
    const tooMany = await harness.call('/api/machines?$top=10001', { token });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text)).toMatchObject({ error: { code: 'BadRequest' } });
  });

  it('should answer 404 ResourceNotFound when nothing matches, and for a tenant without machines', async () => {
    const none = await harness.call(`/api/machines?$filter=osPlatform eq 'Windows95'`, { token });
    expect(none.status).toBe(404);
    expect(JSON.parse(none.text)).toMatchObject({
      error: { code: 'ResourceNotFound', message: 'No machines found' },
    });
    const empty = await SimHarness.open({ machines: 0 });
    try {
      const reply = await empty.call('/api/machines', { token: await empty.token() });
      expect(reply.status).toBe(404);
    } finally {
      await empty.close();
    }
  });

  it.each([
    ["osPlatform eq 'Windows11'", (m: Record<string, unknown>) => m.osPlatform === 'Windows11'],
    [
      "healthStatus ne 'Active' and onboardingStatus eq 'Onboarded'",
      (m: Record<string, unknown>) => m.healthStatus !== 'Active' && m.onboardingStatus === 'Onboarded',
    ],
    [
      "(riskScore eq 'High' or exposureLevel eq 'High') and rbacGroupId eq 150",
      (m: Record<string, unknown>) =>
        (m.riskScore === 'High' || m.exposureLevel === 'High') && m.rbacGroupId === 150,
    ],
    [
      "startswith(computerDnsName,'srv-')",
      (m: Record<string, unknown>) => String(m.computerDnsName).startsWith('srv-'),
    ],
    ['lastSeen gt 2026-11-01Z', (m: Record<string, unknown>) => String(m.lastSeen) > '2026-11-01'],
    ['aadDeviceId eq null', (m: Record<string, unknown>) => m.aadDeviceId === null],
    [
      "machineTags/any(tag: tag eq 'VIP')",
      (m: Record<string, unknown>) => (m.machineTags as string[]).includes('VIP'),
    ],
  ])('should filter with %s', async (filter, predicate) => {
    const all = (await page('')).value;
    const expected = all.filter(predicate).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(0);
    const filtered = (await page(`?$filter=${encodeURIComponent(filter)}`)).value.map((m) => m.id);
    expect(filtered).toEqual(expected);
  });

  it.each([
    ["osPlatform eq 'Windows11", /unterminated string/],
    ['osPlatform eq', /expected a value/],
    ["osPlatform equals 'x'", /comparison operator/],
    ['lastSeen gt yesterday', /quote text values/],
    ["lastSeen gt 'yesterday'", /'lastSeen' is a date/],
    ["color eq 'red'", /property 'color' cannot be filtered on Machines/],
  ])('should refuse the filter %j with a clear 400', async (filter, message) => {
    const reply = await harness.call(`/api/machines?$filter=${encodeURIComponent(filter)}`, { token });
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.text) as { error: { code: string; message: string } };
    expect(['ODataError', 'InvalidInput']).toContain(body.error.code);
    expect(body.error.message).toMatch(message);
  });

  it('should accept the /api/v1.0 prefix', async () => {
    expect((await harness.json<ODataPage>('/api/v1.0/machines?$top=3', token)).value).toHaveLength(3);
  });
});

describe('GET /api/machines/{id}', () => {
  it('should find a machine by id and by computer name, and answer 404 otherwise', async () => {
    const [machine] = (
      await page(`?$filter=${encodeURIComponent("startswith(computerDnsName,'srv-')")}&$top=1`)
    ).value;
    const byId = await harness.json<Record<string, unknown>>(`/api/machines/${String(machine?.id)}`, token);
    expect(byId).toMatchObject({
      ...machine,
      '@odata.context': `${harness.sim.url}/api/$metadata#Machines/$entity`,
    });
    const byName = await harness.json<Record<string, unknown>>(
      `/api/machines/${String(machine?.computerDnsName)}`,
      token,
    );
    expect(byName.id).toBe(machine?.id);
    const missing = await harness.call('/api/machines/123123123', { token });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({
      error: { code: 'ResourceNotFound', message: 'Machine 123123123 was not found' },
    });
  });
});

describe('other MDE lists', () => {
  it('should list the vulnerability catalog within the 8,000 cap, with exposure counts', async () => {
    const first = await harness.json<ODataPage>('/api/vulnerabilities?$top=8000', token);
    expect(first.value).toHaveLength(summary.vulnerabilities);
    const tooMany = await harness.call('/api/vulnerabilities?$top=8001', { token });
    expect(tooMany.status).toBe(400);
    const critical = await harness.json<ODataPage>(
      `/api/vulnerabilities?$filter=${encodeURIComponent("severity eq 'Critical'")}`,
      token,
    );
    expect(critical.value.every((v) => v.severity === 'Critical')).toBe(true);
    const exposed = first.value.reduce((n, v) => n + Number(v.exposedMachines), 0);
    expect(exposed).toBe(summary.findings - summary.findingsWithoutCve);
    const one = await harness.json<Record<string, unknown>>(
      `/api/vulnerabilities/${String(first.value[0]?.id)}`,
      token,
    );
    expect(one.id).toBe(first.value[0]?.id);
  });

  it('should list machine actions and get one by id', async () => {
    const actions = await harness.json<ODataPage>('/api/machineactions', token);
    expect(actions.value.length).toBeGreaterThan(3);
    const [action] = actions.value;
    expect(action).toHaveProperty('lastUpdateTimeUtc');
    expect(action).toHaveProperty('lastUpdateDateTimeUtc');
    const byId = await harness.json<Record<string, unknown>>(
      `/api/machineactions/${String(action?.id)}`,
      token,
    );
    expect(byId.type).toBe(action?.type);
    const filtered = await harness.json<ODataPage>(
      `/api/machineactions?$filter=${encodeURIComponent(`type eq '${String(action?.type)}'`)}`,
      token,
    );
    expect(filtered.value.every((a) => a.type === action?.type)).toBe(true);
  });

  it('should list alerts with evidence only on $expand=evidence, and filter by lastUpdateTime', async () => {
    const plain = await harness.json<ODataPage>('/api/alerts?$top=5', token);
    expect(
      plain.value.every((a) => Array.isArray(a.evidence) && (a.evidence as unknown[]).length === 0),
    ).toBe(true);
    const expanded = await harness.json<ODataPage>('/api/alerts?$top=5&$expand=evidence', token);
    expect(expanded.value.some((a) => (a.evidence as unknown[]).length > 0)).toBe(true);
    const all = await harness.json<ODataPage>('/api/alerts', token);
    expect(all.value).toHaveLength(summary.alerts);
    const pivot = String(all.value[Math.floor(all.value.length / 2)]?.lastUpdateTime);
    const since = await harness.json<ODataPage>(
      `/api/alerts?$filter=${encodeURIComponent(`lastUpdateTime ge ${pivot}`)}`,
      token,
    );
    expect(since.value.length).toBe(all.value.filter((a) => String(a.lastUpdateTime) >= pivot).length);
    const one = await harness.json<Record<string, unknown>>(`/api/alerts/${String(all.value[0]?.id)}`, token);
    expect(one.id).toBe(all.value[0]?.id);
    expect(one['@odata.context']).toBeUndefined();
  });
});
