import type { Hub } from '../app/hub.js';
import { plannedDatasets } from '../app/schedule-due.js';
import { ranAsPermitted } from '../domain/connection-status.js';
import { HubError, isNotFound } from '../errors.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration, Schedules } from '../domain/integration.js';
import type { RunningSimulator } from '../simulator/index.js';
import { simulatorIntegrationSettings } from '../simulator/integration-settings.js';
import { oneLine } from './output.js';
import { runSyncs, type FinishedRun } from './run-syncs.js';
import type { SyncReporter } from './sync-reporter.js';

const demoName = 'demo';

/**
 * The demo's cadence, so the dashboard and the alert list change while one watches: alerts and incidents every
 * minute, machines (and the findings after them) every five. Every other dataset keeps the production default.
 */
export const demoSchedules = { alerts: 1, incidents: 1, machines: 5 } as const satisfies Partial<Schedules>;

/**
 * The integration named "demo", pointed at this run's simulator: its port, CA and secret are new each run, so
 * an existing one (from an earlier demo in the same data directory) is updated rather than duplicated.
 */
export async function demoIntegration(hub: Hub, sim: RunningSimulator): Promise<Integration> {
  const settings = {
    ...simulatorIntegrationSettings(sim, demoName),
    enabled: true,
    schedules: demoSchedules,
  };
  try {
    return await hub.integrations.update(demoName, settings);
  } catch (error) {
    if (!isNotFound(error, 'INTEGRATION_NOT_FOUND')) throw error;
    return hub.integrations.create(settings);
  }
}

/**
 * What a person opens first: the endpoints, the vulnerability list (the CVE catalog and the findings, which need
 * the endpoints) and the alerts and incidents. The rest are catalogs (software, which takes its CVE lists from the
 * findings, recommendations, Entra devices, machine actions) and follow once the hub is served.
 */
const firstLookDatasets: ReadonlySet<DatasetName> = new Set([
  'machines',
  'vulnerabilities',
  'findings',
  'alerts',
  'incidents',
]);

export interface DemoSyncPlan {
  /** Synced before the ready line, in dependency order. */
  readonly firstLook: readonly DatasetName[];
  /** Synced after it, in the background, in dependency order. */
  readonly catalogs: readonly DatasetName[];
}

/** The integration's planned datasets, split in two; each half keeps the order of a full sync. */
export function demoSyncPlan(integration: Integration): DemoSyncPlan {
  const planned = plannedDatasets(integration);
  return {
    firstLook: planned.filter((d) => firstLookDatasets.has(d)),
    catalogs: planned.filter((d) => !firstLookDatasets.has(d)),
  };
}

/**
 * A full, forced sync of some of the demo's datasets: full and forced because a different --seed is a different
 * tenant, and the demo's store should show the one running now, however much of the previous one it removes.
 */
export function syncDemo(
  hub: Hub,
  integration: Integration,
  datasets: readonly DatasetName[],
  signal: AbortSignal,
  reporter: SyncReporter,
): Promise<FinishedRun[]> {
  return runSyncs(hub, [{ integration, datasets }], { full: true, force: true, signal }, reporter);
}

/** The datasets of `runs` that failed (one not permitted did not), for a line that names them. */
export function failedDatasets(runs: readonly FinishedRun[]): string[] {
  return runs.filter((r) => !ranAsPermitted(r.run.status)).map((r) => r.run.dataset);
}

/** What the demo does in what order, for its first stderr line. */
export function describePlan(plan: DemoSyncPlan): string {
  const now = `${plan.firstLook.join(', ')} now`;
  return plan.catalogs.length === 0
    ? now
    : `${now}; ${plan.catalogs.join(', ')} in the background once the hub is served`;
}

/** A failure after the ready line, as the demo reports it: one line with its code; the hub keeps serving. */
export function failureLine(what: string, error: unknown): string {
  const message = error instanceof Error ? oneLine(error.message) : String(error);
  const code = error instanceof HubError ? error.code : 'DEMO_BACKGROUND_FAILED';
  return `${what}: ${message} [${code}]`;
}
