import { describe, expect, it } from 'vitest';
import { DefenderPermissionError, type EntraDevice, type Machine } from '../../src/defender/index.js';
import { DEVICE_SELECT } from '../../src/defender/resources/devices.js';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import type { SimulatorStats } from '../../src/simulator/index.js';
import { clientFor, simGet, simPost, useSimulator } from '../support/simulator.js';

interface TruthDevices {
  devices: Record<string, unknown>[];
  joined: { machineId: string; deviceObjectId: string; deviceId: string }[];
  entraOnly: string[];
}

const SELECTED = DEVICE_SELECT.split(',');

/** The client's device as the wire had it: timestamps back to their raw strings. */
function wire(device: EntraDevice): Record<string, unknown> {
  return Object.fromEntries(
    SELECTED.map((name) => {
      const value = (device as Record<string, unknown>)[name];
      const raw = typeof value === 'object' && value !== null && 'raw' in value ? value.raw : value;
      return [name, raw ?? null];
    }),
  );
}

function selected(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(SELECTED.map((name) => [name, record[name] ?? null]));
}

async function readDevices(
  batches: AsyncIterable<{ items: EntraDevice[]; rejected: { id: string | undefined; reason: string }[] }>,
): Promise<{ devices: EntraDevice[]; rejected: { id: string | undefined; reason: string }[] }> {
  const devices: EntraDevice[] = [];
  const rejected: { id: string | undefined; reason: string }[] = [];
  for await (const batch of batches) {
    devices.push(...batch.items);
    rejected.push(...batch.rejected);
  }
  return { devices, rejected };
}

async function readMachines(batches: AsyncIterable<{ items: Machine[] }>): Promise<Machine[]> {
  const machines: Machine[] = [];
  for await (const batch of batches) machines.push(...batch.items);
  return machines;
}

/** The join the hub will make: a machine's aadDeviceId is a device's deviceId. */
function join(machines: readonly Machine[], devices: readonly EntraDevice[]) {
  const byDeviceId = new Map(devices.map((d) => [d.deviceId.toLowerCase(), d]));
  const joined: { machineId: string; deviceObjectId: string; deviceId: string }[] = [];
  const matched = new Set<string>();
  for (const machine of machines) {
    const device =
      machine.aadDeviceId == null ? undefined : byDeviceId.get(machine.aadDeviceId.toLowerCase());
    if (device === undefined) continue;
    matched.add(device.id);
    joined.push({ machineId: machine.id, deviceObjectId: device.id, deviceId: device.deviceId });
  }
  const entraOnly = devices.filter((d) => !matched.has(d.id)).map((d) => d.id);
  return { joined, entraOnly };
}

const byMachine = (a: { machineId: string }, b: { machineId: string }): number =>
  a.machineId.localeCompare(b.machineId);

describe('client.devices.list()', () => {
  it("should read every device across pages, equal to the simulator's truth", async () => {
    const sim = await useSimulator({ machines: 1500, seed: 41, findingsPerMachine: 1 });
    const truth = await simGet<TruthDevices>(sim, '/_sim/truth/devices');
    const client = clientFor(sim);
    const { devices, rejected } = await readDevices(client.devices.list({ pageSize: 250 }));
    expect(rejected).toEqual([]);
    expect(devices.map(wire)).toEqual(truth.devices.map(selected));
    expect(devices[0]?.approximateLastSignInDateTime?.date).toBeInstanceOf(Date);
    // One call per page of 250, following @odata.nextLink, with the $select the client asks for.
    expect(client.stats.calls).toBe(Math.ceil(truth.devices.length / 250));
    const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
    expect(stats.requests.byRoute['GET /v1.0/devices']?.['200']).toBe(Math.ceil(truth.devices.length / 250));
  });

  it('should join machines to devices through aadDeviceId exactly as the truth says', async () => {
    const sim = await useSimulator({ machines: 1200, seed: 42, findingsPerMachine: 1 });
    const client = clientFor(sim);
    for (const advance of [0, 72]) {
      if (advance > 0) await simPost(sim, '/_sim/advance', { hours: advance });
      const truth = await simGet<TruthDevices>(sim, '/_sim/truth/devices');
      const machines = await readMachines(client.machines.list());
      const { devices } = await readDevices(client.devices.list());
      const ours = join(machines, devices);
      expect(ours.joined.sort(byMachine)).toEqual([...truth.joined].sort(byMachine));
      expect(ours.entraOnly.sort()).toEqual([...truth.entraOnly].sort());
      expect(ours.joined.length).toBeGreaterThan(0);
      expect(ours.entraOnly.length).toBeGreaterThan(0);
      // Some machines name an aadDeviceId the directory does not have: they join nothing.
      const deviceIds = new Set(devices.map((d) => d.deviceId));
      expect(machines.some((m) => m.aadDeviceId != null && !deviceIds.has(m.aadDeviceId))).toBe(true);
    }
  });

  it('should ride out faults and record a malformed device instead of failing', async () => {
    const sim = await useSimulator({ machines: 600, seed: 43, findingsPerMachine: 1, retryAfterSeconds: 0 });
    const truth = await simGet<TruthDevices>(sim, '/_sim/truth/devices');
    const client = clientFor(sim);
    await simPost(sim, '/_sim/faults', {
      queue: [
        // The first page's first record arrives broken; the second page fails, then breaks mid-body.
        { fault: 'malformed', path: '/v1.0/devices', count: 1 },
        { fault: '503', path: '/v1.0/devices', count: 1 },
        { fault: 'reset', path: '/v1.0/devices', count: 1 },
      ],
    });
    const { devices, rejected } = await readDevices(client.devices.list({ pageSize: 100, batchSize: 10 }));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatch(/\S/);
    const expected = truth.devices.map(selected);
    const got = devices.map(wire);
    expect(got).toHaveLength(expected.length - 1);
    expect(new Set(got.map((d) => d.id)).size).toBe(got.length);
    for (const device of got) expect(expected).toContainEqual(device);
    expect(client.stats.byStatus['503']).toBe(1);
    expect(client.stats.retries).toBe(2);
  });

  it('should name Device.Read.All when the app lacks it', async () => {
    const sim = await useSimulator({
      machines: 50,
      seed: 44,
      roles: ALL_ROLES.filter((r) => r !== 'Device.Read.All' && r !== 'Directory.Read.All'),
    });
    const client = clientFor(sim);
    const error = await readDevices(client.devices.list()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefenderPermissionError);
    const refusal = error as DefenderPermissionError;
    expect(refusal.code).toBe('DEFENDER_PERMISSION_MISSING');
    expect(refusal.requiredRoles).toContain('Device.Read.All');
    expect(refusal.message).toContain('Device.Read.All');
    expect(refusal.grantedRoles).toContain('SecurityAlert.Read.All');
  });
});
