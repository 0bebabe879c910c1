/**
 * Where a sync run stands. `notPermitted`: not run, because the app lacks every permission the dataset reads
 * with (not a failure).
 */
export const syncRunStatuses = ['running', 'succeeded', 'notPermitted', 'failed', 'cancelled'] as const;
export type SyncRunStatus = (typeof syncRunStatuses)[number];
