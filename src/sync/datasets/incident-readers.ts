import { graphEnumWord } from '../../domain/activity-vocabulary.js';
import type { IncidentRecord } from '../../store/index.js';
import { activityFacts, mapBatches, type ActivityReader } from '../activity-reader.js';

/** Graph `security/incidents` (SecurityIncident.Read.All), oldest update first. */
export const graphIncidents: ActivityReader<IncidentRecord> = {
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
          incidentId: incident.id,
          displayName: incident.displayName ?? null,
          severity: incident.severity ?? null,
          status: incident.status ?? null,
          classification: incident.classification ?? null,
          determination: incident.determination ?? null,
          ...activityFacts(incident, incident.createdDateTime, incident.lastUpdateDateTime, 'graph'),
        },
      },
    })),
};

/**
 * The Microsoft 365 Defender incidents API (Incident.Read.All), in Graph's vocabulary. The raw record keeps the
 * alerts it embeds; the alerts link to their incident by its id, as Graph's do. Newest first, so the cursor moves
 * only once the window is read.
 */
export const xdrIncidents: ActivityReader<IncidentRecord> = {
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
          incidentId: incident.incidentId,
          displayName: incident.incidentName ?? null,
          severity: graphEnumWord(incident.severity),
          status: graphEnumWord(incident.status),
          classification: graphEnumWord(incident.classification),
          determination: graphEnumWord(incident.determination),
          ...activityFacts(incident, incident.createdTime, incident.lastUpdateTime, 'xdr'),
        },
      },
    })),
};
