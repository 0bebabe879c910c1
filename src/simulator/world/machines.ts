import type { SimClock } from '../clock.js';
import { hash, permute, rngFor, Stream, unit, unpermute, type Rng } from '../random.js';
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
import type { QuietSpells, WorldRates } from './rates.js';

export interface MachineContext {
  readonly seed: number;
  readonly orgName: string;
  readonly clock: SimClock;
  readonly rates: WorldRates;
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
  /**
   * Whether the device reports at all (Active-like health, onboarded): only those change between epochs. A
   * reporting machine may still go quiet for a while (see {@link quietSpellAt}).
   */
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

/** A stretch of time, [start, end), in which a reporting machine sends nothing. */
export interface QuietSpell {
  readonly start: Ticks;
  readonly end: Ticks;
}

/** Defender calls a device Inactive once it has not reported for more than seven days. */
export const INACTIVE_AFTER_TICKS = 7 * TICKS_PER_DAY;

/** Where the machine's quiet window 0 starts: the clock's start, less an offset of the machine's own. */
function quietOrigin(ctx: MachineContext, core: MachineCore, quiet: QuietSpells): Ticks {
  return ctx.clock.epochStart(0) - Math.floor(unit(ctx.seed, Stream.machineQuiet, core.index) * quiet.window);
}

function quietWindowOf(ctx: MachineContext, core: MachineCore, quiet: QuietSpells, at: Ticks): number {
  return Math.floor((at - quietOrigin(ctx, core, quiet)) / quiet.window);
}

/** The machine's spell in quiet window `n`, if it has one; it lies wholly inside the window. */
function spellInWindow(
  ctx: MachineContext,
  core: MachineCore,
  quiet: QuietSpells,
  n: number,
): QuietSpell | undefined {
  if (!core.reporting || unit(ctx.seed, Stream.machineQuiet, core.index, n) >= quiet.chance) return undefined;
  const rng = rngFor(ctx.seed, Stream.machineQuiet, core.index, n, 1);
  const length = quiet.shortest + Math.floor(rng.next() ** 2 * (quiet.longest - quiet.shortest));
  const start =
    quietOrigin(ctx, core, quiet) + n * quiet.window + Math.floor(rng.next() * (quiet.window - length));
  // A machine goes quiet only once it has been seen.
  return start > core.firstSeen ? { start, end: start + length } : undefined;
}

/** The spell the machine is in at `at`, if any (never for frozen rates, nor for machines that do not report). */
export function quietSpellAt(ctx: MachineContext, core: MachineCore, at: Ticks): QuietSpell | undefined {
  const { quiet } = ctx.rates;
  if (quiet === null || !core.reporting) return undefined;
  const spell = spellInWindow(ctx, core, quiet, quietWindowOf(ctx, core, quiet, at));
  return spell !== undefined && spell.start <= at && at < spell.end ? spell : undefined;
}

/** The spells that overlap [from, to], oldest first. */
export function quietSpellsBetween(
  ctx: MachineContext,
  core: MachineCore,
  from: Ticks,
  to: Ticks,
): QuietSpell[] {
  const { quiet } = ctx.rates;
  if (quiet === null || !core.reporting || to < from) return [];
  const spells: QuietSpell[] = [];
  const last = quietWindowOf(ctx, core, quiet, to);
  for (let n = quietWindowOf(ctx, core, quiet, from); n <= last; n++) {
    const spell = spellInWindow(ctx, core, quiet, n);
    if (spell !== undefined && spell.end > from && spell.start <= to) spells.push(spell);
  }
  return spells;
}

/** When the machine came back from its latest spell that ended at or before `at` (spells never overlap). */
function lastReturn(ctx: MachineContext, core: MachineCore, quiet: QuietSpells, at: Ticks): Ticks {
  const n = quietWindowOf(ctx, core, quiet, at);
  for (const window of [n, n - 1]) {
    const spell = spellInWindow(ctx, core, quiet, window);
    if (spell !== undefined && spell.end <= at) return spell.end;
  }
  return Number.NEGATIVE_INFINITY;
}

/** The machine's last scheduled report at or before `at`: one every `every`, at its own phase and jitter. */
function lastReport(ctx: MachineContext, core: MachineCore, every: Ticks, at: Ticks): Ticks {
  const origin =
    ctx.clock.epochStart(0) - Math.floor(unit(ctx.seed, Stream.machineReport, core.index) * every);
  const report = (k: number): Ticks =>
    origin + k * every + Math.floor(unit(ctx.seed, Stream.machineReport, core.index, k) * (every / 8));
  const k = Math.floor((at - origin) / every);
  const latest = report(k);
  return latest <= at ? latest : report(k - 1);
}

/**
 * When the machine last reported as of `epoch`. Reporting machines: with `rates.reportEvery`, at their last
 * scheduled report (or their return from a quiet spell, whichever is later); otherwise within the 20 hours before
 * the epoch began. During a quiet spell the time stays where it was when the spell began. The others at a fixed
 * instant before they went quiet for good.
 */
export function machineLastSeen(ctx: MachineContext, core: MachineCore, epoch: number): Ticks {
  const subSecond = (e: number): Ticks =>
    hash(ctx.seed, Stream.machineEpoch, core.index, e) % TICKS_PER_SECOND;
  if (core.reporting) {
    const at = ctx.clock.epochStart(epoch);
    const spell = quietSpellAt(ctx, core, at);
    const { reportEvery, quiet } = ctx.rates;
    if (reportEvery !== null) {
      const asOf = spell?.start ?? at;
      const back = quiet === null ? Number.NEGATIVE_INFINITY : lastReturn(ctx, core, quiet, asOf);
      return Math.max(core.firstSeen, lastReport(ctx, core, reportEvery, asOf), back);
    }
    // One report an epoch; a spell keeps the one of the epoch it began in.
    const reported =
      spell === undefined ? epoch : Math.max(0, ctx.clock.firstEpochNotBefore(spell.start) - 1);
    const back = Math.floor(
      (hash(ctx.seed, Stream.machineEpoch, reported, core.index) / 0x1_0000_0000) * 20 * TICKS_PER_HOUR,
    );
    return Math.max(core.firstSeen, ctx.clock.epochStart(reported) - back - subSecond(reported));
  }
  const quietDays = 7 + (hash(ctx.seed, Stream.machineEpoch, core.index) % 50);
  const bornAt = ctx.clock.epochStart(ctx.population.bornEpoch(core.index));
  // Per advance the fraction of a second has always moved; on a live clock the time stands still.
  const fraction = subSecond(ctx.rates.reportEvery === null ? epoch : 0);
  return Math.max(core.firstSeen + TICKS_PER_HOUR, bornAt - quietDays * TICKS_PER_DAY - fraction);
}

/** What `/api/machines` says of the machine's reporting as of `epoch`. */
export interface MachineReport {
  readonly lastSeen: Ticks;
  /** The machine's own health, or Inactive once a quiet spell has kept it silent for more than seven days. */
  readonly healthStatus: string;
}

export function machineReport(ctx: MachineContext, core: MachineCore, epoch: number): MachineReport {
  const lastSeen = machineLastSeen(ctx, core, epoch);
  const at = ctx.clock.epochStart(epoch);
  const silent = quietSpellAt(ctx, core, at) !== undefined && at - lastSeen > INACTIVE_AFTER_TICKS;
  return { lastSeen, healthStatus: silent ? 'Inactive' : core.healthStatus };
}

/** The `/api/machines` record as of `epoch` (field order as the service sends it). */
export function machineRecord(
  ctx: MachineContext,
  core: MachineCore,
  epoch: number,
): Record<string, unknown> {
  const { firstSeen, ...rest } = core.record;
  const report = machineReport(ctx, core, epoch);
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = key === 'healthStatus' ? report.healthStatus : value;
    if (key === 'computerDnsName') {
      ordered.firstSeen = firstSeen;
      ordered.lastSeen = iso7(report.lastSeen);
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
