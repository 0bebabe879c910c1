import type { SyncRunRow } from '../store/index.js';

function seconds(row: SyncRunRow): string {
  if (row.finished_at === null) return '';
  const ms = Date.parse(row.finished_at) - Date.parse(row.started_at);
  return Number.isFinite(ms) ? ` in ${(ms / 1000).toFixed(1)} s` : '';
}

/** One line per finished run, for people: the CLI's summaries and the scheduler's log. */
export function describeRun(row: SyncRunRow, integrationName: string): string {
  const counts = `${row.records_in} read, ${row.upserted} upserted, ${row.skipped} skipped, ${row.removed} removed, ${row.api_calls} API calls`;
  const failure =
    row.status === 'failed' || row.status === 'cancelled' || row.status === 'notPermitted'
      ? `: ${row.error_message ?? 'no reason recorded'} [${row.error_code ?? 'SYNC_FAILED'}]`
      : '';
  return `${integrationName} ${row.dataset}: ${row.status}${seconds(row)} (${counts})${failure}`;
}
