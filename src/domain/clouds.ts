/**
 * The Microsoft clouds the hub speaks to and the Defender regions offered by name: where each cloud's services
 * live and which token audience each API wants. The client, the portal links, the integration settings and the
 * web form all read it here: one place, so a sovereign-cloud fix is made once.
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
