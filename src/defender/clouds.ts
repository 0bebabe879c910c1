/**
 * Where Microsoft's services live per cloud, and which token audience each API wants. One place, so a
 * sovereign-cloud fix is made once.
 */
export type CloudName = 'commercial' | 'gcc' | 'gccHigh';

export interface Cloud {
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  /** Token audience of the MDE API. Microsoft's samples ask for the securitycenter App ID URI. */
  readonly defenderAudience: string;
  readonly graphAudience: string;
  /** Azure Resource Manager (Defender for Cloud); its token audience is the same URL. */
  readonly armBaseUrl: string;
  /**
   * The Microsoft 365 Defender API (incidents); its token audience is the same URL, the App ID URI of the
   * "Microsoft Threat Protection" app, whose permissions (Incident.Read.All) are not WindowsDefenderATP's.
   */
  readonly xdrBaseUrl: string;
}

export const clouds: Readonly<Record<CloudName, Cloud>> = {
  commercial: {
    authorityHost: 'https://login.microsoftonline.com',
    graphBaseUrl: 'https://graph.microsoft.com',
    defenderAudience: 'https://api.securitycenter.microsoft.com',
    graphAudience: 'https://graph.microsoft.com',
    armBaseUrl: 'https://management.azure.com',
    xdrBaseUrl: 'https://api.security.microsoft.com',
  },
  // GCC keeps the commercial sign-in and Graph but has its own Defender host and audience.
  gcc: {
    authorityHost: 'https://login.microsoftonline.com',
    graphBaseUrl: 'https://graph.microsoft.com',
    defenderAudience: 'https://api-gcc.securitycenter.microsoft.us',
    graphAudience: 'https://graph.microsoft.com',
    // GCC's Azure subscriptions are usually commercial Azure; a GCC tenant on Azure Government sets armBaseUrl.
    armBaseUrl: 'https://management.azure.com',
    xdrBaseUrl: 'https://api-gcc.security.microsoft.us',
  },
  gccHigh: {
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://graph.microsoft.us',
    defenderAudience: 'https://api-gov.securitycenter.microsoft.us',
    graphAudience: 'https://graph.microsoft.us',
    armBaseUrl: 'https://management.usgovcloudapi.net',
    xdrBaseUrl: 'https://api-gov.security.microsoft.us',
  },
  // Azure China (21Vianet) would be ARM https://management.chinacloudapi.cn with sign-in
  // https://login.chinacloudapi.cn; Defender for Endpoint has no China host here, so it is not a cloud of its own.
};

/**
 * The Defender API hosts offered by name; anything else is a custom URL (a proxy, the simulator). US2 and US3
 * are the older data-centre hosts that existing tenants still use, and the "legacy" ones the regional
 * securitycenter hosts older guides and existing integrations name.
 */
export const defenderRegions = {
  Global: { apiBaseUrl: 'https://api.security.microsoft.com', cloud: 'commercial' },
  US: { apiBaseUrl: 'https://us.api.security.microsoft.com', cloud: 'commercial' },
  US2: { apiBaseUrl: 'https://api-us2.securitycenter.microsoft.com', cloud: 'commercial' },
  US3: { apiBaseUrl: 'https://api-us3.securitycenter.microsoft.com', cloud: 'commercial' },
  EU: { apiBaseUrl: 'https://eu.api.security.microsoft.com', cloud: 'commercial' },
  UK: { apiBaseUrl: 'https://uk.api.security.microsoft.com', cloud: 'commercial' },
  AU: { apiBaseUrl: 'https://au.api.security.microsoft.com', cloud: 'commercial' },
  SWA: { apiBaseUrl: 'https://swa.api.security.microsoft.com', cloud: 'commercial' },
  INA: { apiBaseUrl: 'https://ina.api.security.microsoft.com', cloud: 'commercial' },
  'US legacy': { apiBaseUrl: 'https://api-us.securitycenter.microsoft.com', cloud: 'commercial' },
  'EU legacy': { apiBaseUrl: 'https://api-eu.securitycenter.microsoft.com', cloud: 'commercial' },
  'UK legacy': { apiBaseUrl: 'https://api-uk.securitycenter.microsoft.com', cloud: 'commercial' },
  'AU legacy': { apiBaseUrl: 'https://api-au.securitycenter.microsoft.com', cloud: 'commercial' },
  GCC: { apiBaseUrl: 'https://api-gcc.securitycenter.microsoft.us', cloud: 'gcc' },
  'GCC High': { apiBaseUrl: 'https://api-gov.securitycenter.microsoft.us', cloud: 'gccHigh' },
} as const satisfies Record<string, { apiBaseUrl: string; cloud: CloudName }>;

export type DefenderRegion = keyof typeof defenderRegions;

export const defaultApiBaseUrl = defenderRegions.Global.apiBaseUrl;

/** The cloud a Defender API host belongs to; custom hosts count as commercial unless told otherwise. */
export function cloudOfApiBaseUrl(apiBaseUrl: string): CloudName {
  const host = new URL(apiBaseUrl).hostname;
  if (host === 'api-gcc.securitycenter.microsoft.us') return 'gcc';
  if (host.endsWith('.microsoft.us')) return 'gccHigh';
  return 'commercial';
}

/** Azure Resource Manager's public hosts; each is its own token audience. */
const armHosts = ['management.azure.com', 'management.usgovcloudapi.net', 'management.chinacloudapi.cn'];

/**
 * The token audience for an ARM base URL: a Microsoft ARM host is its own (so a sovereign armBaseUrl signs in
 * for its cloud even with a commercial Defender host); anything else (a proxy, the simulator) gets `fallback`,
 * the Defender host's cloud's ARM.
 */
export function armAudienceOf(armBaseUrl: string | undefined, fallback: string): string {
  if (armBaseUrl === undefined) return fallback;
  const url = new URL(armBaseUrl);
  return armHosts.includes(url.hostname) ? url.origin : fallback;
}

/**
 * Where the Microsoft 365 Defender API is for a Defender API base URL: Microsoft's own hosts (any region) share
 * their cloud's one; any other host (a proxy, the simulator) serves it beside the Defender API.
 */
export function xdrBaseUrlOf(apiBaseUrl: string, cloud: CloudName): string {
  const host = new URL(apiBaseUrl).hostname;
  return host.endsWith('.microsoft.com') || host.endsWith('.microsoft.us')
    ? clouds[cloud].xdrBaseUrl
    : apiBaseUrl;
}

/** Microsoft's own sign-in hosts; any other authority needs instance discovery switched off. */
export function isMicrosoftAuthorityHost(authorityHost: string): boolean {
  const host = new URL(authorityHost).hostname;
  return [
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.windows.net',
    'login.chinacloudapi.cn',
  ].includes(host);
}
