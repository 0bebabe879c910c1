/**
 * The resources a Defender integration signs in to, and the app roles each one grants: Defender for Endpoint
 * (WindowsDefenderATP), Microsoft Graph, the Microsoft 365 Defender API (Microsoft Threat Protection, `xdr`).
 * Azure Resource Manager (Defender for Cloud) grants none: access there is Azure RBAC on each subscription.
 */
export type Audience = 'mde' | 'graph' | 'xdr' | 'arm';

export const MDE_ROLES = [
  'Machine.Read.All',
  'Machine.ReadWrite.All',
  'Vulnerability.Read.All',
  'Software.Read.All',
  'Alert.Read.All',
  'Alert.ReadWrite.All',
  'Machine.Isolate',
  'Machine.Scan',
  'Machine.CollectForensics',
  'AdvancedQuery.Read.All',
  'SecurityRecommendation.Read.All',
  'Score.Read.All',
] as const;

export const GRAPH_ROLES = [
  'SecurityAlert.Read.All',
  'SecurityAlert.ReadWrite.All',
  'SecurityIncident.Read.All',
  'SecurityIncident.ReadWrite.All',
  'ThreatHunting.Read.All',
  'Application.Read.All',
  'Device.Read.All',
  'Directory.Read.All',
] as const;

/** Microsoft Threat Protection's roles the simulated APIs check (the incidents list). */
export const XDR_ROLES = ['Incident.Read.All', 'Incident.ReadWrite.All'] as const;

export const ALL_ROLES: readonly string[] = [...MDE_ROLES, ...GRAPH_ROLES, ...XDR_ROLES];

/**
 * App ID URIs accepted as `resource=` or `scope=<uri>/.default`, by the API they open. api.security.microsoft.com
 * is Microsoft Threat Protection's, not WindowsDefenderATP's, although the Defender for Endpoint API is served on
 * that host too: its tokens carry the incident roles, never Machine.Read.All.
 */
const RESOURCES: ReadonlyMap<string, Audience> = new Map([
  ['https://api.securitycenter.microsoft.com', 'mde'],
  ['https://securitycenter.onmicrosoft.com/windowsatpservice', 'mde'],
  ['https://api-gcc.securitycenter.microsoft.us', 'mde'],
  ['https://api-gov.securitycenter.microsoft.us', 'mde'],
  ['https://api.security.microsoft.com', 'xdr'],
  ['https://api-gcc.security.microsoft.us', 'xdr'],
  ['https://api-gov.security.microsoft.us', 'xdr'],
  ['https://graph.microsoft.com', 'graph'],
  ['https://graph.microsoft.us', 'graph'],
  ['https://management.azure.com', 'arm'],
  ['https://management.core.windows.net', 'arm'],
  ['https://management.usgovcloudapi.net', 'arm'],
  ['https://management.core.usgovcloudapi.net', 'arm'],
]);

/** The audience of a resource URI (a trailing slash and letter case do not matter), if it is one we serve. */
export function audienceOf(resource: string): Audience | undefined {
  return RESOURCES.get(resource.replace(/\/+$/, '').toLowerCase());
}

/** The granted roles that belong to a resource: the token for MDE never carries Graph roles and vice versa. */
export function rolesFor(audience: Audience, granted: readonly string[]): string[] {
  const own: Record<Audience, readonly string[]> = {
    mde: MDE_ROLES,
    graph: GRAPH_ROLES,
    xdr: XDR_ROLES,
    arm: [],
  };
  return granted.filter((role) => own[audience].includes(role));
}
