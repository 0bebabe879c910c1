import { Link } from 'react-router';
import type { IntegrationStatus } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import { usePolling, useRequest } from '../use-request.js';

export function StatusBadge({ status }: { status: IntegrationStatus }) {
  return <Badge value={status.label} label="Connection status" />;
}

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
  { id: 'status', header: 'Status', cell: (s) => <StatusBadge status={s} /> },
  { id: 'syncs', header: 'Last sync per dataset', cell: (s) => <LastSyncs status={s} /> },
  { id: 'secret', header: 'Secret expires', cell: (s) => formatTime(s.credentialExpiresAt) },
  {
    id: 'history',
    header: 'History',
    cell: (s) => <Link to={`/integrations/${encodeURIComponent(s.id)}/history`}>Sync history</Link>,
  },
];

export function IntegrationsPage() {
  const { may } = useSession();
  const status = useRequest<{ items: IntegrationStatus[] }>('/integrations/status');
  const running = (status.data?.items ?? []).some((s) =>
    s.datasets.some((d) => d.lastRun?.status === 'running'),
  );
  usePolling(running, 5000, status.reload);
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
      <ErrorBox error={status.error} />
      <DataTable
        label="Integrations"
        columns={columns}
        rows={status.data?.items}
        rowKey={(s) => s.id}
        loading={status.loading}
        empty="No integration yet: add one to connect a Defender tenant."
      />
    </section>
  );
}
