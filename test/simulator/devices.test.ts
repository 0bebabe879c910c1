import { describe, expect, it } from 'vitest';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import { GRAPH, readAllPages, SimHarness, type ODataPage } from './helpers.js';

interface TruthDevices {
  devices: Record<string, unknown>[];
  joined: { machineId: string; deviceObjectId: string; deviceId: string }[];
  entraOnly: string[];
  machinesWithoutDevice: { machineId: string; aadDeviceId: string | null }[];
}

interface TruthMachine {
  id: string;
}

const FIELDS = [
  'id',
  'deviceId',
  'displayName',
  'operatingSystem',
  'operatingSystemVersion',
  'trustType',
  'isCompliant',
  'isManaged',
  'approximateLastSignInDateTime',
  'accountEnabled',
  'registrationDateTime',
];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GRAPH_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const harness = await SimHarness.start({ machines: 800, seed: 31, findingsPerMachine: 1 });
const token = await harness.token(GRAPH);
const truth = await harness.json<TruthDevices>('/_sim/truth/devices');
const machines = await harness.json<TruthMachine[]>('/_sim/truth/machines');

const page = (query: string): Promise<ODataPage> => harness.json<ODataPage>(`/v1.0/devices${query}`, token);

async function graphError(
  path: string,
  bearer = token,
): Promise<{ status: number; code: unknown; body: unknown }> {
  const reply = await harness.call(path, { token: bearer });
  const body = JSON.parse(reply.text) as { error?: { code?: unknown } };
  return { status: reply.status, code: body.error?.code, body };
}

describe('GET /v1.0/devices', () => {
  it("should send Graph's device fields, typed as Graph types them", async () => {
    const first = await page('');
    expect(first['@odata.context']).toBe(`${harness.sim.url}/v1.0/$metadata#devices`);
    expect(first.value).toHaveLength(100);
    for (const device of first.value) {
      for (const field of FIELDS) expect(device).toHaveProperty(field);
      expect(device.id).toMatch(GUID);
      expect(device.deviceId).toMatch(GUID);
      expect(typeof device.displayName).toBe('string');
      expect(['AzureAd', 'Workplace', 'ServerAd']).toContain(device.trustType);
      expect(typeof device.accountEnabled).toBe('boolean');
      expect(typeof device.isManaged).toBe('boolean');
      expect([true, false, null]).toContain(device.isCompliant);
      expect(device.approximateLastSignInDateTime).toMatch(GRAPH_TIME);
      expect(device.registrationDateTime).toMatch(GRAPH_TIME);
      expect(String(device.registrationDateTime) <= String(device.approximateLastSignInDateTime)).toBe(true);
    }
    const trustTypes = new Set(truth.devices.map((d) => d.trustType));
    expect([...trustTypes].sort()).toEqual(['AzureAd', 'ServerAd', 'Workplace']);
  });

  it('should return exactly the $select-ed properties', async () => {
    const selected = await page('?$select=id,deviceId,trustType&$top=5');
    expect(selected['@odata.context']).toBe(
      `${harness.sim.url}/v1.0/$metadata#devices(id,deviceId,trustType)`,
    );
    for (const device of selected.value) expect(Object.keys(device)).toEqual(['id', 'deviceId', 'trustType']);
    const unknown = await graphError('/v1.0/devices?$select=id,shoeSize');
    expect(unknown).toMatchObject({ status: 400, code: 'Request_BadRequest' });
  });

  it('should page with @odata.nextLink and $skiptoken through every device once, in truth order', async () => {
    const { records, pages } = await readAllPages(harness, '/v1.0/devices?$top=37', token);
    expect(records).toEqual(truth.devices);
    expect(pages).toBe(Math.ceil(truth.devices.length / 37));
    const first = await page('?$top=37&$select=id');
    expect(first['@odata.nextLink']).toMatch(/\/v1\.0\/devices\?.*\$top=37.*\$skiptoken=[A-Za-z0-9_-]+$/);
    expect(first['@odata.nextLink']).toContain('$select=id');
    // The default page is 100; the last page carries no nextLink.
    const all = await readAllPages(harness, '/v1.0/devices', token);
    expect(all.records).toHaveLength(truth.devices.length);
    expect(all.pages).toBe(Math.ceil(truth.devices.length / 100));
  });

  it("should take $top from 1 to 999 and refuse the rest with Graph's error shape", async () => {
    expect((await page('?$top=999')).value).toHaveLength(Math.min(999, truth.devices.length));
    expect((await page('?$top=1')).value).toHaveLength(1);
    for (const top of ['0', '1000', 'ten', '-1']) {
      const refused = await graphError(`/v1.0/devices?$top=${top}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        error: {
          code: 'Request_BadRequest',
          message: expect.stringContaining('between 1 and 999') as unknown,
          innerError: { 'request-id': expect.any(String) as unknown },
        },
      });
    }
  });

  it('should filter trivially and refuse what needs advanced queries', async () => {
    const joined = await readAllPages(
      harness,
      `/v1.0/devices?$filter=trustType eq 'AzureAd'&$top=999`,
      token,
    );
    expect(joined.records.map((d) => d.id)).toEqual(
      truth.devices.filter((d) => d.trustType === 'AzureAd').map((d) => d.id),
    );
    const target = truth.joined[3];
    const one = await page(
      `?$filter=deviceId eq '${target?.deviceId ?? ''}' and accountEnabled eq ${String(
        truth.devices.find((d) => d.id === target?.deviceObjectId)?.accountEnabled,
      )}`,
    );
    expect(one.value.map((d) => d.id)).toEqual([target?.deviceObjectId]);
    for (const query of [
      `$filter=contains(displayName,'a')`,
      `$filter=trustType ne 'AzureAd'`,
      `$filter=isManaged eq true`,
      '$skip=10',
      '$orderby=displayName',
      '$count=true',
    ]) {
      const refused = await graphError(`/v1.0/devices?${query}`);
      expect(refused, query).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
    }
  });

  it('should answer without ConsistencyLevel, and with it', async () => {
    const reply = await harness.call('/v1.0/devices?$top=3', {
      token,
      headers: { ConsistencyLevel: 'eventual' },
    });
    expect(reply.status).toBe(200);
  });
});

describe('the Entra device world', () => {
  it('should join most machines with an aadDeviceId, and leave both kinds of unmatched', () => {
    const machineIds = new Set(machines.map((m) => m.id));
    const deviceIds = new Set(truth.devices.map((d) => d.id));
    expect(new Set(truth.joined.map((j) => j.machineId)).size).toBe(truth.joined.length);
    for (const pair of truth.joined) {
      expect(machineIds.has(pair.machineId)).toBe(true);
      expect(deviceIds.has(pair.deviceObjectId)).toBe(true);
      expect(truth.devices.find((d) => d.id === pair.deviceObjectId)?.deviceId).toBe(pair.deviceId);
    }
    const withId = truth.machinesWithoutDevice.filter((m) => m.aadDeviceId !== null).length;
    const withoutId = truth.machinesWithoutDevice.filter((m) => m.aadDeviceId === null).length;
    expect(withoutId).toBeGreaterThan(0);
    expect(withId).toBeGreaterThan(0);
    expect(truth.joined.length).toBeGreaterThan(5 * withId);
    expect(truth.joined.length + truth.machinesWithoutDevice.length).toBe(machines.length);
    expect(truth.entraOnly.length).toBeGreaterThanOrEqual(Math.ceil(800 * 0.15));
    expect(truth.joined.length + truth.entraOnly.length).toBe(truth.devices.length);
    const phones = truth.devices.filter(
      (d) => truth.entraOnly.includes(String(d.id)) && ['iOS', 'Android'].includes(String(d.operatingSystem)),
    );
    expect(phones.length).toBeGreaterThan(0);
  });

  it("should be the same world for the same seed, and keep a departed machine's device as Entra-only", async () => {
    const twin = await SimHarness.open({ machines: 800, seed: 31, findingsPerMachine: 1 });
    try {
      expect(await twin.json<TruthDevices>('/_sim/truth/devices')).toEqual(truth);
      await twin.post('/_sim/advance', { hours: 48 });
      const later = await twin.json<TruthDevices>('/_sim/truth/devices');
      const laterMachines = new Set(
        (await twin.json<TruthMachine[]>('/_sim/truth/machines')).map((m) => m.id),
      );
      const departed = truth.joined.filter((j) => !laterMachines.has(j.machineId));
      expect(departed.length).toBeGreaterThan(0);
      for (const pair of departed) expect(later.entraOnly).toContain(pair.deviceObjectId);
      const graphToken = await twin.token(GRAPH);
      const { records } = await readAllPages(twin, '/v1.0/devices?$top=999', graphToken);
      expect(records).toEqual(later.devices);
    } finally {
      await twin.close();
    }
  });
});

describe('permission and faults', () => {
  it("should refuse a token without Device.Read.All or Directory.Read.All with the directory's 403", async () => {
    const sim = await SimHarness.open({
      machines: 50,
      seed: 32,
      roles: ALL_ROLES.filter((r) => r !== 'Device.Read.All' && r !== 'Directory.Read.All'),
    });
    try {
      const reply = await sim.call('/v1.0/devices', { token: await sim.token(GRAPH) });
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.text)).toMatchObject({
        error: {
          code: 'Authorization_RequestDenied',
          message: 'Insufficient privileges to complete the operation.',
          innerError: { 'request-id': expect.any(String) as unknown },
        },
      });
      sim.sim.control.configure({ roles: ['Directory.Read.All'] });
      expect((await sim.call('/v1.0/devices', { token: await sim.token(GRAPH) })).status).toBe(200);
      sim.sim.control.configure({ roles: ['Device.Read.All'] });
      expect((await sim.call('/v1.0/devices', { token: await sim.token(GRAPH) })).status).toBe(200);
      // A Defender token is not a Graph token.
      expect((await sim.call('/v1.0/devices', { token: await sim.token() })).status).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it('should honour injected faults on the route', async () => {
    await harness.post('/_sim/faults', { queue: [{ fault: '503', path: '/v1.0/devices', count: 1 }] });
    const unavailable = await harness.call('/v1.0/devices', { token });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBeDefined();
    expect((await harness.call('/v1.0/devices', { token })).status).toBe(200);
  });
});
