import type { Page } from './api.js';
import type { Action, EndpointDetail, SyncJob, SyncRun } from './api-types.js';

/**
 * How often the pages read again what changes without the user: response actions, the dashboard's counts and
 * the sync history. Only while the tab is visible (use-request.ts); a page that only the user changes is never
 * polled.
 *
 * - An action under way: every 2.5 s. The hub follows Defender's action every 5 s at best (action-service.ts),
 *   so half that shows a step within a few seconds of the hub learning it, and an isolation the user just asked
 *   for is seen to finish. It stops once every action shown is final.
 * - The dashboard's counts: every 30 s. They move when a sync ends, at most once a minute (the demo's alert
 *   schedule), so a new alert is on screen within half a minute; each read is a few grouped statements, cheap
 *   but not free on a 100,000-endpoint hub, and every open dashboard pays it.
 * - The sync history: every 5 s while a run is running, so its counts and its end are followed; every 15 s
 *   otherwise, never stopping, as a scheduled chain has moments with nothing running (findings start after
 *   machines end) and the next run should show soon after it starts (the history is one indexed page).
 * - The integrations' statuses (every integration's latest runs, heavier for an MSSP's hundreds): every 5 s while
 *   a run is running, else every 30 s, as the dashboard's sync health (the same statuses) is.
 */
export const actionPollMs = 2_500;
export const countsPollMs = 30_000;
export const runningSyncPollMs = 5_000;
export const idleSyncPollMs = 15_000;

/** Defender's states of an action still under way; any other is final. */
const underWay: ReadonlySet<string> = new Set(['Pending', 'InProgress']);

export function isUnderWay(action: Pick<Action, 'status'>): boolean {
  return underWay.has(action.status);
}

/** A poll for one action: while it is under way (or not read yet). */
export function whileActionUnderWay(action: Action | undefined): number | false {
  return action === undefined || isUnderWay(action) ? actionPollMs : false;
}

/** A poll for an endpoint: while an isolation or a release is under way, for the isolation badge to follow. */
export function whileIsolationPending(endpoint: EndpointDetail | undefined): number | false {
  return endpoint?.isolation.state === 'pending' ? actionPollMs : false;
}

/** A poll for a page of actions: while any of them is under way. */
export function whileActionsUnderWay(page: Page<Action> | undefined): number | false {
  return page?.items.some(isUnderWay) === true ? actionPollMs : false;
}

/** A poll for a page of sync runs: faster while one is running, never stopping (see above). */
export function syncHistoryPoll(page: Page<SyncRun> | undefined): number {
  return page?.items.some((r) => r.status === 'running') === true ? runningSyncPollMs : idleSyncPollMs;
}

/** Jobs wait, run and retry on their own (PostgreSQL): read again as often as the runs they become. */
export function syncJobsPoll(page: Page<SyncJob> | undefined): number {
  const waiting = page?.items.some((j) => ['queued', 'active', 'retrying'].includes(j.state)) === true;
  return waiting ? runningSyncPollMs : idleSyncPollMs;
}
