import { keysetRows, mapped } from '../db/keyset.js';
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
