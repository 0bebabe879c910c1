import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, health, withQuery, type Page } from '../api.js';
import type { SyncJob, SyncRun } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { formatCount, formatTime } from '../format.js';
import { useSession } from '../session.js';
import { syncHistoryPoll, syncJobsPoll } from '../live.js';
import { useRequest } from '../use-request.js';
import { usePagedList } from '../use-paged-list.js';
import { useAction } from '../use-action.js';

/** What a run did and why, as a few log lines: the run's record is its log. */
function RunLog({ run }: { run: SyncRun }) {
  const lines = [
    `${formatTime(run.startedAt)} started ${run.dataset}`,
    `${formatCount(run.apiCalls)} API calls, ${formatCount(run.pages)} pages, ${formatCount(run.recordsIn)} records read`,
    `${formatCount(run.upserted)} stored, ${formatCount(run.skipped)} skipped, ${formatCount(run.removed)} removed`,
    ...Object.entries(run.skippedReasons).map(([reason, n]) => `skipped ${formatCount(n)}: ${reason}`),
    ...(run.completeness === null ? [] : [`completeness: ${run.completeness}`]),
    ...(run.notPermitted.length === 0 ? [] : [`not permitted: ${run.notPermitted.join(', ')}`]),
    ...(run.errorMessage === null ? [] : [`error ${run.errorCode ?? ''}: ${run.errorMessage}`]),
    run.finishedAt === null ? 'still running' : `${formatTime(run.finishedAt)} ${run.status}`,
  ];
  return <pre className="run-log">{lines.join('\n')}</pre>;
}

const columns: readonly Column<SyncRun>[] = [
  { id: 'dataset', header: 'Dataset', cell: (r) => r.dataset },
  { id: 'status', header: 'Status', cell: (r) => <Badge value={r.status} /> },
  { id: 'started', header: 'Started', cell: (r) => formatTime(r.startedAt) },
  { id: 'finished', header: 'Finished', cell: (r) => formatTime(r.finishedAt) },
  { id: 'read', header: 'Read', cell: (r) => formatCount(r.recordsIn) },
  { id: 'stored', header: 'Stored', cell: (r) => formatCount(r.upserted) },
  { id: 'skipped', header: 'Skipped', cell: (r) => formatCount(r.skipped) },
  { id: 'removed', header: 'Removed', cell: (r) => formatCount(r.removed) },
  {
    id: 'log',
    header: 'Log',
    cell: (r) => (
      <details>
        <summary>Log</summary>
        <RunLog run={r} />
      </details>
    ),
  },
];

const jobColumns: readonly Column<SyncJob>[] = [
  { id: 'dataset', header: 'Dataset', cell: (j) => j.dataset },
  { id: 'state', header: 'Job', cell: (j) => <Badge value={j.state} /> },
  { id: 'queued', header: 'Queued', cell: (j) => formatTime(j.createdAt) },
  { id: 'runAfter', header: 'Not before', cell: (j) => formatTime(j.runAfter) },
  { id: 'attempts', header: 'Attempts', cell: (j) => formatCount(j.attempts) },
  { id: 'worker', header: 'Worker', cell: (j) => j.worker ?? '—' },
  { id: 'heartbeat', header: 'Last heartbeat', cell: (j) => formatTime(j.heartbeatAt) },
  { id: 'error', header: 'Last error', cell: (j) => j.lastError ?? '—' },
];

/**
 * With PostgreSQL, syncs are jobs the workers take: what waits, runs, retries or was dead-lettered. With SQLite
 * the server runs them itself and has no jobs: nothing is shown, and nothing asked.
 */
function SyncJobs({ integrationId }: { integrationId: string }) {
  const hub = useQuery({ queryKey: ['healthz'], queryFn: health, staleTime: Infinity });
  const queued = hub.data?.database === 'postgres';
  const jobs = useRequest<Page<SyncJob>>(
    queued ? withQuery('/jobs', { integration: integrationId, pageSize: 20 }) : null,
    { poll: syncJobsPoll },
  );
  if (!queued) return null;
  return (
    <>
      <h2>Jobs</h2>
      <ErrorBox error={jobs.error} />
      <DataTable
        label="Sync jobs"
        columns={jobColumns}
        rowKey={(j) => j.id}
        rows={jobs.data?.items}
        total={jobs.data?.total}
        page={1}
        pageSize={20}
        loading={jobs.loading}
        empty="No job: the scheduler queues each dataset when it is due."
      />
    </>
  );
}

export function SyncHistoryPage() {
  const { id = '' } = useParams();
  const { may } = useSession();
  const list = usePagedList<SyncRun>(
    '/sync-runs',
    ['dataset', 'status'],
    undefined,
    { integration: id },
    { poll: syncHistoryPoll },
  );
  // The runs, and the statuses and counts they feed, are read again once the sync has answered.
  const { busy, error, run } = useAction(['/sync-runs', '/jobs', '/integrations', '/dashboard']);
  const syncNow = (): void => {
    run(async () => {
      await api('POST', `/integrations/${encodeURIComponent(id)}/sync`);
    });
  };
  return (
    <section>
      <p className="crumbs">
        <Link to="/integrations">Integrations</Link> ›{' '}
        <Link to={`/integrations/${encodeURIComponent(id)}`}>Settings</Link>
      </p>
      <h1>Sync history</h1>
      {may('admin') ? (
        <button type="button" disabled={busy} onClick={syncNow}>
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
      ) : null}
      <ErrorBox error={error ?? list.error} />
      <SyncJobs integrationId={id} />
      <h2>Runs</h2>
      <DataTable
        label="Sync runs"
        columns={columns}
        rowKey={(r) => r.id}
        {...list.table}
        empty="No run yet: the first sync starts within seconds of saving."
      />
    </section>
  );
}
