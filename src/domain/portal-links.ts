/**
 * Links into the Microsoft Defender portal, built per cloud in one place. Portal hosts per cloud follow
 * Microsoft's "Defender for Endpoint for US Government customers" page (defender-endpoint/gov.md, "Portal
 * URLs"): GCC uses the commercial portal, GCC High its own `.us` portal. (DoD's security.apps.mil has no
 * CloudName yet.)
 */
import { cloudOfApiBaseUrl, type CloudName } from './clouds.js';

export const portalBaseUrls: Readonly<Record<CloudName, string>> = {
  commercial: 'https://security.microsoft.com',
  gcc: 'https://security.microsoft.com',
  gccHigh: 'https://security.microsoft.us',
};

export interface PortalTenant {
  readonly cloud: CloudName;
  /** Entra tenant id; `?tid=` makes the portal open that tenant for users with access to several. */
  readonly tenantId: string;
}

/** Where no integration speaks for a record: the commercial portal, without `tid` (the signed-in tenant). */
export const commercialPortalTenant: PortalTenant = { cloud: 'commercial', tenantId: '' };

/** An integration's tenant in the portal: its Entra tenant id, and the cloud of its Defender API host. */
export function integrationPortalTenant(integration: {
  readonly tenantId: string;
  readonly apiBaseUrl: string;
}): PortalTenant {
  return { cloud: cloudOfApiBaseUrl(integration.apiBaseUrl), tenantId: integration.tenantId };
}

/** The portal that goes with a Defender API host (custom hosts, such as the simulator, count as commercial). */
export function portalForApiBaseUrl(apiBaseUrl: string): string {
  return portalBaseUrls[cloudOfApiBaseUrl(apiBaseUrl)];
}

/**
 * `segments` are ids from Defender: each is percent-encoded, so an id with `/`, `?` or `#` cannot leave its
 * path segment. An empty tenant id leaves out `tid` and lets the portal pick the signed-in tenant.
 */
function portalUrl(tenant: PortalTenant, path: (segment: (id: string) => string) => string): string {
  const query = tenant.tenantId === '' ? '' : `?tid=${encodeURIComponent(tenant.tenantId)}`;
  return `${portalBaseUrls[tenant.cloud]}${path(encodeURIComponent)}${query}`;
}

/** Device page. Not documented by Microsoft; the form used by many third-party tools (reference §8). */
export function endpointOverviewUrl(tenant: PortalTenant, machineId: string): string {
  return portalUrl(tenant, (s) => `/machines/v2/${s(machineId)}/overview`);
}

/** Device page, vulnerabilities tab. UNVERIFIED: no source found, guessed from the overview form. */
export function endpointVulnerabilitiesUrl(tenant: PortalTenant, machineId: string): string {
  return portalUrl(tenant, (s) => `/machines/v2/${s(machineId)}/vulnerabilities`);
}

/** Device page, alerts tab. UNVERIFIED: no source found, guessed from the overview form. */
export function endpointAlertsUrl(tenant: PortalTenant, machineId: string): string {
  return portalUrl(tenant, (s) => `/machines/v2/${s(machineId)}/alerts`);
}

/** Alert page; official (Graph `alertWebUrl` examples). */
export function alertUrl(tenant: PortalTenant, alertId: string): string {
  return portalUrl(tenant, (s) => `/alerts/${s(alertId)}`);
}

/** Incident page; official (Graph `incidentWebUrl` examples). */
export function incidentUrl(tenant: PortalTenant, incidentId: string): string {
  return portalUrl(tenant, (s) => `/incidents/${s(incidentId)}`);
}

/** Vulnerability (CVE) page. Not documented by Microsoft; seen in third-party tools (reference §8). */
export function cveUrl(tenant: PortalTenant, cveId: string): string {
  return portalUrl(tenant, (s) => `/vulnerabilities/vulnerability/${s(cveId)}/overview`);
}
