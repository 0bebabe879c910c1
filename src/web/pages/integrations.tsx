import { Link } from 'react-router';
import type { IntegrationStatus } from '../api-types.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import { countsPollMs, runningSyncPollMs } from '../live.js';
import { useRequest } from '../use-request.js';
import { SelectFilter, TextFilter } from '../components/filter-controls.js';
import { useUrlState } from '../url-state.js';
import { connectionStates } from '../labels.js';

function LastSyncs({ status }: { status: IntegrationStatus }) {
  return (
    <ul className="dataset-list">
      {status.datasets.map((d) => (
        <li key={d.dataset}>
          <span className="dataset">{d.dataset}</span>{' '}
          {d.lastRun === null
            ? 'never'
            : `${d.lastRun.status}, ${formatTime(d.lastRun.finishedAt ?? d.lastRun.startedAt)}`}
        </li>
      ))}
    </ul>
  );
}

const columns: readonly Column<IntegrationStatus>[] = [
  {
    id: 'name',
    header: 'Name',
    cell: (s) => <Link to={`/integrations/${encodeURIComponent(s.id)}`}>{s.name}</Link>,
  },
  {
    id: 'product',
    header: 'Product',
    cell: (s) => (s.product === 'cloud' ? 'Defender for Cloud' : 'Defender for Endpoint'),
  },
  { id: 'status', header: 'Status', cell: (s) => <ConnectionStatusBadge status={s} /> },
  { id: 'syncs', header: 'Last sync per dataset', cell: (s) => <LastSyncs status={s} /> },
  { id: 'secret', header: 'Secret expires', cell: (s) => formatTime(s.credentialExpiresAt) },
  {
    id: 'history',
    header: 'History',
    cell: (s) => <Link to={`/integrations/${encodeURIComponent(s.id)}/history`}>Sync history</Link>,
  },
];

const productOptions = [
  { value: 'endpoint', label: 'Defender for Endpoint' },
  { value: 'cloud', label: 'Defender for Cloud' },
];

/** The integrations the URL's filters leave: part of the name, the connection state, the product. */
function filtered(items: readonly IntegrationStatus[], params: URLSearchParams): IntegrationStatus[] {
  const search = (params.get('search') ?? '').trim().toLowerCase();
  const state = params.get('state') ?? '';
  const product = params.get('product') ?? '';
  return items.filter(
    (s) =>
      (search === '' || s.name.toLowerCase().includes(search)) &&
      (state === '' || s.state === state) &&
      (product === '' || s.product === product),
  );
}

/** Each integration's latest runs: followed while one runs, else at the dashboard's pace (live.ts). */
function statusPoll(answer: { items: IntegrationStatus[] } | undefined): number {
  const running = (answer?.items ?? []).some((s) => s.datasets.some((d) => d.lastRun?.status === 'running'));
  return running ? runningSyncPollMs : countsPollMs;
}

export function IntegrationsPage() {
  const { may } = useSession();
  const url = useUrlState();
  const status = useRequest<{ items: IntegrationStatus[] }>('/integrations/status', { poll: statusPoll });
  const rows = status.data === undefined ? undefined : filtered(status.data.items, url.params);
  return (
    <section>
      <h1>Integrations</h1>
      {may('admin') ? (
        <p>
          <Link className="button" to="/integrations/new">
            Add integration
          </Link>
        </p>
      ) : null}
      {/* An MSSP's hundreds of tenants: the list is the status of all, filtered here. */}
      <div className="filters" role="search" aria-label="Integration filters">
        <TextFilter url={url} name="search" label="Search" placeholder="Part of the name" />
        <SelectFilter url={url} name="state" label="Connection status" options={connectionStates} />
        <SelectFilter url={url} name="product" label="Product" options={productOptions} />
      </div>
      <ErrorBox error={status.error} />
      <DataTable
        label="Integrations"
        columns={columns}
        rows={rows}
        total={rows?.length}
        counted
        rowKey={(s) => s.id}
        loading={status.loading}
        empty={
          status.data?.items.length === 0
            ? 'No integration yet: add one to connect a Defender tenant.'
            : 'No integration matches these filters.'
        }
      />
    </section>
  );
}
