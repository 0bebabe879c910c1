import type { Kysely } from 'kysely';
import { keysetRows } from './keyset.js';
import { alertSummaryColumns, type Database, flag, namesCve, parseStringArray } from '../store/index.js';

export type ExportValue = string | number | boolean | null | readonly string[];
export type ExportRecord = Readonly<Record<string, ExportValue>>;

export interface ExportFilter {
  readonly integrationId?: string | undefined;
}

export interface ExportSource {
  /** The record keys, in column order (the CSV header). */
  readonly columns: readonly string[];
  records(db: Kysely<Database>, filter: ExportFilter, pageSize?: number): AsyncIterable<ExportRecord>;
}

/** Each row as it comes, mapped. */
export async function* mapped<Row, R>(rows: AsyncIterable<Row>, map: (row: Row) => R): AsyncGenerator<R> {
  for await (const row of rows) yield map(row);
}

const endpoints: ExportSource = {
  columns: [
    'id',
    'integrationId',
    'machineId',
    'computerDnsName',
    'osPlatform',
    'osVersion',
    'osBuild',
    'version',
    'healthStatus',
    'onboardingStatus',
    'riskScore',
    'exposureLevel',
    'deviceValue',
    'rbacGroupName',
    'aadDeviceId',
    'lastIpAddress',
    'lastExternalIpAddress',
    'machineTags',
    'firstSeen',
    'lastSeen',
    'stale',
    'staleSince',
  ],
  records(db, filter, pageSize) {
    const rows = keysetRows(
      (after: number | undefined, limit) => {
        let query = db
          .selectFrom('endpoints')
          .select([
            'id',
            'integration_id',
            'machine_id',
            'computer_dns_name',
            'os_platform',
            'os_version',
            'os_build',
            'version',
            'health_status',
            'onboarding_status',
            'risk_score',
            'exposure_level',
            'device_value',
            'rbac_group_name',
            'aad_device_id',
            'last_ip_address',
            'last_external_ip_address',
            'machine_tags',
            'first_seen_raw',
            'last_seen_raw',
            'stale',
            'stale_since',
          ])
          .where('id', '>', after ?? 0);
        if (filter.integrationId !== undefined)
          query = query.where('integration_id', '=', filter.integrationId);
        return query.orderBy('id').limit(limit).execute();
      },
      (row) => row.id,
      pageSize,
    );
    return mapped(rows, (r) => ({
      id: r.id,
      integrationId: r.integration_id,
      machineId: r.machine_id,
      computerDnsName: r.computer_dns_name,
      osPlatform: r.os_platform,
      osVersion: r.os_version,
      osBuild: r.os_build,
      version: r.version,
      healthStatus: r.health_status,
      onboardingStatus: r.onboarding_status,
      riskScore: r.risk_score,
      exposureLevel: r.exposure_level,
      deviceValue: r.device_value,
      rbacGroupName: r.rbac_group_name,
      aadDeviceId: r.aad_device_id,
      lastIpAddress: r.last_ip_address,
      lastExternalIpAddress: r.last_external_ip_address,
      machineTags: parseStringArray(r.machine_tags),
      firstSeen: r.first_seen_raw,
      lastSeen: r.last_seen_raw,
      stale: r.stale !== 0,
      staleSince: r.stale_since,
    }));
  },
};

/**
 * The vulnerability findings (rows with a CVE; software Defender reports without one is left out), those of
 * devices that are not endpoints included (`imported` false). They carry their device's name, the endpoint's DNS
 * name or else the export's device name: a patch list is read by machine name, not by Defender id.
 */
const findings: ExportSource = {
  columns: [
    'id',
    'integrationId',
    'machineId',
    'computerDnsName',
    'cveId',
    'softwareVendor',
    'softwareName',
    'softwareVersion',
    'severity',
    'cvssScore',
    'exploitabilityLevel',
    'fixingUpdate',
    'fixingUpdateId',
    'fixingUpdateUrl',
    'updateAvailable',
    'firstSeen',
    'lastSeen',
    'status',
    'resolvedAt',
    'imported',
  ],
  records(db, filter, pageSize) {
    const rows = keysetRows(
      (after: number | undefined, limit) => {
        let query = db
          .selectFrom('findings as f')
          .leftJoin('endpoints as e', (join) =>
            join
              .onRef('e.integration_id', '=', 'f.integration_id')
              .onRef('e.machine_id', '=', 'f.machine_id'),
          )
          .leftJoin('finding_devices as d', (join) =>
            join
              .onRef('d.integration_id', '=', 'f.integration_id')
              .onRef('d.machine_id', '=', 'f.machine_id'),
          )
          .select([
            'f.id',
            'f.integration_id',
            'f.machine_id',
            (eb) => eb.fn.coalesce('e.computer_dns_name', 'd.device_name').as('computer_dns_name'),
            'f.cve_id',
            'f.software_vendor',
            'f.software_name',
            'f.software_version',
            'f.severity',
            'f.cvss_score',
            'f.exploitability_level',
            'f.fixing_update',
            'f.fixing_update_id',
            'f.fixing_update_url',
            'f.update_available',
            'f.first_seen_raw',
            'f.last_seen_raw',
            'f.status',
            'f.resolved_at',
            'f.imported',
          ])
          .where('f.id', '>', after ?? 0)
          .where((eb) => namesCve(eb.ref('f.cve_id')));
        if (filter.integrationId !== undefined)
          query = query.where('f.integration_id', '=', filter.integrationId);
        return query.orderBy('f.id').limit(limit).execute();
      },
      (row) => row.id,
      pageSize,
    );
    return mapped(rows, (r) => ({
      id: r.id,
      integrationId: r.integration_id,
      machineId: r.machine_id,
      computerDnsName: r.computer_dns_name,
      cveId: r.cve_id,
      softwareVendor: r.software_vendor,
      softwareName: r.software_name,
      softwareVersion: r.software_version,
      severity: r.severity,
      cvssScore: r.cvss_score,
      exploitabilityLevel: r.exploitability_level,
      fixingUpdate: r.fixing_update,
      fixingUpdateId: r.fixing_update_id,
      fixingUpdateUrl: r.fixing_update_url,
      updateAvailable: flag(r.update_available),
      firstSeen: r.first_seen_raw,
      lastSeen: r.last_seen_raw,
      status: r.status,
      resolvedAt: r.resolved_at,
      imported: r.imported === 1,
    }));
  },
};

/** Alerts have no surrogate id: the keyset is their primary key, (integration, alert id). */
const alerts: ExportSource = {
  columns: [
    'integrationId',
    'alertId',
    'incidentId',
    'title',
    'severity',
    'status',
    'category',
    'serviceSource',
    'detectionSource',
    'machineIds',
    'createdAt',
    'lastUpdate',
  ],
  records(db, filter, pageSize) {
    const rows = keysetRows(
      (after: readonly [string, string] | undefined, limit) => {
        let query = db.selectFrom('alerts').select(alertSummaryColumns);
        if (filter.integrationId !== undefined)
          query = query.where('integration_id', '=', filter.integrationId);
        if (after !== undefined) {
          const [integrationId, alertId] = after;
          query = query.where((eb) =>
            eb.or([
              eb('integration_id', '>', integrationId),
              eb.and([eb('integration_id', '=', integrationId), eb('alert_id', '>', alertId)]),
            ]),
          );
        }
        return query.orderBy('integration_id').orderBy('alert_id').limit(limit).execute();
      },
      (row) => [row.integration_id, row.alert_id] as const,
      pageSize,
    );
    return mapped(rows, (r) => ({
      integrationId: r.integration_id,
      alertId: r.alert_id,
      incidentId: r.incident_id,
      title: r.title,
      severity: r.severity,
      status: r.status,
      category: r.category,
      serviceSource: r.service_source,
      detectionSource: r.detection_source,
      machineIds: parseStringArray(r.machine_ids),
      createdAt: r.created_at_raw,
      lastUpdate: r.last_update_raw,
    }));
  },
};

export const exportSources = { endpoints, findings, alerts } as const;
export type ExportDataset = keyof typeof exportSources;
export const exportDatasets = Object.keys(exportSources) as ExportDataset[];
