import type { Alert, Incident } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { SelectFilter } from '../components/filter-controls.js';
import { formatTime, text } from '../format.js';
import { useIntegrationOptions } from '../options.js';
import { usePagedList } from '../use-paged-list.js';
import { countsPollMs } from '../live.js';
import { alertColumns } from '../components/alert-columns.js';
import { PortalLink } from '../components/portal-link.js';

const filters = ['severity', 'status', 'integration'] as const;
const severities = ['high', 'medium', 'low', 'informational'];

function ActivityList<T>({
  title,
  path,
  columns,
  rowKey,
  statuses,
}: {
  title: string;
  path: string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  statuses: readonly string[];
}) {
  // New alerts and incidents arrive with each scheduled sync (every minute in the demo).
  const list = usePagedList<T>(path, filters, undefined, {}, { poll: () => countsPollMs });
  const integrations = useIntegrationOptions();
  return (
    <section>
      <h1>{title}</h1>
      <div className="filters" role="search" aria-label={`${title} filters`}>
        <SelectFilter url={list.url} name="severity" label="Severity" options={severities} />
        <SelectFilter url={list.url} name="status" label="Status" options={statuses} />
        <SelectFilter url={list.url} name="integration" label="Integration" options={integrations} />
      </div>
      <ErrorBox error={list.error} />
      <DataTable label={title} columns={columns} rowKey={rowKey} storageKey={path} {...list.table} />
    </section>
  );
}

export function AlertsPage() {
  return (
    <ActivityList<Alert>
      title="Alerts"
      path="/alerts"
      columns={alertColumns}
      rowKey={(a) => `${a.integrationId}|${a.id}`}
      statuses={['new', 'inProgress', 'resolved']}
    />
  );
}

const incidentColumns: readonly Column<Incident>[] = [
  {
    id: 'name',
    header: 'Incident',
    cell: (i) => <PortalLink href={i.portalUrl}>{text(i.displayName)}</PortalLink>,
  },
  { id: 'severity', header: 'Severity', cell: (i) => <Badge value={i.severity} /> },
  { id: 'status', header: 'Status', cell: (i) => text(i.status) },
  { id: 'classification', header: 'Classification', cell: (i) => text(i.classification) },
  { id: 'determination', header: 'Determination', hidden: true, cell: (i) => text(i.determination) },
  { id: 'created', header: 'Created', cell: (i) => formatTime(i.createdAt) },
  { id: 'updated', header: 'Last update', cell: (i) => formatTime(i.lastUpdate) },
];

export function IncidentsPage() {
  return (
    <ActivityList<Incident>
      title="Incidents"
      path="/incidents"
      columns={incidentColumns}
      rowKey={(i) => `${i.integrationId}|${i.id}`}
      statuses={['active', 'inProgress', 'resolved', 'redirected']}
    />
  );
}
