import type { CloudAssessment } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import { CloudStatusFilter, cloudStatusLabels } from '../components/cloud-status.js';
import { SelectFilter } from '../components/filter-controls.js';
import { ListPage } from '../components/list-page.js';
import { PortalLink } from '../components/portal-link.js';
import {
  CloudEmpty,
  cloudSeverities,
  CloudPlaceFilters,
  resourceName,
  useHasCloudIntegration,
} from '../cloud-options.js';
import { formatTime, text } from '../format.js';

const columns: readonly Column<CloudAssessment>[] = [
  {
    id: 'name',
    header: 'Assessment',
    cell: (a) =>
      a.portalUrl === null ? a.displayName : <PortalLink href={a.portalUrl}>{a.displayName}</PortalLink>,
  },
  { id: 'severity', header: 'Severity', cell: (a) => <Badge value={a.severity} /> },
  { id: 'status', header: 'Status', cell: (a) => <Badge value={cloudStatusLabels[a.status]} /> },
  { id: 'resource', header: 'Resource', cell: (a) => resourceName(a.resourceId) },
  { id: 'type', header: 'Resource type', cell: (a) => text(a.resourceType) },
  { id: 'subscription', header: 'Subscription', hidden: true, cell: (a) => <code>{a.subscriptionId}</code> },
  { id: 'remediation', header: 'Remediation', hidden: true, cell: (a) => text(a.remediation) },
  { id: 'updated', header: 'Updated', cell: (a) => formatTime(a.updatedAt) },
];

export function CloudAssessmentsPage() {
  const hasCloud = useHasCloudIntegration();
  return (
    <ListPage
      title="Cloud assessments"
      path="/cloud/assessments"
      filters={['status', 'severity', 'resourceType', 'subscription', 'resource']}
      columns={columns}
      rowKey={(a) => `${a.integrationId}|${a.id}`}
      storageKey="cloud-assessments"
      empty={<CloudEmpty hasCloud={hasCloud} what="assessments" />}
      controls={(url) => (
        <>
          <CloudStatusFilter url={url} />
          <SelectFilter url={url} name="severity" label="Severity" options={cloudSeverities} />
          <CloudPlaceFilters url={url} typePlaceholder="e.g. Microsoft.Compute/virtualMachines" />
        </>
      )}
    />
  );
}
