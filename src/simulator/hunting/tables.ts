import { ALERT_TEMPLATES } from '../world/alert-templates.js';
import type { AlertState } from '../world/alerts.js';
import { openFindings } from '../world/findings.js';
import { machineReport, type MachineCore, type MachineReport } from '../world/machines.js';
import { PRODUCT_LIST } from '../world/software-catalog.js';
import type { SimTenant } from '../world/tenant.js';
import type { HuntingTable } from './kql-evaluator.js';
import type { Column, Row, Value } from './kql-values.js';

const BATCH = 256;

/** Advanced hunting's names for MDE's alert detection sources. */
const DETECTION_SOURCE: Record<(typeof ALERT_TEMPLATES)[number]['detectionSource'], string> = {
  WindowsDefenderAv: 'Antivirus',
  WindowsDefenderAtp: 'EDR',
  WindowsDefenderSmartScreen: 'SmartScreen',
  CustomDetection: 'Custom detection',
};

interface ColumnSpec<T> extends Column {
  readonly get: (item: T) => Value;
}

function table<T>(
  name: string,
  specs: readonly ColumnSpec<T>[],
  items: () => Iterable<T>,
  timestampColumn?: string,
): HuntingTable {
  const getters = specs.map((spec) => spec.get);
  return {
    name,
    columns: specs.map(({ name: column, type }) => ({ name: column, type })),
    ...(timestampColumn === undefined ? {} : { timestampColumn }),
    *batches() {
      let batch: Row[] = [];
      for (const item of items()) {
        batch.push(getters.map((get) => get(item)));
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function strings(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

interface DeviceRow {
  readonly core: MachineCore;
  readonly report: MachineReport;
}

const DEVICE_INFO: readonly ColumnSpec<DeviceRow>[] = [
  { name: 'Timestamp', type: 'datetime', get: (d) => d.report.lastSeen },
  { name: 'DeviceId', type: 'string', get: (d) => d.core.id },
  { name: 'DeviceName', type: 'string', get: (d) => d.core.computerDnsName ?? '' },
  { name: 'ClientVersion', type: 'string', get: (d) => text(d.core.record.agentVersion) },
  { name: 'PublicIP', type: 'string', get: (d) => text(d.core.record.lastExternalIpAddress) },
  { name: 'OSArchitecture', type: 'string', get: (d) => text(d.core.record.osArchitecture) },
  { name: 'OSPlatform', type: 'string', get: (d) => d.core.platform.osPlatform },
  { name: 'OSBuild', type: 'long', get: (d) => d.core.release.osBuild },
  { name: 'OSVersion', type: 'string', get: (d) => d.core.osVersion },
  { name: 'OSVersionInfo', type: 'string', get: (d) => d.core.release.version },
  { name: 'IsAzureADJoined', type: 'bool', get: (d) => flag(d.core.record.isAadJoined) },
  { name: 'AadDeviceId', type: 'string', get: (d) => text(d.core.record.aadDeviceId) },
  { name: 'MachineGroup', type: 'string', get: (d) => d.core.rbacGroup.name ?? '' },
  { name: 'OnboardingStatus', type: 'string', get: (d) => d.core.onboardingStatus },
  { name: 'SensorHealthState', type: 'string', get: (d) => d.report.healthStatus },
  { name: 'ExposureLevel', type: 'string', get: (d) => text(d.core.record.exposureLevel) },
  { name: 'AssetValue', type: 'string', get: (d) => text(d.core.record.deviceValue) },
  { name: 'DeviceManualTags', type: 'dynamic', get: (d) => strings(d.core.record.machineTags) },
  { name: 'IsExcluded', type: 'bool', get: (d) => flag(d.core.record.isExcluded) },
  { name: 'ExclusionReason', type: 'string', get: (d) => text(d.core.record.exclusionReason) },
  {
    name: 'DeviceCategory',
    type: 'string',
    get: (d) => (d.core.platform.family === 'iot' ? 'IoT' : 'Endpoint'),
  },
];

interface VulnerabilityRow {
  readonly core: MachineCore;
  readonly productIndex: number;
  readonly version: string;
  readonly cveIndex: number;
}

function vulnerabilityTable(tenant: SimTenant, epoch: number): HuntingTable {
  const entry = (row: VulnerabilityRow) => tenant.catalog.at(row.cveIndex);
  const product = (row: VulnerabilityRow) => PRODUCT_LIST[row.productIndex];
  const specs: readonly ColumnSpec<VulnerabilityRow>[] = [
    { name: 'DeviceId', type: 'string', get: (r) => r.core.id },
    { name: 'DeviceName', type: 'string', get: (r) => r.core.computerDnsName ?? '' },
    { name: 'OSPlatform', type: 'string', get: (r) => r.core.platform.osPlatform },
    { name: 'OSVersion', type: 'string', get: (r) => r.core.osVersion },
    { name: 'OSArchitecture', type: 'string', get: (r) => r.core.platform.osArchitecture },
    { name: 'SoftwareVendor', type: 'string', get: (r) => product(r)?.vendor ?? '' },
    { name: 'SoftwareName', type: 'string', get: (r) => product(r)?.name ?? '' },
    { name: 'SoftwareVersion', type: 'string', get: (r) => r.version },
    { name: 'CveId', type: 'string', get: (r) => entry(r).id },
    { name: 'VulnerabilitySeverityLevel', type: 'string', get: (r) => entry(r).severity },
    {
      name: 'RecommendedSecurityUpdate',
      type: 'string',
      get: (r) => entry(r).update.recommendedSecurityUpdate ?? '',
    },
    {
      name: 'RecommendedSecurityUpdateId',
      type: 'string',
      get: (r) => entry(r).update.recommendedSecurityUpdateId ?? '',
    },
  ];
  return table('DeviceTvmSoftwareVulnerabilities', specs, function* () {
    for (const core of aliveMachines(tenant, epoch)) {
      for (const slot of openFindings(tenant, core, epoch)) {
        // The table lists vulnerabilities: installed software without a CVE has no row.
        if (slot.cveIndex < 0) continue;
        yield { core, productIndex: slot.productIndex, version: slot.version, cveIndex: slot.cveIndex };
      }
    }
  });
}

const ALERT_INFO: readonly ColumnSpec<AlertState>[] = [
  { name: 'Timestamp', type: 'datetime', get: (a) => a.created },
  { name: 'AlertId', type: 'string', get: (a) => a.id },
  { name: 'Title', type: 'string', get: (a) => a.template.title },
  { name: 'Category', type: 'string', get: (a) => a.template.category },
  { name: 'Severity', type: 'string', get: (a) => a.severity },
  { name: 'ServiceSource', type: 'string', get: () => 'Microsoft Defender for Endpoint' },
  { name: 'DetectionSource', type: 'string', get: (a) => DETECTION_SOURCE[a.template.detectionSource] },
  // A string holding a JSON array, as the real column is.
  { name: 'AttackTechniques', type: 'string', get: (a) => JSON.stringify(a.template.mitreTechniques) },
];

function* aliveMachines(tenant: SimTenant, epoch: number): Iterable<MachineCore> {
  for (const index of tenant.population.alive(epoch)) yield tenant.machine(index);
}

/** The tables a query can read, over the tenant as of `epoch` (the same records every other route serves). */
export function huntingTables(tenant: SimTenant, epoch: number): ReadonlyMap<string, HuntingTable> {
  const deviceInfo = table(
    'DeviceInfo',
    DEVICE_INFO,
    function* () {
      for (const core of aliveMachines(tenant, epoch))
        yield { core, report: machineReport(tenant, core, epoch) };
    },
    'Timestamp',
  );
  const alertInfo = table('AlertInfo', ALERT_INFO, () => tenant.alerts.states(epoch), 'Timestamp');
  const tables = [deviceInfo, vulnerabilityTable(tenant, epoch), alertInfo];
  return new Map(tables.map((t) => [t.name, t]));
}
