/**
 * Whether an integration is connected, as a state the UI keys on and a label a person reads, decided from its
 * enabled flag and the recent sync runs of each dataset it imports. No I/O: the store hands the runs over.
 */
import { inTableOrder, needsText, type Feature } from './permissions.js';
import type { SyncRunStatus } from './sync-run-status.js';

export const connectionStates = ['connected', 'limited', 'failing', 'disabled', 'notSynced'] as const;
export type ConnectionState = (typeof connectionStates)[number];

export interface ConnectionStatus {
  readonly state: ConnectionState;
  /**
   * "Connected", "Connected — limited: alerts need Alert.Read.All or SecurityAlert.Read.All", "Failing: <reason>",
   * "Disabled" or "Not synced yet".
   */
  readonly label: string;
  /** What the app's permissions keep the hub from reading, in the permission table's order; empty unless limited. */
  readonly notPermitted: Feature[];
}

/** What the rule reads of a sync run. */
export interface RunOutcome {
  readonly status: SyncRunStatus;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly finishedAt: string | null;
  /** The features the run did not read for want of a permission (all of them when its status is notPermitted). */
  readonly notPermitted: readonly Feature[];
}

/** The error code of a run whose process died while it ran; the next run of its dataset marks it failed so. */
export const interruptedRunCode = 'SYNC_INTERRUPTED';

/**
 * Whether a run did what the app's permissions allow: it succeeded, or it was not run because no permission it
 * needs is granted. Neither is a failure to report or retry early.
 */
export function ranAsPermitted(status: SyncRunStatus): boolean {
  return status === 'succeeded' || status === 'notPermitted';
}

/**
 * Whether a run says anything about the connection. One still running has not ended; one cancelled (the hub was
 * stopping) or interrupted (its process died) was cut short by the hub, not refused by Defender: none of them
 * decides, the last run that ran to its end (or was not permitted to start) does.
 */
export function isConclusiveRun(run: RunOutcome): boolean {
  return ranAsPermitted(run.status) || (run.status === 'failed' && run.errorCode !== interruptedRunCode);
}

/**
 * The integration's connection status. `datasets` holds, per dataset it imports, that dataset's recent runs
 * newest first (the latest run and the latest conclusive one are enough); the newest conclusive run of each
 * dataset decides whether the dataset is failing, or limited by a permission the app lacks. A dataset that is not
 * permitted is not failing: the integration is failing only when a dataset it may read fails.
 */
export function connectionStatus(input: {
  readonly enabled: boolean;
  readonly datasets: readonly (readonly RunOutcome[])[];
}): ConnectionStatus {
  if (!input.enabled) return { state: 'disabled', label: 'Disabled', notPermitted: [] };
  const deciding = input.datasets.flatMap((runs) => runs.find(isConclusiveRun) ?? []);
  const failed = newestFinished(deciding.filter((run) => run.status === 'failed'));
  if (failed !== undefined)
    return { state: 'failing', label: `Failing: ${failureReason(failed)}`, notPermitted: [] };
  if (deciding.length === 0) return { state: 'notSynced', label: 'Not synced yet', notPermitted: [] };
  const notPermitted = inTableOrder(deciding.flatMap((run) => run.notPermitted));
  if (notPermitted.length === 0) return { state: 'connected', label: 'Connected', notPermitted };
  return { state: 'limited', label: limitedLabel(notPermitted), notPermitted };
}

/** "Connected — limited: alerts need Alert.Read.All or SecurityAlert.Read.All; …". */
export function limitedLabel(notPermitted: readonly Feature[]): string {
  return `Connected — limited: ${notPermitted.map(needsText).join('; ')}`;
}

/** The run that finished last; the first of equals, so datasets keep their order on a tie. */
function newestFinished(runs: readonly RunOutcome[]): RunOutcome | undefined {
  let newest: RunOutcome | undefined;
  for (const run of runs)
    if (newest === undefined || (run.finishedAt ?? '') > (newest.finishedAt ?? '')) newest = run;
  return newest;
}

function failureReason(run: RunOutcome): string {
  return run.errorMessage ?? run.errorCode ?? 'no reason recorded';
}
