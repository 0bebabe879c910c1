import { keysetRows, mapped } from '../db/keyset.js';
import { parseStringArray } from '../db/list-queries.js';
import type { ExportSource } from '../db/export-source.js';
import { alertSummaryColumns } from './activity-queries.js';

/** Alerts have no surrogate id: the keyset is their primary key, (integration, alert id). */
export const alertExport: ExportSource = {
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
