import { describe, expect, it } from 'vitest';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import { dialects } from '../support/stores.js';
import { perItemRoutes, simGet, simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';

interface TruthDevices {
  devices: Record<string, unknown>[];
  joined: { machineId: string; deviceObjectId: string; deviceId: string }[];
  entraOnly: string[];
  machinesWithoutDevice: { machineId: string; aadDeviceId: string | null }[];
}

interface EntraRef {
  id: string;
  deviceId: string;
  trustType: string | null;
  joinType: 'joined' | 'registered' | 'hybridJoined';
}

interface EndpointItem {
  id: number;
  machineId: string;
  entraDevice: EntraRef | null;
}

interface DeviceItem {
  id: string;
  integrationId: string;
  deviceId: string;
  displayName: string | null;
  operatingSystem: string | null;
  operatingSystemVersion: string | null;
  trustType: string | null;
  joinType: string;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  accountEnabled: boolean | null;
  lastSignInAt: string | null;
  registeredAt: string | null;
  endpointId: number | null;
}

const time = (value: unknown): number | null => (typeof value === 'string' ? Date.parse(value) : null);

/** A stored device in the truth's terms: the Graph members the hub keeps. */
function stored(d: DeviceItem) {
  return {
    id: d.id,
    deviceId: d.deviceId,
    displayName: d.displayName,
    operatingSystem: d.operatingSystem,
    operatingSystemVersion: d.operatingSystemVersion,
    trustType: d.trustType,
    isCompliant: d.isCompliant,
    isManaged: d.isManaged,
    accountEnabled: d.accountEnabled,
    lastSignIn: time(d.lastSignInAt),
    registration: time(d.registeredAt),
  };
}

function fromTruth(r: Record<string, unknown>) {
  return {
    id: r.id,
    deviceId: String(r.deviceId).toLowerCase(),
    displayName: r.displayName ?? null,
    operatingSystem: r.operatingSystem ?? null,
    operatingSystemVersion: r.operatingSystemVersion ?? null,
    trustType: r.trustType ?? null,
    isCompliant: r.isCompliant ?? null,
    isManaged: r.isManaged ?? null,
    accountEnabled: r.accountEnabled ?? null,
    lastSignIn: time(r.approximateLastSignInDateTime),
    registration: time(r.registrationDateTime),
  };
}

const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);

async function total(api: TestApi, url: string): Promise<number> {
  const answer = await api.call<{ total: number }>('GET', url);
  expect(answer.status).toBe(200);
  return answer.body.total;
}

/** What the hub must find: the truth's pairs, for the machines that are endpoints. */
function expectations(truth: TruthDevices, endpoints: readonly EndpointItem[]) {
  const machines = new Set(endpoints.map((e) => e.machineId));
  const joined = new Map(
    truth.joined.filter((j) => machines.has(j.machineId)).map((j) => [j.machineId, j.deviceObjectId]),
  );
  const onboarded = new Set(joined.values());
  const notOnboarded = truth.devices.map((d) => String(d.id)).filter((id) => !onboarded.has(id));
  return { joined, onboarded, notOnboarded };
}

describe.each(dialects)('Entra ID devices on %s', (dialect) => {
  it('should store the directory as the truth has it and join it to endpoints by aadDeviceId', async () => {
    const sim = await useSimulator({ machines: 400, seed: 61, findingsPerMachine: 1 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    for (const round of [0, 1]) {
      if (round === 1) await simPost(sim, '/_sim/advance', { hours: 72 });
      const machinesRun = await api.hub.sync.runDataset(integration.id, 'machines', { force: true });
      expect(machinesRun.status).toBe('succeeded');
      const run = await api.hub.sync.runDataset(integration.id, 'entraDevices');
      expect(run.status).toBe('succeeded');
      expect(run.complete).toBe(true);

      const truth = await simGet<TruthDevices>(sim, '/_sim/truth/devices');
      expect(run.recordsIn).toBe(truth.devices.length);
      expect(run.upserted).toBe(truth.devices.length);
      const devices = await allPages<DeviceItem>(api, '/api/v1/entra-devices');
      expect(devices.map(stored).sort(byId)).toEqual(
        truth.devices.map(fromTruth).sort((a, b) => String(a.id).localeCompare(String(b.id))),
      );

      const endpoints = await allPages<EndpointItem>(api, '/api/v1/endpoints');
      const expected = expectations(truth, endpoints);
      const ours = new Map(
        endpoints.flatMap((e) => (e.entraDevice === null ? [] : [[e.machineId, e.entraDevice.id] as const])),
      );
      expect(ours).toEqual(expected.joined);
      expect(ours.size).toBeGreaterThan(0);
      // Some endpoints have no device (none, or an id the directory lost): entra=none counts them in SQL.
      const none = endpoints.length - expected.joined.size;
      expect(none).toBeGreaterThan(0);
      expect(await total(api, '/api/v1/endpoints?entra=none&pageSize=1')).toBe(none);
      for (const joinType of ['joined', 'registered', 'hybridJoined'] as const)
        expect(await total(api, `/api/v1/endpoints?entra=${joinType}&pageSize=1`)).toBe(
          endpoints.filter((e) => e.entraDevice?.joinType === joinType).length,
        );
      expect(await total(api, '/api/v1/endpoints?entra=joined,hybridJoined,none&pageSize=1')).toBe(
        endpoints.filter((e) => e.entraDevice?.joinType !== 'registered').length,
      );
      const paged = await api.call<{ items: EndpointItem[]; total: number }>(
        'GET',
        '/api/v1/endpoints?entra=none&pageSize=7&page=2',
      );
      expect(paged.body.total).toBe(none);
      expect(paged.body.items.every((e) => e.entraDevice === null)).toBe(true);

      // The coverage gap: the truth's Entra-only devices, and those of machines the hub drops (mobile, IoT).
      const gap = await allPages<DeviceItem>(api, '/api/v1/entra-devices?onboarded=false');
      expect(gap.map((d) => d.id).sort()).toEqual([...expected.notOnboarded].sort());
      expect(gap.every((d) => d.endpointId === null)).toBe(true);
      const gapIds = new Set(gap.map((d) => d.id));
      for (const id of truth.entraOnly) expect(gapIds.has(id)).toBe(true);
      const onboarded = await allPages<DeviceItem>(api, '/api/v1/entra-devices?onboarded=true');
      expect(new Set(onboarded.map((d) => d.id))).toEqual(expected.onboarded);
      const endpointIds = new Map(endpoints.map((e) => [e.machineId, e.id]));
      const deviceEndpoint = new Map(onboarded.map((d) => [d.id, d.endpointId]));
      for (const [machineId, deviceId] of expected.joined)
        expect(deviceEndpoint.get(deviceId)).toBe(endpointIds.get(machineId));
      const workplace = gap.filter((d) => d.trustType === 'Workplace').length;
      expect(
        await total(
          api,
          `/api/v1/entra-devices?onboarded=false&trustType=Workplace&integration=${integration.id}`,
        ),
      ).toBe(workplace);

      // The detail carries the same device.
      const sample = endpoints.find((e) => e.entraDevice !== null)!;
      const detail = await api.call<EndpointItem>('GET', `/api/v1/endpoints/${sample.id}`);
      expect(detail.body.entraDevice).toEqual(sample.entraDevice);
    }
    expect(await perItemRoutes(sim)).toEqual([]);
  });

  it('should join an endpoint to the latest signed-in of the devices sharing its deviceId, the lower id on a tie', async () => {
    const sim = await useSimulator({ machines: 30, seed: 63, findingsPerMachine: 1 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    expect((await api.hub.sync.runDataset(integration.id, 'machines')).status).toBe('succeeded');
    expect((await api.hub.sync.runDataset(integration.id, 'entraDevices')).status).toBe('succeeded');
    const endpoints = await allPages<EndpointItem>(api, '/api/v1/endpoints');
    const [first, second] = endpoints.filter((e) => e.entraDevice !== null);
    const now = new Date().toISOString();
    // Re-registered devices: Entra keeps a new object with the same deviceId beside the old one.
    const copy = (of: EntraRef, objectId: string, signIn: string) => ({
      integrationId: integration.id,
      objectId,
      deviceId: of.deviceId,
      displayName: `copy of ${of.id}`,
      operatingSystem: null,
      operatingSystemVersion: null,
      trustType: 'AzureAd',
      isCompliant: 1,
      isManaged: 1,
      lastSignInAt: signIn,
      accountEnabled: 1,
      registrationAt: null,
      raw: '{}',
      runId: 0,
      firstSyncedAt: now,
      lastSyncedAt: now,
    });
    const later = '2999-01-01T00:00:00.000Z';
    await api.hub.data.entraDevices.upsertBatch([
      copy(first!.entraDevice!, 'ffffffff-0000-0000-0000-000000000001', '2000-01-01T00:00:00.000Z'),
      copy(first!.entraDevice!, 'ffffffff-0000-0000-0000-000000000002', later),
      copy(second!.entraDevice!, 'ffffffff-0000-0000-0000-000000000004', later),
      copy(second!.entraDevice!, 'ffffffff-0000-0000-0000-000000000003', later),
    ]);
    const device = async (e: EndpointItem) =>
      (await api.call<EndpointItem>('GET', `/api/v1/endpoints/${e.id}`)).body.entraDevice?.id;
    expect(await device(first!)).toBe('ffffffff-0000-0000-0000-000000000002');
    expect(await device(second!)).toBe('ffffffff-0000-0000-0000-000000000003');
    const listed = await allPages<EndpointItem>(api, '/api/v1/endpoints');
    expect(listed.find((e) => e.id === second!.id)?.entraDevice?.id).toBe(
      'ffffffff-0000-0000-0000-000000000003',
    );
  });

  it('should mark only the entraDevices run not permitted, naming the permission, without Device.Read.All', async () => {
    const sim = await useSimulator({
      machines: 60,
      seed: 62,
      findingsPerMachine: 1,
      roles: ALL_ROLES.filter((r) => r !== 'Device.Read.All' && r !== 'Directory.Read.All'),
    });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const runs = await api.hub.sync.syncIntegration(integration.id);
    const entra = runs.find((r) => r.dataset === 'entraDevices');
    expect(entra?.status).toBe('notPermitted');
    expect(entra?.errorCode).toBe('SYNC_NOT_PERMITTED');
    expect(entra?.errorMessage).toContain('Entra devices need Device.Read.All');
    expect(entra?.apiCalls).toBe(0);
    const others = runs.filter((r) => r.dataset !== 'entraDevices');
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((r) => r.status !== 'succeeded').map((r) => [r.dataset, r.errorCode])).toEqual([]);
    // The endpoints are there, without devices.
    const endpoints = await allPages<EndpointItem>(api, '/api/v1/endpoints');
    expect(endpoints.length).toBeGreaterThan(0);
    expect(endpoints.every((e) => e.entraDevice === null)).toBe(true);
    expect(await total(api, '/api/v1/endpoints?entra=none&pageSize=1')).toBe(endpoints.length);
  });
});
