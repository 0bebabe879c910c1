import type { TenantIdentity } from '../identity.js';
import { rngFor, type Rng } from '../random.js';
import { iso7, TICKS_PER_DAY, TICKS_PER_HOUR, type Ticks } from '../time.js';
import type { CatalogEntry, VulnerabilityCatalog } from './vulnerability-catalog.js';

/**
 * Microsoft Defender for Cloud as Azure Resource Manager shows it: subscriptions with resource groups, virtual
 * machines, container registries (with images) and SQL servers, their security assessments, the
 * sub-assessments (vulnerability findings) of the vulnerability assessments, and secure scores built from them.
 * Small (tens of records per subscription) and a pure function of the seed, so it is computed once at start.
 */

/** Keeps ARM's draws apart from every other record kind's (the tags in random.ts are small numbers). */
const ARM_STREAM = 0x41_52_4d;

export type ResourceKind = 'virtualMachine' | 'containerRegistry' | 'sqlServer';
export type AssessmentStatus = 'Healthy' | 'Unhealthy' | 'NotApplicable';
export type SubSeverity = 'Low' | 'Medium' | 'High';

export interface ArmSubscription {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly state: 'Enabled';
  /** False for the one the app holds no role on: its Microsoft.Security calls answer 403. */
  readonly readable: boolean;
  readonly resourceGroups: readonly string[];
  readonly resources: readonly ArmResource[];
  readonly assessments: readonly Record<string, unknown>[];
  readonly subAssessments: readonly Record<string, unknown>[];
  readonly secureScores: readonly Record<string, unknown>[];
  /** Controls per secure score name. */
  readonly controls: ReadonlyMap<string, readonly Record<string, unknown>[]>;
}

export interface ArmResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  /** Container registries only: `{repository, digest}` per image. */
  readonly images: readonly { readonly repository: string; readonly digest: string }[];
}

interface AssessmentDefinition {
  readonly key: string;
  readonly displayName: string;
  readonly kind: ResourceKind;
  readonly severity: SubSeverity;
  readonly control: string;
  /** Its unhealthy state carries sub-assessments of this type. */
  readonly findings?: 'server' | 'container' | 'sql';
}

interface ControlDefinition {
  readonly name: string;
  readonly displayName: string;
  readonly max: number;
}

/** Security controls of the default initiative (names are the controls' GUIDs, as ARM gives them). */
const CONTROLS: readonly ControlDefinition[] = [
  { name: '1a2c2a7f-2c5e-4c6f-9c3a-1f0a7e3b2d41', displayName: 'Remediate vulnerabilities', max: 6 },
  { name: '2b3d3b8a-3d6f-4d7a-8d4b-2a1b8f4c3e52', displayName: 'Apply system updates', max: 6 },
  { name: '3c4e4c9b-4e7a-4e8b-9e5c-3b2c9a5d4f63', displayName: 'Secure management ports', max: 8 },
  { name: '4d5f5dac-5f8b-4f9c-8f6d-4c3dab6e5a74', displayName: 'Enable endpoint protection', max: 2 },
  {
    name: '5e6a6ebd-6a9c-4a0d-9a7e-5d4ebc7f6b85',
    displayName: 'Restrict unauthorized network access',
    max: 4,
  },
  { name: '6f7b7fce-7b0d-4b1e-8b8f-6e5fcd8a7c96', displayName: 'Enable enhanced security features', max: 0 },
];

const [REMEDIATE, UPDATES, PORTS, ENDPOINT, NETWORK, ENHANCED] = CONTROLS.map((c) => c.name) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const DEFINITIONS: readonly AssessmentDefinition[] = [
  {
    key: '1195afff-c881-495e-9bc5-1486211ae03f',
    displayName: 'Machines should have vulnerability findings resolved',
    kind: 'virtualMachine',
    severity: 'High',
    control: REMEDIATE,
    findings: 'server',
  },
  {
    key: '4ab6e3c5-74dd-8b35-9ab9-f61b30875b27',
    displayName: 'System updates should be installed on your machines',
    kind: 'virtualMachine',
    severity: 'High',
    control: UPDATES,
  },
  {
    key: '805651bc-6ecd-4c73-9b55-97a19d0582d0',
    displayName:
      'Management ports of virtual machines should be protected with just-in-time network access control',
    kind: 'virtualMachine',
    severity: 'High',
    control: PORTS,
  },
  {
    key: '83f577bd-a1b6-b7e1-0891-12ca19d1e6df',
    displayName: 'Install endpoint protection solution on virtual machines',
    kind: 'virtualMachine',
    severity: 'Medium',
    control: ENDPOINT,
  },
  {
    key: 'c0b7cfc6-3172-465a-b378-53c7ff2cc0d5',
    displayName: 'Azure registry container images should have vulnerabilities resolved',
    kind: 'containerRegistry',
    severity: 'High',
    control: REMEDIATE,
    findings: 'container',
  },
  {
    key: '42eb0ad8-0c6e-4f9e-9bd3-7f1a2c5d8e90',
    displayName: 'Container registries should not allow unrestricted network access',
    kind: 'containerRegistry',
    severity: 'Low',
    control: NETWORK,
  },
  {
    key: '82e20e14-edc5-4373-bfc4-f13121257c37',
    displayName: 'SQL servers should have vulnerability findings resolved',
    kind: 'sqlServer',
    severity: 'High',
    control: REMEDIATE,
    findings: 'sql',
  },
  {
    key: '400a6682-992c-4726-9549-629fbc3b988f',
    displayName: 'Azure Defender for SQL should be enabled for unprotected Azure SQL servers',
    kind: 'sqlServer',
    severity: 'High',
    control: ENHANCED,
  },
];

const SQL_CHECKS: readonly { id: string; displayName: string; category: string; query: string }[] = [
  {
    id: 'VA2064',
    displayName: 'Database-level firewall rules should be tracked and maintained at a strict minimum',
    category: 'SurfaceAreaReduction',
    query: 'SELECT name, start_ip_address, end_ip_address FROM sys.database_firewall_rules',
  },
  {
    id: 'VA2065',
    displayName: 'Server-level firewall rules should be tracked and maintained at a strict minimum',
    category: 'SurfaceAreaReduction',
    query: 'SELECT name, start_ip_address, end_ip_address FROM sys.firewall_rules',
  },
  {
    id: 'VA1143',
    displayName: "'dbo' user should not be used for normal service operation",
    category: 'AuthenticationAndAuthorization',
    query: "SELECT name FROM sys.database_principals WHERE name = 'dbo'",
  },
  {
    id: 'VA1258',
    displayName: 'Database owners are as expected',
    category: 'AuthenticationAndAuthorization',
    query:
      "SELECT USER_NAME(member_principal_id) FROM sys.database_role_members WHERE role_principal_id = DATABASE_PRINCIPAL_ID('db_owner')",
  },
  {
    id: 'VA1219',
    displayName: 'Transparent data encryption should be enabled',
    category: 'DataProtection',
    query: 'SELECT is_encrypted FROM sys.databases',
  },
];

const SUBSCRIPTION_NAMES = [
  'Production',
  'Development',
  'Sandbox',
  'Shared services',
  'Data platform',
  'Test',
];
const RG_PURPOSES = ['web', 'data', 'apps', 'ops', 'analytics', 'identity'];
const REPOSITORIES = ['web/frontend', 'api/orders', 'jobs/worker', 'base/dotnet-runtime', 'tools/nginx'];

const portalAssessment = (key: string, resourceId: string): string =>
  `https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${key}/onPremiseMachineId/${encodeURIComponent(resourceId)}`;

function toSubSeverity(severity: CatalogEntry['severity']): SubSeverity {
  return severity === 'Critical' ? 'High' : severity;
}

/** The whole Defender for Cloud estate of the simulated tenant. */
export class ArmWorld {
  readonly subscriptions: readonly ArmSubscription[];
  readonly #byId: ReadonlyMap<string, ArmSubscription>;

  /**
   * `count` subscriptions; the last one (when there are two or more) is the one the app cannot read. Record
   * times lie in the days before `now`.
   */
  constructor(
    seed: number,
    identity: TenantIdentity,
    catalog: VulnerabilityCatalog,
    now: Ticks,
    count: number,
  ) {
    const subscriptions: ArmSubscription[] = [];
    for (let index = 0; index < count; index++) {
      const rng = rngFor(seed, ARM_STREAM, index);
      const readable = count < 2 || index < count - 1;
      subscriptions.push(buildSubscription(rng, index, identity, catalog, now, readable));
    }
    this.subscriptions = subscriptions;
    this.#byId = new Map(subscriptions.map((s) => [s.subscriptionId, s]));
  }

  subscription(id: string): ArmSubscription | undefined {
    return this.#byId.get(id.toLowerCase());
  }
}

function buildSubscription(
  rng: Rng,
  index: number,
  identity: TenantIdentity,
  catalog: VulnerabilityCatalog,
  now: Ticks,
  readable: boolean,
): ArmSubscription {
  const subscriptionId = rng.guid();
  const base = SUBSCRIPTION_NAMES[index % SUBSCRIPTION_NAMES.length] ?? 'Subscription';
  const round = Math.floor(index / SUBSCRIPTION_NAMES.length);
  const displayName = `${identity.orgName} ${base}${round > 0 ? ` ${round + 1}` : ''}`;
  const scope = `/subscriptions/${subscriptionId}`;
  const resourceGroups: string[] = [];
  const resources: ArmResource[] = [];
  const groupCount = rng.between(2, 3);
  for (let g = 0; g < groupCount; g++) {
    const group = `rg-${RG_PURPOSES[(index + g) % RG_PURPOSES.length] ?? 'app'}-${g + 1}`;
    resourceGroups.push(group);
    const rgScope = `${scope}/resourceGroups/${group}`;
    const vms = rng.between(1, 3);
    for (let v = 0; v < vms; v++) {
      const name = `vm-${group.slice(3)}-${String(v + 1).padStart(2, '0')}`;
      resources.push({
        kind: 'virtualMachine',
        id: `${rgScope}/providers/Microsoft.Compute/virtualMachines/${name}`,
        name,
        resourceGroup: group,
        images: [],
      });
    }
    if (rng.chance(0.7)) {
      const name = `acr${identity.orgName}${index}${g}`;
      const images = REPOSITORIES.slice(0, rng.between(1, 3)).map((repository) => ({
        repository,
        digest: `sha256:${rng.hex(64)}`,
      }));
      resources.push({
        kind: 'containerRegistry',
        id: `${rgScope}/providers/Microsoft.ContainerRegistry/registries/${name}`,
        name,
        resourceGroup: group,
        images,
      });
    }
    if (rng.chance(0.6)) {
      const name = `sql-${identity.orgName}-${index}${g}`;
      resources.push({
        kind: 'sqlServer',
        id: `${rgScope}/providers/Microsoft.Sql/servers/${name}`,
        name,
        resourceGroup: group,
        images: [],
      });
    }
  }

  const assessments: Record<string, unknown>[] = [];
  const subAssessments: Record<string, unknown>[] = [];
  const tally = new Map<string, { healthy: number; unhealthy: number; notApplicable: number }>();
  for (const resource of resources) {
    for (const definition of DEFINITIONS.filter((d) => d.kind === resource.kind)) {
      const status: AssessmentStatus = rng.weighted([
        ['Healthy', 50],
        ['Unhealthy', definition.findings === undefined ? 35 : 60],
        ['NotApplicable', 10],
      ]);
      const counts = tally.get(definition.control) ?? { healthy: 0, unhealthy: 0, notApplicable: 0 };
      if (status === 'Healthy') counts.healthy++;
      else if (status === 'Unhealthy') counts.unhealthy++;
      else counts.notApplicable++;
      tally.set(definition.control, counts);
      const firstEvaluation = now - rng.between(5, 60) * TICKS_PER_DAY - rng.int(TICKS_PER_DAY);
      const changed = Math.max(firstEvaluation, now - rng.int(5 * TICKS_PER_DAY));
      const assessmentId = `${resource.id}/providers/Microsoft.Security/assessments/${definition.key}`;
      assessments.push({
        id: assessmentId,
        name: definition.key,
        type: 'Microsoft.Security/assessments',
        properties: {
          resourceDetails: { source: 'Azure', id: resource.id },
          displayName: definition.displayName,
          status: statusBody(status, firstEvaluation, changed),
          metadata: {
            displayName: definition.displayName,
            severity: definition.severity,
            assessmentType: 'BuiltIn',
            categories: [definition.findings === undefined ? 'Compute' : 'Data'],
            userImpact: 'Low',
            implementationEffort: 'Moderate',
          },
          links: { azurePortalUri: portalAssessment(definition.key, resource.id) },
        },
      });
      if (status !== 'Unhealthy' || definition.findings === undefined) continue;
      const context = { rng, catalog, now, assessmentId };
      if (definition.findings === 'container') {
        for (const image of resource.images)
          subAssessments.push(...containerFindings(context, resource, image));
      } else if (definition.findings === 'server') {
        subAssessments.push(...serverFindings(context, resource));
      } else {
        subAssessments.push(...sqlFindings(context, resource));
      }
    }
  }

  const controls = CONTROLS.map((control) => {
    const counts = tally.get(control.name) ?? { healthy: 0, unhealthy: 0, notApplicable: 0 };
    const evaluated = counts.healthy + counts.unhealthy;
    const current = evaluated === 0 ? control.max : round2((control.max * counts.healthy) / evaluated);
    return {
      id: `${scope}/providers/Microsoft.Security/secureScores/ascScore/securescorecontrols/${control.name}`,
      name: control.name,
      type: 'Microsoft.Security/secureScores/secureScoreControls',
      properties: {
        displayName: control.displayName,
        score: {
          max: control.max,
          current,
          percentage: control.max === 0 ? 0 : round4(current / control.max),
        },
        healthyResourceCount: counts.healthy,
        unhealthyResourceCount: counts.unhealthy,
        notApplicableResourceCount: counts.notApplicable,
        weight: evaluated,
      },
    };
  });
  const max = CONTROLS.reduce((sum, c) => sum + c.max, 0);
  const current = round2(controls.reduce((sum, c) => sum + c.properties.score.current, 0));
  const secureScores = [
    {
      id: `${scope}/providers/Microsoft.Security/secureScores/ascScore`,
      name: 'ascScore',
      type: 'Microsoft.Security/secureScores',
      properties: {
        displayName: 'ASC score',
        score: { max, current, percentage: round4(current / max) },
        weight: resources.length,
      },
    },
  ];
  return {
    subscriptionId,
    displayName,
    state: 'Enabled',
    readable,
    resourceGroups,
    resources,
    assessments,
    subAssessments,
    secureScores,
    controls: new Map([['ascScore', controls]]),
  };
}

function statusBody(status: AssessmentStatus, first: Ticks, changed: Ticks): Record<string, unknown> {
  const times = { firstEvaluationDate: iso7(first), statusChangeDate: iso7(changed) };
  if (status === 'NotApplicable') {
    return {
      code: status,
      cause: 'OffByPolicy',
      description:
        'The effective policy for the assessment was evaluated to off - use Microsoft.Authorization/policyAssignments to turn this assessment on',
      ...times,
    };
  }
  return { code: status, ...times };
}

interface FindingContext {
  readonly rng: Rng;
  readonly catalog: VulnerabilityCatalog;
  readonly now: Ticks;
  readonly assessmentId: string;
}

function cveFinding(
  context: FindingContext,
  resourceId: string,
  extra: Record<string, unknown>,
  assessedResourceType: string,
): Record<string, unknown> {
  const { rng, catalog, now, assessmentId } = context;
  const entry = catalog.entries[rng.int(catalog.entries.length)];
  if (entry === undefined) throw new RangeError('empty vulnerability catalog');
  const name = rng.guid();
  const patchable = rng.chance(0.7);
  const severity = toSubSeverity(entry.severity);
  return {
    id: `${assessmentId}/subassessments/${name}`,
    name,
    type: 'Microsoft.Security/assessments/subAssessments',
    properties: {
      id: String(rng.between(100_000, 999_999)),
      displayName: `${entry.id}: ${entry.description.split('.')[0] ?? entry.id}`,
      status: { code: 'Unhealthy', severity, cause: '', description: 'Vulnerability found' },
      remediation: patchable ? 'Install the latest vendor update.' : 'No patch is available yet.',
      impact: entry.description,
      category: 'Vulnerability',
      description: entry.description,
      timeGenerated: iso7(now - rng.int(2 * TICKS_PER_DAY) - TICKS_PER_HOUR),
      resourceDetails: { source: 'Azure', id: resourceId },
      additionalData: {
        assessedResourceType,
        type: 'Vulnerability',
        cvss: { '3.0': { base: entry.cvssV3 } },
        patchable,
        cve: [{ title: entry.id, link: `https://cve.mitre.org/cgi-bin/cvename.cgi?name=${entry.id}` }],
        threat: entry.publicExploit ? 'Exploit available' : 'No known exploit',
        publishedTime: iso7(entry.publishedOn),
        ...extra,
      },
    },
  };
}

function containerFindings(
  context: FindingContext,
  registry: ArmResource,
  image: { repository: string; digest: string },
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const count = context.rng.between(1, 3);
  for (let i = 0; i < count; i++) {
    out.push(
      cveFinding(
        context,
        `${registry.id}/repositories/${image.repository}/images/${image.digest}`,
        {
          vendorReferences: [{ title: 'Vendor advisory', link: 'https://msrc.microsoft.com/update-guide' }],
          repositoryName: image.repository,
          imageDigest: image.digest,
        },
        'ContainerRegistryVulnerability',
      ),
    );
  }
  return out;
}

function serverFindings(context: FindingContext, vm: ArmResource): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const count = context.rng.between(1, 4);
  // The spec's discriminator for server findings is written `ServerVulnerabilityAssessment`.
  for (let i = 0; i < count; i++) out.push(cveFinding(context, vm.id, {}, 'ServerVulnerabilityAssessment'));
  return out;
}

function sqlFindings(context: FindingContext, server: ArmResource): Record<string, unknown>[] {
  const { rng, now, assessmentId } = context;
  const database = `${server.id}/databases/${rng.pick(['master', 'appdb', 'reporting'])}`;
  const out: Record<string, unknown>[] = [];
  for (const check of SQL_CHECKS) {
    if (!rng.chance(0.6)) continue;
    const name = rng.guid();
    const healthy = rng.chance(0.3);
    out.push({
      id: `${assessmentId}/subassessments/${name}`,
      name,
      type: 'Microsoft.Security/assessments/subAssessments',
      properties: {
        id: check.id,
        displayName: check.displayName,
        status: {
          code: healthy ? 'Healthy' : 'Unhealthy',
          severity: rng.pick<SubSeverity>(['Low', 'Medium', 'High']),
          cause: 'Unknown',
        },
        remediation: 'Review the findings and set a baseline.',
        impact: 'A weaker configuration increases the attack surface of the database.',
        category: check.category,
        description: check.displayName,
        timeGenerated: iso7(now - rng.int(2 * TICKS_PER_DAY) - TICKS_PER_HOUR),
        resourceDetails: { source: 'Azure', id: database },
        additionalData: {
          assessedResourceType: 'SqlServerVulnerability',
          type: 'AzureDatabase',
          query: check.query,
          benchmarks: [],
        },
      },
    });
  }
  return out;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
