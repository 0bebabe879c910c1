import type { DefenderTimestamp } from '../../defender/index.js';
import type { Integration } from '../../domain/integration.js';
import { type Dataset, signalOption } from '../dataset.js';
import { chooseReader, type ActivityReader } from '../activity-reader.js';
import { refreshEndpointRisk } from '../endpoint-risk.js';
import { graphAlerts, mdeAlerts } from './alert-readers.js';
import { graphIncidents, xdrIncidents } from './incident-readers.js';
import type { ActivityRecordOf, ActivityRepository, Repositories } from '../../store/index.js';

/** The alerts (or incidents) it writes, its cursor, and the endpoint risk, trend and upkeep alerts change. */
export type ActivityDeps<T extends 'alerts' | 'incidents'> = Pick<
  Repositories,
  T | 'cursors' | 'endpointRisk' | 'snapshots' | 'maintenance'
>;

/** Re-read this much before the cursor: records indexed late carry an update time already behind us. */
export const overlapMs = 10 * 60_000;

interface ActivitySpec<T extends 'alerts' | 'incidents'> {
  readonly name: T;
  readonly enabled: (integration: Integration) => boolean;
  /** A reader per source the permission table lists for the feature: a run reads through the best one permitted. */
  readonly readers: readonly ActivityReader<ActivityRecordOf<T>>[];
  readonly repository: (deps: ActivityDeps<T>) => ActivityRepository<T>;
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
 * Incremental read by last-update time, through the best source the token allows: from the cursor less an overlap
 * up to the service's "now" frozen at the start of the run; records whose stored update time is unchanged are
 * overlap re-reads and are not written again. The cursor is one per dataset whatever the source, so a run after a
 * change of permissions resumes where the last one stopped.
 */
function activityDataset<T extends 'alerts' | 'incidents'>(spec: ActivitySpec<T>): Dataset<ActivityDeps<T>> {
  return {
    name: spec.name,
    enabled: spec.enabled,
    async run(ctx) {
      const { integration, deps, counters } = ctx;
      const repository = spec.repository(deps);
      // The run started because a source is permitted.
      const reader = chooseReader(spec.readers, spec.name, ctx.access.roles);
      const stored = ctx.full ? undefined : await deps.cursors.get(integration.id, spec.name);
      const signal = signalOption(ctx);
      const until = (await ctx.client.serverNow({ probe: reader.probe, ...signal })).toISOString();
      let cursor = stored;
      const touched = new Set<string>();
      const window = {
        until,
        ...(stored === undefined ? {} : { since: minus(stored, overlapMs) }),
        ...signal,
      };
      for await (const batch of reader.list(ctx.client, window)) {
        const now = new Date().toISOString();
        counters.read(batch);
        const known = await repository.lastUpdates(
          integration.id,
          batch.items.map((r) => r.id),
        );
        const changed = batch.items.filter((r) => known.get(r.id) !== r.lastUpdate.raw);
        counters.skip('unchanged (overlap re-read)', batch.items.length - changed.length);
        for (const record of batch.items)
          if (newer(record.lastUpdate, cursor)) cursor = record.lastUpdate.raw;
        const machines = await repository.storeBatch(
          integration.id,
          spec.name,
          changed.map((r) => r.row),
          reader.ordered ? cursor : undefined,
          now,
        );
        for (const machineId of machines) touched.add(machineId);
        counters.upserted += changed.length;
        ctx.progress(counters);
      }
      // An unordered list names its newest record only once it is read to the end: its cursor commits now.
      if (!reader.ordered && cursor !== stored)
        await repository.storeBatch(integration.id, spec.name, [], cursor, new Date().toISOString());
      // Alerts change the alert risk of the machines they name (before and after the change).
      if (touched.size > 0) {
        await refreshEndpointRisk(deps.endpointRisk, integration.id, touched, { alerts: true });
        await deps.snapshots.refreshRisk(integration.id, new Date());
        // Cheap when few rows changed: a vacuum visits only the pages changed since the last one.
        await deps.maintenance.afterRewrite(['endpoints']);
      }
      return {
        complete: true,
        completeness: `read ${reader.describe} up to ${until}${stored === undefined ? '' : ` from ${stored} (less ${overlapMs / 60_000} min overlap)`}`,
      };
    },
  };
}

/** A reader per source the permission table lists for each activity feature (a connection test probes them too). */
export const activityReaders = {
  alerts: [graphAlerts, mdeAlerts],
  incidents: [graphIncidents, xdrIncidents],
} as const;

export const alertsDataset = activityDataset({
  name: 'alerts',
  enabled: (integration) => integration.imports.alerts,
  readers: activityReaders.alerts,
  repository: (deps) => deps.alerts,
});

export const incidentsDataset = activityDataset({
  name: 'incidents',
  enabled: (integration) => integration.imports.incidents,
  readers: activityReaders.incidents,
  repository: (deps) => deps.incidents,
});
