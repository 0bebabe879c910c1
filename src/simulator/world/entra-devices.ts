import { rngFor, unit } from '../random.js';
import { isoSecondsZ, TICKS_PER_DAY, TICKS_PER_HOUR, type Ticks } from '../time.js';
import { FIRST_NAMES, machineLastSeen, type MachineCore } from './machines.js';
import type { SimTenant } from './tenant.js';

/**
 * The tenant's Microsoft Entra ID devices (Graph `GET /v1.0/devices`), derived from the same seed as the machines:
 *
 * - a machine with an `aadDeviceId` has an Entra device with that `deviceId` in most cases (REGISTERED_SHARE);
 *   the others were deleted from the directory (a stale id in Defender), so they join nothing;
 * - the device appears when its machine does and stays after the machine leaves Defender (a stale directory
 *   entry, then an Entra-only device);
 * - Entra-only devices that Defender never saw (phones, unmanaged laptops) are numbered after the machines.
 *
 * Nothing is stored: a device is a pure function of (seed, index, epoch), like a machine.
 */

/** Its own stream tag ('ENTR'), so the directory's draws never shift the machines' or anyone else's. */
const ENTRA_STREAM = 0x454e5452;
/** Share of the machines with an `aadDeviceId` that have an Entra device. */
export const REGISTERED_SHARE = 0.92;
/** Entra-only devices (never onboarded) per machine of the initial fleet. */
export const ENTRA_ONLY_SHARE = 0.15;

/** Where a device sits in the directory listing: machine-backed ones by machine index, then the Entra-only ones. */
export type DeviceCursor = { readonly kind: 'machine' | 'other'; readonly index: number };

export interface EntraDevice {
  readonly cursor: DeviceCursor;
  /** The machine index it was registered for (undefined for a device Defender never saw). */
  readonly machineIndex: number | undefined;
  /** The Graph `device` record. */
  readonly record: Record<string, unknown>;
}

/** The Graph properties a device record carries, in the order Graph sends them. */
export const DEVICE_PROPERTIES = [
  'id',
  'deletedDateTime',
  'accountEnabled',
  'approximateLastSignInDateTime',
  'complianceExpirationDateTime',
  'deviceId',
  'deviceVersion',
  'displayName',
  'isCompliant',
  'isManaged',
  'manufacturer',
  'model',
  'operatingSystem',
  'operatingSystemVersion',
  'physicalIds',
  'profileType',
  'registrationDateTime',
  'systemLabels',
  'trustType',
] as const;

export function entraOnlyCount(tenant: SimTenant): number {
  return Math.ceil(tenant.population.indexCount(0) * ENTRA_ONLY_SHARE);
}

function aadDeviceIdOf(core: MachineCore): string | null {
  const value = core.record.aadDeviceId;
  return typeof value === 'string' ? value : null;
}

function signInBefore(tenant: SimTenant, index: number, epoch: number, at: Ticks, floor: Ticks): Ticks {
  const back = Math.floor(unit(tenant.seed, ENTRA_STREAM, index, epoch, 3) * 30 * TICKS_PER_HOUR);
  return Math.max(floor, at - back);
}

/** The Entra device registered for machine `index`, as of `epoch`; undefined when there is none. */
export function machineDevice(tenant: SimTenant, index: number, epoch: number): EntraDevice | undefined {
  const { population } = tenant;
  if (index < 0 || index >= population.indexCount(epoch) || population.bornEpoch(index) > epoch)
    return undefined;
  if (unit(tenant.seed, ENTRA_STREAM, index, 0) >= REGISTERED_SHARE) return undefined;
  const core = tenant.machine(index);
  const deviceId = aadDeviceIdOf(core);
  if (deviceId === null) return undefined;
  const rng = rngFor(tenant.seed, ENTRA_STREAM, index, 1);
  const id = rng.guid();
  const { family } = core.platform;
  const windows = family === 'workstation' || family === 'server';
  const dnsName = core.computerDnsName;
  const shortName = dnsName?.split('.')[0] ?? `${windows ? 'desktop' : 'device'}-${rng.hex(7)}`;
  const domainJoined = dnsName?.includes('.corp.') === true;
  const aadJoined = core.record.isAadJoined === true;
  const trustType =
    !windows || !aadJoined ? 'Workplace' : domainJoined || family === 'server' ? 'ServerAd' : 'AzureAd';
  const managedBy = core.record.managedBy;
  const isManaged = managedBy === 'Intune' || managedBy === 'ConfigMgr';
  const compliantDraw = rng.next();
  const enabledDraw = rng.next();
  const registration = core.firstSeen - Math.floor(rng.next() * 30 * TICKS_PER_DAY);
  const alive = population.isAlive(index, epoch);
  const lastEpoch = alive ? epoch : Math.max(population.bornEpoch(index), population.leftEpoch(index) - 1);
  const lastSeen = machineLastSeen(tenant, core, lastEpoch);
  const signIn = signInBefore(tenant, index, lastEpoch, lastSeen, registration);
  return {
    cursor: { kind: 'machine', index },
    machineIndex: index,
    record: {
      id,
      deletedDateTime: null,
      accountEnabled: enabledDraw < (alive ? 0.98 : 0.5),
      approximateLastSignInDateTime: isoSecondsZ(signIn),
      complianceExpirationDateTime: null,
      deviceId,
      deviceVersion: 2,
      displayName: windows ? shortName.toUpperCase() : shortName,
      isCompliant: isManaged ? compliantDraw < 0.88 : null,
      isManaged,
      manufacturer: family === 'mac' || core.platform.osPlatform === 'iOS' ? 'Apple' : null,
      model: null,
      operatingSystem: operatingSystemOf(core),
      operatingSystemVersion: windows ? core.osVersion : core.release.version,
      physicalIds: [],
      profileType: 'RegisteredDevice',
      registrationDateTime: isoSecondsZ(registration),
      systemLabels: [],
      trustType,
    },
  };
}

function operatingSystemOf(core: MachineCore): string {
  switch (core.platform.family) {
    case 'workstation':
      return 'Windows';
    case 'server':
      return 'Windows Server';
    case 'mac':
      return 'MacMDM';
    case 'mobile':
      return core.platform.osPlatform === 'iOS' ? 'iOS' : 'Android';
    case 'linux':
    case 'iot':
      return 'Linux';
  }
}

const OTHER_KINDS = [
  ['iphone', 35],
  ['android', 30],
  ['laptop', 25],
  ['mac', 10],
] as const;

/** Entra-only device `index` (0 ≤ index < entraOnlyCount): registered in the directory, never in Defender. */
export function otherDevice(tenant: SimTenant, index: number, epoch: number): EntraDevice {
  const rng = rngFor(tenant.seed, ENTRA_STREAM, index, 2);
  const id = rng.guid();
  const deviceId = rng.guid();
  const kind = rng.weighted(OTHER_KINDS);
  const owner = rng.pick(FIRST_NAMES);
  const suffix = rng.hex(4);
  const registration = tenant.clock.epochStart(0) - Math.floor((1 + rng.next() * 600) * TICKS_PER_DAY);
  const stale = rng.chance(0.2);
  const enabledDraw = rng.next();
  const managed = kind !== 'laptop' && rng.chance(0.6);
  const compliantDraw = rng.next();
  const lastActive = stale
    ? registration + Math.floor(rng.next() * 60 * TICKS_PER_DAY)
    : tenant.clock.epochStart(epoch);
  const signIn = signInBefore(tenant, index, stale ? 0 : epoch, lastActive, registration);
  const os = {
    iphone: ['iOS', rng.pick(['17.6.1', '18.0.1', '18.1'])],
    android: ['Android', rng.pick(['13.0', '14.0', '15.0'])],
    laptop: ['Windows', rng.pick(['10.0.22631.4317', '10.0.26100.2161', '10.0.19045.5011'])],
    mac: ['MacMDM', rng.pick(['14.7', '15.1'])],
  }[kind];
  const displayName = {
    iphone: `iPhone-${owner}-${suffix}`,
    android: `Galaxy-${owner}-${suffix}`,
    laptop: `LAPTOP-${suffix.toUpperCase()}${owner.toUpperCase()}`,
    mac: `${owner}s-MacBook-Air-${suffix}`,
  }[kind];
  return {
    cursor: { kind: 'other', index },
    machineIndex: undefined,
    record: {
      id,
      deletedDateTime: null,
      accountEnabled: enabledDraw < (stale ? 0.6 : 0.97),
      approximateLastSignInDateTime: isoSecondsZ(signIn),
      complianceExpirationDateTime: null,
      deviceId,
      deviceVersion: 2,
      displayName,
      isCompliant: managed ? compliantDraw < 0.85 : null,
      isManaged: managed,
      manufacturer: kind === 'iphone' || kind === 'mac' ? 'Apple' : kind === 'android' ? 'samsung' : null,
      model: kind === 'iphone' ? 'iPhone 15' : kind === 'android' ? 'SM-S911B' : null,
      operatingSystem: os[0],
      operatingSystemVersion: os[1],
      physicalIds: [],
      profileType: 'RegisteredDevice',
      registrationDateTime: isoSecondsZ(registration),
      systemLabels: [],
      // Phones and personal laptops are registered, not joined.
      trustType: 'Workplace',
    },
  };
}

/**
 * Every device as of `epoch`, in listing order (machine-backed by machine index, then the Entra-only ones),
 * starting at `from` (inclusive). Lazily: a page only derives the machines it walks past.
 */
export function* entraDevices(
  tenant: SimTenant,
  epoch: number,
  from: DeviceCursor = { kind: 'machine', index: 0 },
): Generator<EntraDevice> {
  if (from.kind === 'machine') {
    const machines = tenant.population.indexCount(epoch);
    for (let index = Math.max(0, from.index); index < machines; index++) {
      const device = machineDevice(tenant, index, epoch);
      if (device !== undefined) yield device;
    }
  }
  const others = entraOnlyCount(tenant);
  for (let index = from.kind === 'other' ? Math.max(0, from.index) : 0; index < others; index++)
    yield otherDevice(tenant, index, epoch);
}

/** `GET /_sim/truth/devices`: what a complete read of `/v1.0/devices` and its join to `/api/machines` must find. */
export interface TruthDevices {
  /** Every Graph device record, in listing order. */
  readonly devices: readonly Record<string, unknown>[];
  /** Each Defender machine (now) whose `aadDeviceId` is an Entra device's `deviceId`, in machine list order. */
  readonly joined: readonly {
    readonly machineId: string;
    readonly deviceObjectId: string;
    readonly deviceId: string;
  }[];
  /** Object ids of the devices no current Defender machine names (never onboarded, or the machine left). */
  readonly entraOnly: readonly string[];
  /** Current machines without an Entra device: no `aadDeviceId`, or one the directory does not have. */
  readonly machinesWithoutDevice: readonly {
    readonly machineId: string;
    readonly aadDeviceId: string | null;
  }[];
}

export function truthDevices(tenant: SimTenant, epoch: number): TruthDevices {
  const devices = [...entraDevices(tenant, epoch)];
  const joined: { machineId: string; deviceObjectId: string; deviceId: string }[] = [];
  const withoutDevice: { machineId: string; aadDeviceId: string | null }[] = [];
  const joinedIndices = new Set<number>();
  for (const index of tenant.population.alive(epoch)) {
    const device = machineDevice(tenant, index, epoch);
    const core = tenant.machine(index);
    if (device === undefined) {
      withoutDevice.push({ machineId: core.id, aadDeviceId: aadDeviceIdOf(core) });
      continue;
    }
    joinedIndices.add(index);
    joined.push({
      machineId: core.id,
      deviceObjectId: String(device.record.id),
      deviceId: String(device.record.deviceId),
    });
  }
  const entraOnly = devices
    .filter((d) => d.machineIndex === undefined || !joinedIndices.has(d.machineIndex))
    .map((d) => String(d.record.id));
  return {
    devices: devices.map((d) => d.record),
    joined,
    entraOnly,
    machinesWithoutDevice: withoutDevice,
  };
}
