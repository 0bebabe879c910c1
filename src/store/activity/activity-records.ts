import type { Insertable } from 'kysely';
import type { ActivitySource } from '../../domain/activity-vocabulary.js';
import type { AlertsTable, IncidentsTable } from '../db/schema.js';

/** What alerts and incidents both carry: when Defender made and last changed them, and the record itself. */
interface ActivityFacts {
  readonly createdAtRaw: string | null;
  readonly lastUpdateRaw: string;
  readonly lastUpdateAt: string;
  /** The record as received, as JSON. */
  readonly raw: string;
  readonly source: ActivitySource;
}

/** An alert as a sync reads it: the repository adds the integration and the time it is written. */
export interface AlertRecord extends ActivityFacts {
  readonly alertId: string;
  readonly incidentId: string | null;
  readonly title: string | null;
  readonly severity: string | null;
  readonly status: string | null;
  readonly category: string | null;
  readonly serviceSource: string | null;
  readonly detectionSource: string | null;
  /** JSON list of the Defender machine ids its evidence names. */
  readonly machineIds: string;
}

/** An incident as a sync reads it: the repository adds the integration and the time it is written. */
export interface IncidentRecord extends ActivityFacts {
  readonly incidentId: string;
  readonly displayName: string | null;
  readonly severity: string | null;
  readonly status: string | null;
  readonly classification: string | null;
  readonly determination: string | null;
}

export type ActivityTable = 'alerts' | 'incidents';
/** The record of an alert or an incident, by its table. */
export type ActivityRecordOf<T extends ActivityTable> = T extends 'alerts' ? AlertRecord : IncidentRecord;

export function alertRow(r: AlertRecord, integrationId: string, now: string): Insertable<AlertsTable> {
  return {
    alert_id: r.alertId,
    incident_id: r.incidentId,
    title: r.title,
    severity: r.severity,
    status: r.status,
    category: r.category,
    service_source: r.serviceSource,
    detection_source: r.detectionSource,
    machine_ids: r.machineIds,
    ...factsRow(r, integrationId, now),
  };
}

export function incidentRow(
  r: IncidentRecord,
  integrationId: string,
  now: string,
): Insertable<IncidentsTable> {
  return {
    incident_id: r.incidentId,
    display_name: r.displayName,
    severity: r.severity,
    status: r.status,
    classification: r.classification,
    determination: r.determination,
    ...factsRow(r, integrationId, now),
  };
}

function factsRow(r: ActivityFacts, integrationId: string, now: string) {
  return {
    created_at_raw: r.createdAtRaw,
    last_update_raw: r.lastUpdateRaw,
    last_update_at: r.lastUpdateAt,
    raw: r.raw,
    source: r.source,
    integration_id: integrationId,
    updated_at: now,
  };
}
