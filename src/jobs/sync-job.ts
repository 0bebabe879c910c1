import type { DatasetName } from '../domain/datasets.js';

/** The queue every sync job goes through, and where a job that keeps failing ends. */
export const syncQueue = 'sync';
export const deadSyncQueue = 'sync-dead';

/** What a sync job carries: which dataset of which integration to sync, and how. */
export interface SyncJobData {
  readonly integrationId: string;
  readonly dataset: DatasetName;
  readonly full: boolean;
  readonly force: boolean;
}

/**
 * Where a job stands, in the operators' words: `queued` (waiting, or waiting for its time), `active` (a worker
 * runs it), `retrying` (failed, to run again after its back-off), `completed`, `failed` (for good, no retry
 * left and not dead-lettered), `cancelled`, and `deadLettered` (failed every attempt; kept in the dead-letter queue).
 */
export const syncJobStates = [
  'queued',
  'active',
  'retrying',
  'completed',
  'failed',
  'cancelled',
  'deadLettered',
] as const;
export type SyncJobState = (typeof syncJobStates)[number];

/** States of a job that will still run. */
export const pendingJobStates: readonly SyncJobState[] = ['queued', 'active', 'retrying'];

/** A job as the API and the web UI show it. */
export interface SyncJobView {
  readonly id: string;
  readonly integrationId: string;
  readonly dataset: DatasetName;
  readonly full: boolean;
  readonly force: boolean;
  readonly state: SyncJobState;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly createdAt: string;
  /** Not before this time (a retry's back-off, or now). */
  readonly runAfter: string;
  readonly startedAt: string | null;
  readonly heartbeatAt: string | null;
  readonly finishedAt: string | null;
  readonly lastError: string | null;
}

export interface SyncJobFilter {
  readonly integrationId?: string | undefined;
  readonly dataset?: DatasetName | undefined;
  readonly state?: SyncJobState | undefined;
}

/** pg-boss's state of a job (in the sync queue or its dead-letter queue) in the operators' words. */
export function jobStateOf(deadLettered: boolean, engineState: string): SyncJobState {
  if (deadLettered) return 'deadLettered';
  switch (engineState) {
    case 'active':
      return 'active';
    case 'retry':
      return 'retrying';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'queued';
  }
}

/** Where pg-boss keeps the jobs of one state: the queues to read, and the engine's state when one alone fits. */
export function engineStateOf(state: SyncJobState): { queues: string[]; state?: string } {
  if (state === 'deadLettered') return { queues: [deadSyncQueue] };
  const engineStates: Record<Exclude<SyncJobState, 'deadLettered'>, string> = {
    queued: 'created',
    active: 'active',
    retrying: 'retry',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
  };
  return { queues: [syncQueue], state: engineStates[state] };
}
