import { mapped, rowsById } from '../db/keyset.js';
import { summaryColumns } from './endpoint-queries.js';
import { parseStringArray } from '../db/list-queries.js';
import type { ExportSource } from '../db/export-source.js';

export const endpointExport: ExportSource = {
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
    const rows = rowsById((after, limit) => {
      let query = db
        .selectFrom('endpoints')
        // The list's columns and what the export adds: one list of names to keep in step with the table.
        .select([
          ...summaryColumns,
          'os_build',
          'device_value',
          'aad_device_id',
          'last_external_ip_address',
          'first_seen_raw',
        ])
        .where('id', '>', after);
      if (filter.integrationId !== undefined)
        query = query.where('integration_id', '=', filter.integrationId);
      return query.orderBy('id').limit(limit).execute();
    }, pageSize);
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
