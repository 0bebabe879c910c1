import type { GraphAlert, MdeAlert } from '../../defender/index.js';
import { graphDetectionSource, graphEnumWord } from '../../domain/activity-vocabulary.js';
import type { AlertRecord } from '../../store/index.js';
import { activityFacts, mapBatches, type ActivityReader } from '../activity-reader.js';

function deviceIds(alert: GraphAlert): string[] {
  const ids = (alert.evidence ?? [])
    .map((e) => e.mdeDeviceId)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}

/** Graph `alerts_v2` (SecurityAlert.Read.All): every Defender product's alerts, oldest update first. */
export const graphAlerts: ActivityReader<AlertRecord> = {
  source: 'graph',
  describe: 'Graph security/alerts_v2',
  audience: 'graph',
  probe: 'graphAlerts',
  ordered: true,
  list: (client, window) =>
    mapBatches(client.alerts.list(window), (alert) => ({
      ok: true,
      value: {
        id: alert.id,
        lastUpdate: alert.lastUpdateDateTime,
        row: {
          alertId: alert.id,
          incidentId: alert.incidentId ?? null,
          title: alert.title ?? null,
          severity: alert.severity ?? null,
          status: alert.status ?? null,
          category: alert.category ?? null,
          serviceSource: alert.serviceSource ?? null,
          detectionSource: alert.detectionSource ?? null,
          machineIds: JSON.stringify(deviceIds(alert)),
          ...activityFacts(alert, alert.createdDateTime, alert.lastUpdateDateTime, 'graph'),
        },
      },
    })),
};

function mdeRecord(alert: MdeAlert, lastUpdate: NonNullable<MdeAlert['lastUpdateTime']>): AlertRecord {
  return {
    alertId: alert.id,
    incidentId: alert.incidentId == null ? null : String(alert.incidentId),
    title: alert.title ?? null,
    severity: graphEnumWord(alert.severity),
    status: graphEnumWord(alert.status),
    category: alert.category ?? null,
    // The list holds Defender for Endpoint's own alerts only.
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: graphDetectionSource(alert.detectionSource),
    machineIds: JSON.stringify(alert.machineId == null || alert.machineId === '' ? [] : [alert.machineId]),
    ...activityFacts(alert, alert.alertCreationTime, lastUpdate, 'mde'),
  };
}

/**
 * Defender for Endpoint's `/api/alerts` (Alert.Read.All), with evidence, in Graph's vocabulary. It has no
 * documented order, so the cursor moves only once the window is read.
 */
export const mdeAlerts: ActivityReader<AlertRecord> = {
  source: 'mde',
  describe: "Defender's /api/alerts",
  audience: 'defender',
  probe: 'mdeAlerts',
  ordered: false,
  list: (client, window) =>
    mapBatches(client.alerts.listMde({ ...window, expandEvidence: true }), (alert) =>
      // The cursor is a last-update time: an alert without one cannot be placed in the window.
      alert.lastUpdateTime == null
        ? { ok: false, rejected: { id: alert.id, reason: 'lastUpdateTime: missing' } }
        : {
            ok: true,
            value: {
              id: alert.id,
              lastUpdate: alert.lastUpdateTime,
              row: mdeRecord(alert, alert.lastUpdateTime),
            },
          },
    ),
};
