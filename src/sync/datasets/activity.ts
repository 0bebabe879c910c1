import type { Batch, DefenderClient, DefenderTimestamp, GraphAlert, Incident } from '../../defender/index.js';
import type { Integration } from '../../integrations/integration-schema.js';
import type { ActivityRepository } from '../../store/activity-repository.js';
import type { Repositories } from '../../store/repositories.js';
import type { AlertsTable, IncidentsTable } from '../../store/schema.js';
import type { Insertable } from 'kysely';
import type { Dataset } from '../dataset.js';
import { storedRecordJson } from '../stored-record.js';
import { refreshEndpointRisk } from '../endpoint-risk.js';

/** Re-read this much before the cursor: records indexed late carry an update time already behind us. */
export const overlapMs = 10 * 60_000;

interface ActivitySpec<
  R extends { id: string; lastUpdateDateTime: DefenderTimestamp },
  T extends 'alerts' | 'incidents',
> {
  readonly name: T;
  readonly enabled: (integration: Integration) => boolean;
  readonly list: (
    client: DefenderClient,
    window: { since?: string; until: string; signal?: AbortSignal },
  ) => AsyncIterable<Batch<R>>;
  readonly repository: (repos: Repositories) => ActivityRepository<T>;
  readonly toRow: (
    record: R,
    integrationId: string,
    now: string,
  ) => T extends 'alerts' ? Insertable<AlertsTable> : Insertable<IncidentsTable>;
}

/** `ge` filters take the raw form; seven fractional digits keep the cursor exact. */
function minus(timestamp: string, ms: number): string {
  const date = new Date(Date.parse(timestamp) - ms);
  return Number.isNaN(date.getTime()) ? timestamp : date.toISOString().replace(/Z$/, () => '0000Z');
}

function newer(a: DefenderTimestamp, b: string | undefined): boolean {
  if (b === undefined) return true;
  const bMs = Date.parse(b);
  return a.date.getTime() > bMs || (a.date.getTime() === bMs && a.raw > b);
}

/**
 * Incremental read by last-update time: from the cursor less an overlap, ascending, up to the service's "now"
 * frozen at the start of the run; records whose stored update time is unchanged are overlap re-reads and are
 * not written again; each batch commits with the cursor it reached.
 */
function activityDataset<
  R extends { id: string; lastUpdateDateTime: DefenderTimestamp },
  T extends 'alerts' | 'incidents',
>(spec: ActivitySpec<R, T>): Dataset {
  return {
    name: spec.name,
    enabled: spec.enabled,
    async run(ctx) {
      const { integration, repos, counters } = ctx;
      const repository = spec.repository(repos);
      const stored = ctx.full ? undefined : await repos.cursors.get(integration.id, spec.name);
      const signal = ctx.signal === undefined ? {} : { signal: ctx.signal };
      const until = (
        await ctx.client.serverNow({ probe: spec.name === 'alerts' ? 'alerts_v2' : 'incidents', ...signal })
      ).toISOString();
      let cursor = stored;
      const touched = new Set<string>();
      const window = {
        until,
        ...(stored === undefined ? {} : { since: minus(stored, overlapMs) }),
        ...signal,
      };
      for await (const batch of spec.list(ctx.client, window)) {
        const now = new Date().toISOString();
        counters.read(batch);
        const known = await repository.lastUpdates(
          integration.id,
          batch.items.map((r) => r.id),
        );
        const changed = batch.items.filter((r) => known.get(r.id) !== r.lastUpdateDateTime.raw);
        counters.skip('unchanged (overlap re-read)', batch.items.length - changed.length);
        for (const record of batch.items)
          if (newer(record.lastUpdateDateTime, cursor)) cursor = record.lastUpdateDateTime.raw;
        const machines = await repository.storeBatch(
          integration.id,
          spec.name,
          changed.map((r) => spec.toRow(r, integration.id, now)),
          cursor,
          now,
        );
        for (const machineId of machines) touched.add(machineId);
        counters.upserted += changed.length;
        ctx.progress(counters);
      }
      // Alerts change the alert risk of the machines they name (before and after the change).
      if (touched.size > 0) {
        await refreshEndpointRisk(repos.endpointRisk, integration.id, touched, { alerts: true });
        await repos.snapshots.refreshRisk(integration.id, new Date());
        // Cheap when few rows changed: a vacuum visits only the pages changed since the last one.
        await repos.maintenance.afterRewrite(['endpoints']);
      }
      return {
        complete: true,
        completeness: `read up to ${until}${stored === undefined ? '' : ` from ${stored} (less ${overlapMs / 60_000} min overlap)`}`,
      };
    },
  };
}

function deviceIds(alert: GraphAlert): string[] {
  const ids = (alert.evidence ?? [])
    .map((e) => e.mdeDeviceId)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}

export const alertsDataset = activityDataset<GraphAlert, 'alerts'>({
  name: 'alerts',
  enabled: (integration) => integration.imports.alerts,
  list: (client, window) => client.alerts.list(window),
  repository: (repos) => repos.alerts,
  toRow: (alert, integrationId, now) => ({
    integration_id: integrationId,
    alert_id: alert.id,
    incident_id: alert.incidentId ?? null,
    title: alert.title ?? null,
    severity: alert.severity ?? null,
    status: alert.status ?? null,
    category: alert.category ?? null,
    service_source: alert.serviceSource ?? null,
    detection_source: alert.detectionSource ?? null,
    machine_ids: JSON.stringify(deviceIds(alert)),
    created_at_raw: alert.createdDateTime?.raw ?? null,
    last_update_raw: alert.lastUpdateDateTime.raw,
    last_update_at: alert.lastUpdateDateTime.date.toISOString(),
    raw: storedRecordJson(alert),
    updated_at: now,
  }),
});

export const incidentsDataset = activityDataset<Incident, 'incidents'>({
  name: 'incidents',
  enabled: (integration) => integration.imports.incidents,
  list: (client, window) => client.incidents.list(window),
  repository: (repos) => repos.incidents,
  toRow: (incident, integrationId, now) => ({
    integration_id: integrationId,
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
    updated_at: now,
  }),
});
