import type { CloudAssessment } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import {
  CloudListPage,
  CloudStateFilters,
  subscriptionColumn,
  updatedColumn,
} from '../components/cloud-list-page.js';
import { cloudStatusLabels } from '../components/cloud-status.js';
import { PortalLink } from '../components/portal-link.js';
import { CloudPlaceFilters, resourceName } from '../cloud-options.js';
import { text } from '../format.js';

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
  subscriptionColumn(),
  { id: 'remediation', header: 'Remediation', hidden: true, cell: (a) => text(a.remediation) },
  updatedColumn(),
];

export function CloudAssessmentsPage() {
  return (
    <CloudListPage
      what="assessments"
      title="Cloud assessments"
      filters={['status', 'severity', 'resourceType', 'subscription', 'resource']}
      columns={columns}
      rowKey={(a) => `${a.integrationId}|${a.id}`}
      controls={(url) => (
        <>
          <CloudStateFilters url={url} />
          <CloudPlaceFilters url={url} typePlaceholder="e.g. Microsoft.Compute/virtualMachines" />
        </>
      )}
    />
  );
}
