/**
 * What each feature of the hub needs of the app registration: the one table sync, the connection status, the
 * connection test and docs/app-registration.md read (a test holds the document to it). Each feature names every
 * source that serves it, best first (the one a sync reads through when several are granted), each with its API
 * and the permissions of which any one opens it, least privileged first.
 */

/**
 * The APIs an app registration is granted permissions on, under the names its "API permissions" page shows.
 * `arm` is Azure Resource Manager, where access is an Azure RBAC role on each subscription, not an app permission.
 */
export const permissionApiNames = {
  defender: 'WindowsDefenderATP',
  xdr: 'Microsoft Threat Protection',
  graph: 'Microsoft Graph',
  arm: 'Azure RBAC',
} as const;
export type PermissionApi = keyof typeof permissionApiNames;
export type PermissionApiName = (typeof permissionApiNames)[PermissionApi];

/** The APIs whose permissions an access token's `roles` claim carries. */
export type TokenApi = Exclude<PermissionApi, 'arm'>;
export const tokenApis: readonly TokenApi[] = ['defender', 'xdr', 'graph'];

/** The roles each token carries; an API that is absent was not signed in to (or its sign-in failed). */
export type TokenRoles = Partial<Readonly<Record<TokenApi, readonly string[]>>>;

export const features = [
  'assets',
  'findings',
  'cveCatalog',
  'software',
  'recommendations',
  'exposureScore',
  'alerts',
  'incidents',
  'machineActions',
  'scan',
  'isolate',
  'collect',
  'hunting',
  'entraDevices',
  'credentialExpiry',
  'cloudPosture',
] as const;
export type Feature = (typeof features)[number];

export interface PermissionSource {
  readonly api: PermissionApi;
  /** Any one suffices; the least privileged first. */
  readonly permissions: readonly string[];
}

export interface FeaturePermissions {
  readonly feature: Feature;
  /** How people call it, in the lower case a sentence takes: "alerts", "CVE catalog". */
  readonly label: string;
  /** Whether the label takes "need" (alerts need …) rather than "needs" (software needs …). */
  readonly plural: boolean;
  /** Best first. */
  readonly sources: readonly PermissionSource[];
  /** What granting it adds, for the table and for a limited status. */
  readonly enables: string;
}

const machineRead = ['Machine.Read.All', 'Machine.ReadWrite.All'];

/** In the order the table is shown. */
export const permissionTable: readonly FeaturePermissions[] = [
  {
    feature: 'assets',
    label: 'assets',
    plural: true,
    sources: [{ api: 'defender', permissions: machineRead }],
    enables:
      'Endpoints: every device with its OS, health, exposure, risk, tags and device group, and the OS profiles.',
  },
  {
    feature: 'findings',
    label: 'findings',
    plural: true,
    sources: [{ api: 'defender', permissions: ['Vulnerability.Read.All'] }],
    enables:
      "Findings: each device's vulnerable software and its CVEs, and the patches they add up to with their Defender.* metadata.",
  },
  {
    feature: 'cveCatalog',
    label: 'CVE catalog',
    plural: false,
    sources: [{ api: 'defender', permissions: ['Vulnerability.Read.All'] }],
    enables: 'The CVE catalog: severity, CVSS, exploit flags, EPSS and attack vector of every CVE.',
  },
  {
    feature: 'software',
    label: 'software',
    plural: false,
    sources: [{ api: 'defender', permissions: ['Software.Read.All'] }],
    enables: 'The software inventory: products, the devices they are installed on, end of support.',
  },
  {
    feature: 'recommendations',
    label: 'recommendations',
    plural: true,
    sources: [{ api: 'defender', permissions: ['SecurityRecommendation.Read.All'] }],
    enables: 'Security recommendations and the devices each one is about.',
  },
  {
    feature: 'exposureScore',
    label: 'exposure score',
    plural: false,
    sources: [{ api: 'defender', permissions: ['Score.Read.All'] }],
    enables: 'The exposure score of the organisation and of each device group, kept over time.',
  },
  {
    feature: 'alerts',
    label: 'alerts',
    plural: true,
    sources: [
      // Graph's alerts_v2 holds every Defender product's alerts; /api/alerts only Defender for Endpoint's.
      { api: 'graph', permissions: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'] },
      { api: 'defender', permissions: ['Alert.Read.All', 'Alert.ReadWrite.All'] },
    ],
    enables: "Alerts, and the alert part of each endpoint's risk.",
  },
  {
    feature: 'incidents',
    label: 'incidents',
    plural: true,
    sources: [
      { api: 'graph', permissions: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'] },
      { api: 'xdr', permissions: ['Incident.Read.All', 'Incident.ReadWrite.All'] },
    ],
    enables: 'Incidents and the alerts each one groups.',
  },
  {
    feature: 'machineActions',
    label: 'machine actions',
    plural: true,
    sources: [{ api: 'defender', permissions: machineRead }],
    enables:
      "Response actions taken in the Defender portal or by other tools, and the final state of the hub's own.",
  },
  {
    feature: 'scan',
    label: 'scan',
    plural: false,
    sources: [{ api: 'defender', permissions: ['Machine.Scan'] }],
    enables: 'Antivirus scans started from the hub.',
  },
  {
    feature: 'isolate',
    label: 'isolate',
    plural: false,
    sources: [{ api: 'defender', permissions: ['Machine.Isolate'] }],
    enables: 'Isolating a device from the network, and releasing it, from the hub.',
  },
  {
    feature: 'collect',
    label: 'collect',
    plural: false,
    sources: [{ api: 'defender', permissions: ['Machine.CollectForensics'] }],
    enables: 'Collecting an investigation package from a device, from the hub.',
  },
  {
    feature: 'hunting',
    label: 'hunting',
    plural: false,
    sources: [
      { api: 'graph', permissions: ['ThreatHunting.Read.All'] },
      // Being retired by Microsoft: the fallback for apps granted only the older permission.
      { api: 'defender', permissions: ['AdvancedQuery.Read.All'] },
    ],
    enables: 'Advanced hunting queries (KQL) run from the hub.',
  },
  {
    feature: 'entraDevices',
    label: 'Entra devices',
    plural: true,
    sources: [{ api: 'graph', permissions: ['Device.Read.All', 'Directory.Read.All'] }],
    enables: 'Entra ID devices joined to endpoints, and the devices never onboarded to Defender.',
  },
  {
    feature: 'credentialExpiry',
    label: 'credential expiry',
    plural: false,
    sources: [{ api: 'graph', permissions: ['Application.Read.All'] }],
    enables: "Warnings 30, 14 and 3 days before the app's secret or certificate expires.",
  },
  {
    feature: 'cloudPosture',
    label: 'cloud posture',
    plural: false,
    sources: [{ api: 'arm', permissions: ['Security Reader'] }],
    enables:
      'Defender for Cloud: secure score, assessments and their findings, per subscription (a Defender for Cloud integration).',
  },
];

const byFeature = new Map(permissionTable.map((row) => [row.feature, row]));

export function featurePermissions(feature: Feature): FeaturePermissions {
  const row = byFeature.get(feature);
  // The table lists every feature (a unit test walks them); a miss is a programming error.
  if (row === undefined) throw new Error(`The permission table has no row for ${feature}.`);
  return row;
}

/**
 * Whether the tokens let the hub use a feature, decided from their roles alone (no call to the API):
 * `permitted` through at least one source; `notPermitted` when every source's token was read and carries none
 * of its permissions; `notChecked` when a source's access cannot be told from a token (Azure RBAC) or its
 * token was not had (a sign-in not tried or failed), and no other source permits it.
 */
export type FeatureAccess = 'permitted' | 'notPermitted' | 'notChecked';

export function featureAccess(feature: Feature, roles: TokenRoles): FeatureAccess {
  const { sources } = featurePermissions(feature);
  if (sources.some((source) => grantedBy(source, roles).length > 0)) return 'permitted';
  return sources.every((source) => source.api !== 'arm' && roles[source.api] !== undefined)
    ? 'notPermitted'
    : 'notChecked';
}

/** The source a read goes through: the first whose token carries one of its permissions. */
export function permittedSource(feature: Feature, roles: TokenRoles): PermissionSource | undefined {
  return featurePermissions(feature).sources.find((source) => grantedBy(source, roles).length > 0);
}

/** The permissions of a source that its token carries. */
function grantedBy(source: PermissionSource, roles: TokenRoles): string[] {
  if (source.api === 'arm') return [];
  const held = roles[source.api] ?? [];
  return source.permissions.filter((permission) => held.includes(permission));
}

/**
 * "alerts need Alert.Read.All or SecurityAlert.Read.All": the least privileged permission of each source, in
 * alphabetical order so the words do not change when the table reorders its sources.
 */
export function needsText(feature: Feature): string {
  const row = featurePermissions(feature);
  const least = row.sources.flatMap((source) => source.permissions.slice(0, 1)).sort();
  return `${row.label} ${row.plural ? 'need' : 'needs'} ${least.join(' or ')}`;
}

/** Every permission of a feature with its API: "SecurityAlert.Read.All or … (Microsoft Graph); … (WindowsDefenderATP)". */
export function acceptedText(feature: Feature): string {
  return featurePermissions(feature)
    .sources.map((s) => `${s.permissions.join(' or ')} (${permissionApiNames[s.api]})`)
    .join('; ');
}

/** The features in the table's order, each once. */
export function inTableOrder(list: Iterable<Feature>): Feature[] {
  const wanted = new Set(list);
  return features.filter((feature) => wanted.has(feature));
}

/** A feature the app's permissions keep the hub from, in words: what it needs and what granting it adds. */
export interface FeatureLimit {
  readonly feature: Feature;
  /** "alerts need Alert.Read.All or SecurityAlert.Read.All". */
  readonly needs: string;
  /** Every permission that would do, with its API. */
  readonly accepted: string;
  readonly enables: string;
}

export function featureLimit(feature: Feature): FeatureLimit {
  return {
    feature,
    needs: needsText(feature),
    accepted: acceptedText(feature),
    enables: featurePermissions(feature).enables,
  };
}
