import { keysetRows, mapped } from '../db/keyset.js';
import { flag, namesCve } from '../db/list-queries.js';
import type { ExportSource } from '../db/export-source.js';

/**
 * The vulnerability findings (rows with a CVE; software Defender reports without one is left out), those of
 * devices that are not endpoints included (`imported` false). They carry their device's name, the endpoint's DNS
 * name or else the export's device name: a patch list is read by machine name, not by Defender id.
 */
export const findingExport: ExportSource = {
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
