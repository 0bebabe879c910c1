import type { ProductKey } from './software-catalog.js';

/** What kind of device a platform is; drives names, software, finding volume and alert likelihood. */
export type DeviceFamily = 'workstation' | 'server' | 'mac' | 'linux' | 'mobile' | 'iot';

export interface OsRelease {
  /** Machine `version`, e.g. `22H2`. */
  readonly version: string;
  readonly osBuild: number | null;
  /** Export `osVersion` values (for OS products also the OS product's installed version). */
  readonly osVersions: readonly string[];
}

export interface PlatformProfile {
  readonly osPlatform: string;
  readonly family: DeviceFamily;
  /** Share of the fleet (relative). */
  readonly weight: number;
  readonly releases: readonly OsRelease[];
  /** Relative number of findings (mobile and IoT devices have very few). */
  readonly findingFactor: number;
  /** The OS itself as a vulnerable product, when Defender assesses it. */
  readonly osProduct: ProductKey | null;
  /** Other software that may be installed, with its install rate. */
  readonly software: readonly (readonly [ProductKey, number])[];
  readonly osArchitecture: 'x64' | 'arm64';
  /**
   * The `osPlatform` values Defender reports for devices of this profile, with their relative shares, when it
   * has several spellings for them (Android devices enrolled as Android Enterprise, Amazon's Fire OS tablets).
   */
  readonly spellings?: readonly (readonly [string, number])[];
}

const WINDOWS_APPS: readonly (readonly [ProductKey, number])[] = [
  ['edge', 0.95],
  ['office', 0.8],
  ['dotnet', 0.9],
  ['teams', 0.7],
  ['onedrive', 0.75],
  ['chrome', 0.7],
  ['firefox', 0.25],
  ['acrobat', 0.45],
  ['jre', 0.15],
  ['openssl', 0.1],
  ['sevenZip', 0.3],
  ['notepadPlusPlus', 0.2],
  ['vlc', 0.2],
  ['zoom', 0.3],
  ['python', 0.12],
  ['git', 0.12],
  ['putty', 0.1],
  ['vscode', 0.2],
];

const SERVER_APPS: readonly (readonly [ProductKey, number])[] = [
  ['edge', 0.6],
  ['dotnet', 0.95],
  ['chrome', 0.2],
  ['jre', 0.25],
  ['openssl', 0.2],
  ['sevenZip', 0.4],
  ['notepadPlusPlus', 0.3],
  ['sqlServer', 0.25],
  ['python', 0.1],
  ['putty', 0.1],
];

const MAC_APPS: readonly (readonly [ProductKey, number])[] = [
  ['safari', 1],
  ['chrome', 0.7],
  ['firefox', 0.3],
  ['office', 0.6],
  ['edge', 0.3],
  ['zoom', 0.5],
  ['vscode', 0.3],
  ['python', 0.3],
];

const LINUX_APPS: readonly (readonly [ProductKey, number])[] = [
  ['openssl', 0.95],
  ['sudo', 0.9],
  ['curl', 0.9],
  ['openssh', 0.85],
  ['python', 0.6],
  ['git', 0.3],
  ['jre', 0.15],
];

export const PLATFORMS: readonly PlatformProfile[] = [
  {
    osPlatform: 'Windows10',
    family: 'workstation',
    weight: 34,
    releases: [
      {
        version: '22H2',
        osBuild: 19045,
        osVersions: ['10.0.19045.4894', '10.0.19045.5011', '10.0.19045.5131'],
      },
      { version: '21H2', osBuild: 19044, osVersions: ['10.0.19044.4894', '10.0.19044.5011'] },
    ],
    findingFactor: 1.15,
    osProduct: 'windows10',
    software: WINDOWS_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'Windows11',
    family: 'workstation',
    weight: 28,
    releases: [
      { version: '23H2', osBuild: 22631, osVersions: ['10.0.22631.4317', '10.0.22631.4460'] },
      { version: '22H2', osBuild: 22621, osVersions: ['10.0.22621.4317'] },
      { version: '24H2', osBuild: 26100, osVersions: ['10.0.26100.2161', '10.0.26100.2314'] },
    ],
    findingFactor: 1,
    osProduct: 'windows11',
    software: WINDOWS_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'WindowsServer2016',
    family: 'server',
    weight: 2,
    releases: [{ version: '1607', osBuild: 14393, osVersions: ['10.0.14393.7428', '10.0.14393.7515'] }],
    findingFactor: 1.4,
    osProduct: 'server2016',
    software: SERVER_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'WindowsServer2019',
    family: 'server',
    weight: 7,
    releases: [{ version: '1809', osBuild: 17763, osVersions: ['10.0.17763.6414', '10.0.17763.6532'] }],
    findingFactor: 1.2,
    osProduct: 'server2019',
    software: SERVER_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'WindowsServer2022',
    family: 'server',
    weight: 7,
    releases: [{ version: '21H2', osBuild: 20348, osVersions: ['10.0.20348.2762', '10.0.20348.2849'] }],
    findingFactor: 1,
    osProduct: 'server2022',
    software: SERVER_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'macOS',
    family: 'mac',
    weight: 7,
    releases: [
      { version: '15.1', osBuild: null, osVersions: ['15.0.1', '15.1'] },
      { version: '14.6', osBuild: null, osVersions: ['14.6.1', '14.7'] },
      { version: '13.7', osBuild: null, osVersions: ['13.7'] },
    ],
    findingFactor: 0.6,
    osProduct: 'macos',
    software: MAC_APPS,
    osArchitecture: 'arm64',
  },
  {
    osPlatform: 'Ubuntu',
    family: 'linux',
    weight: 4,
    releases: [
      { version: '22.4', osBuild: 6, osVersions: ['ubuntu_linux_22.04'] },
      { version: '20.4', osBuild: 6, osVersions: ['ubuntu_linux_20.04'] },
      { version: '24.4', osBuild: 8, osVersions: ['ubuntu_linux_24.04'] },
    ],
    findingFactor: 0.9,
    osProduct: 'linuxKernel',
    software: LINUX_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'RedHatEnterpriseLinux',
    family: 'linux',
    weight: 3,
    releases: [
      { version: '9.4', osBuild: null, osVersions: ['enterprise_linux_9.4'] },
      { version: '8.10', osBuild: null, osVersions: ['enterprise_linux_8.10'] },
    ],
    findingFactor: 0.9,
    osProduct: 'rhelKernel',
    software: LINUX_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'Linux',
    family: 'linux',
    weight: 1,
    releases: [{ version: '12', osBuild: null, osVersions: ['debian_linux_12'] }],
    findingFactor: 0.8,
    osProduct: 'linuxKernel',
    software: LINUX_APPS,
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'iOS',
    family: 'mobile',
    weight: 3,
    releases: [
      { version: '18.1', osBuild: null, osVersions: ['18.0.1', '18.1'] },
      { version: '17.6', osBuild: null, osVersions: ['17.6.1'] },
    ],
    findingFactor: 0.08,
    osProduct: 'ios',
    software: [],
    osArchitecture: 'arm64',
  },
  {
    osPlatform: 'Android',
    family: 'mobile',
    weight: 2,
    releases: [
      { version: '14', osBuild: null, osVersions: ['14'] },
      { version: '13', osBuild: null, osVersions: ['13'] },
    ],
    findingFactor: 0.08,
    osProduct: 'android',
    software: [],
    osArchitecture: 'arm64',
    spellings: [
      ['Android', 5],
      ['AndroidEnterprise', 3],
      ['Fire OS', 2],
    ],
  },
  {
    // Discovered network devices (cameras, printers): not onboarded, hardly any software inventory.
    osPlatform: 'Other',
    family: 'iot',
    weight: 1,
    releases: [{ version: 'Other', osBuild: null, osVersions: ['other'] }],
    findingFactor: 0.04,
    osProduct: null,
    software: [['openssl', 0.5]],
    osArchitecture: 'x64',
  },
  {
    osPlatform: 'Linux',
    family: 'iot',
    weight: 1,
    releases: [{ version: 'Other', osBuild: null, osVersions: ['embedded_linux'] }],
    findingFactor: 0.04,
    osProduct: null,
    software: [['busybox', 0.9]],
    osArchitecture: 'x64',
  },
];

const TOTAL_WEIGHT = PLATFORMS.reduce((sum, p) => sum + p.weight, 0);

/** Scales per-platform finding factors so the fleet-wide average equals the requested findings per machine. */
export const FINDING_FACTOR_NORMALISER =
  PLATFORMS.reduce((sum, p) => sum + p.weight * p.findingFactor, 0) / TOTAL_WEIGHT;

/** Picks a platform index from a uniform draw in [0, 1). */
export function platformIndexFor(uniform: number): number {
  let roll = uniform * TOTAL_WEIGHT;
  for (let i = 0; i < PLATFORMS.length; i++) {
    roll -= PLATFORMS[i]?.weight ?? 0;
    if (roll < 0) return i;
  }
  return PLATFORMS.length - 1;
}

/** Each profile's other spellings as profiles of their own, made once so every machine shares them. */
const SPELLED: ReadonlyMap<PlatformProfile, ReadonlyMap<string, PlatformProfile>> = new Map(
  PLATFORMS.map((p) => [
    p,
    new Map(
      (p.spellings ?? []).map(
        ([osPlatform]) => [osPlatform, osPlatform === p.osPlatform ? p : { ...p, osPlatform }] as const,
      ),
    ),
  ]),
);

/**
 * The profile as one device reports it: the same profile with the `osPlatform` spelling `pick` chooses among
 * its spellings. Only the name differs, so names, software and findings stay those of the profile.
 */
export function spelledPlatform(
  platform: PlatformProfile,
  pick: (spellings: readonly (readonly [string, number])[]) => string,
): PlatformProfile {
  if (platform.spellings === undefined) return platform;
  return SPELLED.get(platform)?.get(pick(platform.spellings)) ?? platform;
}

export function platformAt(index: number): PlatformProfile {
  const platform = PLATFORMS[index];
  if (platform === undefined) throw new RangeError(`no platform ${index}`);
  return platform;
}
