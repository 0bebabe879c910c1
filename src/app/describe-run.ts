import type { SyncRun } from '../store/index.js';

function seconds(run: SyncRun): string {
  if (run.finishedAt === null) return '';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) ? ` in ${(ms / 1000).toFixed(1)} s` : '';
}

/** One line per finished run, for people: the CLI's summaries and the scheduler's log. */
export function describeRun(run: SyncRun, integrationName: string): string {
  const counts = `${run.recordsIn} read, ${run.upserted} upserted, ${run.skipped} skipped, ${run.removed} removed, ${run.apiCalls} API calls`;
  const failure =
    run.status === 'failed' || run.status === 'cancelled' || run.status === 'notPermitted'
      ? `: ${run.errorMessage ?? 'no reason recorded'} [${run.errorCode ?? 'SYNC_FAILED'}]`
      : '';
  return `${integrationName} ${run.dataset}: ${run.status}${seconds(run)} (${counts})${failure}`;
}
