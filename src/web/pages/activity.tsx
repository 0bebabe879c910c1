import type { Alert, Incident } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import { IntegrationFilter, SelectFilter } from '../components/filter-controls.js';
import { ListPage } from '../components/list-page.js';
import { formatTime, text } from '../format.js';
import { countsPollMs } from '../live.js';
import { alertColumns } from '../components/alert-columns.js';
import { PortalLink } from '../components/portal-link.js';

const severities = ['high', 'medium', 'low', 'informational'];

/** Alerts and incidents: the same filters (their own statuses), polled, keyed by integration and id. */
function ActivityList<T extends { integrationId: string; id: string }>({
  title,
  path,
  columns,
  statuses,
}: {
  title: string;
  path: string;
  columns: readonly Column<T>[];
  statuses: readonly string[];
}) {
  return (
    <ListPage
      title={title}
      path={path}
      filters={['severity', 'status', 'integration']}
      // New alerts and incidents arrive with each scheduled sync (every minute in the demo).
      request={{ poll: () => countsPollMs }}
      columns={columns}
      rowKey={(row) => `${row.integrationId}|${row.id}`}
      storageKey={path}
      controls={(url) => (
        <>
          <SelectFilter url={url} name="severity" label="Severity" options={severities} />
          <SelectFilter url={url} name="status" label="Status" options={statuses} />
          <IntegrationFilter url={url} />
        </>
      )}
    />
  );
}

const alertStatuses = ['new', 'inProgress', 'resolved'];

export function AlertsPage() {
  return (
    <ActivityList<Alert> title="Alerts" path="/alerts" columns={alertColumns} statuses={alertStatuses} />
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

const incidentStatuses = ['active', 'inProgress', 'resolved', 'redirected'];

export function IncidentsPage() {
  return (
    <ActivityList<Incident>
      title="Incidents"
      path="/incidents"
      columns={incidentColumns}
      statuses={incidentStatuses}
    />
  );
}
