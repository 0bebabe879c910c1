import { mapped, rowsById } from '../db/keyset.js';
import { namesCve } from '../db/list-queries.js';
import { findingColumns, softwareFacts } from './finding-queries.js';
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
    const rows = rowsById((after, limit) => {
      let query = db
        .selectFrom('findings as f')
        .leftJoin('endpoints as e', (join) =>
          join.onRef('e.integration_id', '=', 'f.integration_id').onRef('e.machine_id', '=', 'f.machine_id'),
        )
        .leftJoin('finding_devices as d', (join) =>
          join.onRef('d.integration_id', '=', 'f.integration_id').onRef('d.machine_id', '=', 'f.machine_id'),
        )
        .select([
          'f.id',
          'f.integration_id',
          'f.machine_id',
          (eb) => eb.fn.coalesce('e.computer_dns_name', 'd.device_name').as('computer_dns_name'),
          ...findingColumns,
          'f.imported',
        ])
        .where('f.id', '>', after)
        .where((eb) => namesCve(eb.ref('f.cve_id')));
      if (filter.integrationId !== undefined)
        query = query.where('f.integration_id', '=', filter.integrationId);
      return query.orderBy('f.id').limit(limit).execute();
    }, pageSize);
    return mapped(rows, (r) => ({
      id: r.id,
      integrationId: r.integration_id,
      machineId: r.machine_id,
      computerDnsName: r.computer_dns_name,
      ...softwareFacts(r),
      firstSeen: r.first_seen_raw,
      lastSeen: r.last_seen_raw,
      status: r.status,
      resolvedAt: r.resolved_at,
      imported: r.imported === 1,
    }));
  },
};
