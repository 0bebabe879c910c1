import { graphEnumWord } from '../../domain/activity-vocabulary.js';
import type { ActivityRow } from '../../store/index.js';
import { mapBatches, type ActivityReader } from '../activity-reader.js';
import { storedRecordJson } from '../stored-record.js';

type IncidentRow = ActivityRow<'incidents'>;

/** Graph `security/incidents` (SecurityIncident.Read.All), oldest update first. */
export const graphIncidents: ActivityReader<IncidentRow> = {
  source: 'graph',
  describe: 'Graph security/incidents',
  audience: 'graph',
  probe: 'graphIncidents',
  ordered: true,
  list: (client, window) =>
    mapBatches(client.incidents.list(window), (incident) => ({
      ok: true,
      value: {
        id: incident.id,
        lastUpdate: incident.lastUpdateDateTime,
        row: {
          incident_id: incident.id,
          display_name: incident.displayName ?? null,
          severity: incident.severity ?? null,
          status: incident.status ?? null,
          classification: incident.classification ?? null,
          determination: incident.determination ?? null,
          created_at_raw: incident.createdDateTime?.raw ?? null,
          last_update_raw: incident.lastUpdateDateTime.raw,
          last_update_at: incident.lastUpdateDateTime.date.toISOString(),
          raw: storedRecordJson(incident),
          source: 'graph',
        },
      },
    })),
};

/**
 * The Microsoft 365 Defender incidents API (Incident.Read.All), in Graph's vocabulary. The raw record keeps the
 * alerts it embeds; the alerts link to their incident by its id, as Graph's do. Newest first, so the cursor moves
 * only once the window is read.
 */
export const xdrIncidents: ActivityReader<IncidentRow> = {
  source: 'xdr',
  describe: "Microsoft 365 Defender's /api/incidents",
  audience: 'xdr',
  probe: 'xdrIncidents',
  ordered: false,
  list: (client, window) =>
    mapBatches(client.incidents.listXdr(window), (incident) => ({
      ok: true,
      value: {
        id: incident.incidentId,
        lastUpdate: incident.lastUpdateTime,
        row: {
          incident_id: incident.incidentId,
          display_name: incident.incidentName ?? null,
          severity: graphEnumWord(incident.severity),
          status: graphEnumWord(incident.status),
          classification: graphEnumWord(incident.classification),
          determination: graphEnumWord(incident.determination),
          created_at_raw: incident.createdTime?.raw ?? null,
          last_update_raw: incident.lastUpdateTime.raw,
          last_update_at: incident.lastUpdateTime.date.toISOString(),
          raw: storedRecordJson(incident),
          source: 'xdr',
        },
      },
    })),
};
