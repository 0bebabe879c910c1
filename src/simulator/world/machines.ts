import type { SimClock } from '../clock.js';
import { hash, permute, rngFor, Stream, unpermute, type Rng } from '../random.js';
import { iso7, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_SECOND, type Ticks } from '../time.js';
import {
  platformAt,
  platformIndexFor,
  spelledPlatform,
  type DeviceFamily,
  type OsRelease,
  type PlatformProfile,
} from './platforms.js';
import type { Population } from './population.js';

export interface MachineContext {
  readonly seed: number;
  readonly orgName: string;
  readonly clock: SimClock;
  readonly population: Population;
}

export interface RbacGroup {
  readonly id: number;
  readonly name: string | null;
}

interface IpAddress {
  readonly ipAddress: string;
  readonly macAddress: string | null;
  readonly type: string;
  readonly operationalStatus: string;
}

/** The parts of a machine that do not change over time. */
export interface MachineCore {
  readonly index: number;
  readonly id: string;
  readonly platform: PlatformProfile;
  readonly release: OsRelease;
  /** Export `osVersion`, also the installed version of the OS product. */
  readonly osVersion: string;
  readonly computerDnsName: string | null;
  readonly firstSeen: Ticks;
  readonly healthStatus: string;
  readonly onboardingStatus: string;
  readonly rbacGroup: RbacGroup;
  /** Whether the device reports at all (Active-like health, onboarded): only those change between epochs. */
  readonly reporting: boolean;
  /** Multiplies the average findings per machine (0 for devices without a sensor). */
  readonly findingWeight: number;
  readonly record: Omit<Record<string, unknown>, 'lastSeen'>;
}

const UNASSIGNED: RbacGroup = { id: 0, name: null };
const GROUPS: Record<DeviceFamily, readonly RbacGroup[]> = {
  workstation: [
    { id: 140, name: 'Workstations - EU' },
    { id: 141, name: 'Workstations - US' },
    { id: 142, name: 'Workstations - APAC' },
  ],
  server: [
    { id: 150, name: 'Servers - Production' },
    { id: 151, name: 'Servers - Test' },
  ],
  mac: [{ id: 160, name: 'Mac' }],
  linux: [{ id: 170, name: 'Linux Servers' }],
  mobile: [{ id: 180, name: 'Mobile' }],
  iot: [UNASSIGNED],
};
const HEALTH: readonly (readonly [string, number])[] = [
  ['Active', 82],
  ['Inactive', 10],
  ['ImpairedCommunication', 3],
  ['NoSensorData', 3],
  ['NoSensorDataImpairedCommunication', 1],
  ['Unknown', 1],
];
const TAGS = ['VIP', 'Finance', 'Kiosk', 'Protected', 'PCI', 'Dev', 'Production', 'Pilot'];
const SERVER_ROLES = ['sql', 'web', 'app', 'dc', 'file', 'exch', 'print', 'build', 'rds', 'backup'];
const LINUX_ROLES = ['web', 'db', 'k8s-node', 'jump', 'mq', 'cache'];
/** Owners' first names, in device names (also the Entra-only devices', world/entra-devices.ts). */
export const FIRST_NAMES = [
  'anna',
  'ben',
  'carla',
  'dev',
  'elif',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jonas',
  'kim',
  'lena',
];
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Machine ids are 40 hex digits; the first 8 are an invertible scramble of the index (O(1) lookups). */
export function machineIdMask(seed: number): number {
  return hash(seed, Stream.idMask);
}

export function machineIndexFromId(id: string, seed: number): number | undefined {
  if (!/^[0-9a-f]{40}$/i.test(id)) return undefined;
  return unpermute(Number.parseInt(id.slice(0, 8), 16), machineIdMask(seed));
}

export function describeMachine(ctx: MachineContext, index: number): MachineCore {
  const rng = rngFor(ctx.seed, Stream.machine, index);
  const id = permute(index, machineIdMask(ctx.seed)).toString(16).padStart(8, '0') + rng.hex(32);
  // The spelling from a stream of its own: the machine's other draws, and so every count, stay as they were.
  const platform = spelledPlatform(platformAt(platformIndexFor(rng.next())), (spellings) =>
    rngFor(ctx.seed, Stream.platformSpelling, index).weighted(spellings),
  );
  const release = rng.pick(platform.releases);
  const osVersion = rng.pick(release.osVersions);
  const onboardingStatus = onboarding(rng, platform.family);
  const onboarded = onboardingStatus === 'Onboarded';
  const healthStatus = onboarded ? rng.weighted(HEALTH) : 'Unknown';
  const born = ctx.population.bornEpoch(index);
  const firstSeen =
    born === 0
      ? ctx.clock.epochStart(0) - Math.floor((1 + Math.pow(rng.next(), 1.5) * 700) * TICKS_PER_DAY)
      : ctx.clock.epochStart(born) -
        Math.floor(rng.next() * (ctx.clock.epochStart(born) - ctx.clock.epochStart(born - 1)));
  const shortName = hostName(rng, platform, index);
  const domainJoined =
    platform.family === 'workstation' || platform.family === 'server' ? rng.chance(0.7) : false;
  const computerDnsName = rng.chance(0.03)
    ? null
    : domainJoined
      ? `${shortName}.corp.${ctx.orgName}.com`
      : shortName;
  const rbacGroup = rng.chance(0.1) ? UNASSIGNED : rng.pick(GROUPS[platform.family]);
  const reporting = onboarded && healthStatus !== 'Inactive';
  const agentVersion = onboarded ? agent(platform, release, osVersion) : null;
  const aadJoined =
    platform.family === 'workstation'
      ? rng.chance(0.7)
      : platform.family === 'mac'
        ? rng.chance(0.3)
        : rng.chance(0.05);
  const aadDeviceId = aadJoined || rng.chance(0.1) ? rng.guid() : null;
  const excluded = rng.chance(0.01);
  const ips = ipAddresses(rng, index, platform.family);
  const record = {
    id,
    mergedIntoMachineId: null,
    isPotentialDuplication: rng.chance(0.01),
    isExcluded: excluded,
    exclusionReason: excluded ? 'InactiveDevice' : null,
    computerDnsName,
    firstSeen: iso7(firstSeen),
    osPlatform: platform.osPlatform,
    osVersion: null,
    osProcessor: platform.osArchitecture,
    version: release.version,
    lastIpAddress: ips[0]?.ipAddress ?? null,
    lastExternalIpAddress: ips.length === 0 ? null : `203.0.113.${1 + (rbacGroup.id % 200)}`,
    agentVersion,
    osBuild: release.osBuild,
    healthStatus,
    deviceValue: rng.weighted([
      ['Normal', 88],
      ['High', 8],
      ['Low', 4],
    ]),
    rbacGroupId: rbacGroup.id,
    rbacGroupName: rbacGroup.name,
    riskScore: onboarded
      ? rng.weighted([
          ['None', 30],
          ['Informational', 10],
          ['Low', 25],
          ['Medium', 25],
          ['High', 10],
        ])
      : 'None',
    exposureLevel: onboarded
      ? rng.weighted([
          ['None', 5],
          ['Low', 35],
          ['Medium', 45],
          ['High', 15],
        ])
      : 'None',
    isAadJoined: aadJoined,
    aadDeviceId,
    machineTags: rng.chance(0.25) ? tags(rng) : [],
    onboardingStatus,
    osArchitecture: '64-bit',
    managedBy: managedBy(rng, platform.family),
    managedByStatus: onboarded ? 'Success' : 'Unknown',
    ipAddresses: ips,
    vmMetadata: platform.family === 'server' && rng.chance(0.5) ? vmMetadata(rng, shortName) : null,
  };
  return {
    index,
    id,
    platform,
    release,
    osVersion,
    computerDnsName,
    firstSeen,
    healthStatus,
    onboardingStatus,
    rbacGroup,
    reporting,
    findingWeight: onboarded || platform.family === 'iot' ? 0.2 + rng.next() * 1.6 : 0,
    record,
  };
}

/**
 * When the machine last reported as of `epoch`: reporting machines within the last day of that epoch, the others
 * at a fixed instant before they went quiet.
 */
export function machineLastSeen(ctx: MachineContext, core: MachineCore, epoch: number): Ticks {
  const subSecond = hash(ctx.seed, Stream.machineEpoch, core.index, epoch) % TICKS_PER_SECOND;
  if (core.reporting) {
    const back = Math.floor(
      (hash(ctx.seed, Stream.machineEpoch, epoch, core.index) / 0x1_0000_0000) * 20 * TICKS_PER_HOUR,
    );
    return Math.max(core.firstSeen, ctx.clock.epochStart(epoch) - back - subSecond);
  }
  const quietDays = 7 + (hash(ctx.seed, Stream.machineEpoch, core.index) % 50);
  const bornAt = ctx.clock.epochStart(ctx.population.bornEpoch(core.index));
  return Math.max(core.firstSeen + TICKS_PER_HOUR, bornAt - quietDays * TICKS_PER_DAY - subSecond);
}

/** The `/api/machines` record as of `epoch` (field order as the service sends it). */
export function machineRecord(
  ctx: MachineContext,
  core: MachineCore,
  epoch: number,
): Record<string, unknown> {
  const { firstSeen, ...rest } = core.record;
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = value;
    if (key === 'computerDnsName') {
      ordered.firstSeen = firstSeen;
      ordered.lastSeen = iso7(machineLastSeen(ctx, core, epoch));
    }
  }
  return ordered;
}

/** Share of sensor-capable devices that are onboarded (the others are only discovered and have no findings). */
export const ONBOARDED_SHARE = 0.94;

function onboarding(rng: Rng, family: DeviceFamily): string {
  if (family === 'iot') {
    return rng.weighted([
      ['Unsupported', 60],
      ['InsufficientInfo', 25],
      ['CanBeOnboarded', 15],
    ]);
  }
  if (rng.chance(ONBOARDED_SHARE)) return 'Onboarded';
  return rng.weighted([
    ['CanBeOnboarded', 4],
    ['InsufficientInfo', 1],
    ['Unsupported', 1],
  ]);
}

function base36(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE36[rng.int(36)] ?? '0';
  return out;
}

function hostName(rng: Rng, platform: PlatformProfile, index: number): string {
  const serial = String(index % 10_000).padStart(4, '0');
  switch (platform.family) {
    case 'workstation':
      return rng.chance(0.6)
        ? `desktop-${base36(rng, 7)}`
        : `${rng.chance(0.5) ? 'lt' : 'pc'}-${serial}${base36(rng, 2)}`;
    case 'server':
      return `srv-${rng.pick(SERVER_ROLES)}-${serial}`;
    case 'mac':
      return `${rng.pick(FIRST_NAMES)}s-macbook-pro-${base36(rng, 3)}`;
    case 'linux':
      return `${platform.osPlatform === 'RedHatEnterpriseLinux' ? 'rhel' : platform.osPlatform === 'Ubuntu' ? 'ubuntu' : 'debian'}-${rng.pick(LINUX_ROLES)}-${serial}`;
    case 'mobile':
      return platform.osPlatform === 'iOS'
        ? `iphone-${rng.pick(FIRST_NAMES)}-${base36(rng, 3)}`
        : `${platform.osPlatform === 'Fire OS' ? 'kindle' : 'android'}-${base36(rng, 8)}`;
    case 'iot':
      return platform.osPlatform === 'Other' ? `hp-laserjet-${base36(rng, 6)}` : `axis-cam-${base36(rng, 6)}`;
  }
}

/** The sensor version; discovered-only devices (IoT) have no sensor. */
function agent(platform: PlatformProfile, release: OsRelease, osVersion: string): string | null {
  switch (platform.family) {
    case 'workstation':
    case 'server':
      return `10.8760.${release.osBuild ?? 0}.${osVersion.split('.').at(-1) ?? '0'}`;
    case 'mac':
      return '101.24092.0004';
    case 'linux':
      return '30.124092.2.0';
    case 'mobile':
      return '1.0.6908.0102';
    case 'iot':
      return null;
  }
}

function ipAddresses(rng: Rng, index: number, family: DeviceFamily): IpAddress[] {
  if (rng.chance(0.03)) return [];
  const mac = rng.hex(12).toUpperCase();
  const ipv4 = `10.${20 + (index >> 16)}.${(index >> 8) & 255}.${index & 255 || 1}`;
  const type =
    family === 'workstation' || family === 'mac' || family === 'mobile'
      ? rng.pick(['Ethernet', 'Wireless80211'])
      : 'Ethernet';
  const list: IpAddress[] = [{ ipAddress: ipv4, macAddress: mac, type, operationalStatus: 'Up' }];
  if (family !== 'iot' && rng.chance(0.5)) {
    list.push({
      ipAddress: `fe80::${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}`,
      macAddress: mac,
      type,
      operationalStatus: 'Up',
    });
  }
  if (family === 'server' || family === 'linux') {
    list.push({
      ipAddress: '127.0.0.1',
      macAddress: null,
      type: 'SoftwareLoopback',
      operationalStatus: 'Up',
    });
  }
  return list;
}

function tags(rng: Rng): string[] {
  const first = rng.pick(TAGS);
  const second = rng.pick(TAGS);
  return rng.chance(0.3) && second !== first ? [first, second] : [first];
}

function managedBy(rng: Rng, family: DeviceFamily): string {
  switch (family) {
    case 'workstation':
      return rng.weighted([
        ['Intune', 60],
        ['MicrosoftDefenderForEndpoint', 25],
        ['ConfigMgr', 15],
      ]);
    case 'server':
      return rng.chance(0.7) ? 'MicrosoftDefenderForEndpoint' : 'ConfigMgr';
    case 'iot':
      return 'Unknown';
    case 'mac':
    case 'linux':
    case 'mobile':
      return rng.chance(0.5) ? 'Intune' : 'MicrosoftDefenderForEndpoint';
  }
}

function vmMetadata(rng: Rng, name: string): Record<string, string> {
  const subscriptionId = rng.guid();
  return {
    vmId: rng.guid(),
    cloudProvider: 'Azure',
    resourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-servers/providers/Microsoft.Compute/virtualMachines/${name}`,
    subscriptionId,
  };
}
