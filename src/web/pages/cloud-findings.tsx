import type { CloudFinding } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import {
  CloudListPage,
  CloudStateFilters,
  subscriptionColumn,
  updatedColumn,
} from '../components/cloud-list-page.js';
import { CveFilter } from '../components/filter-controls.js';
import { CloudPlaceFilters, resourceName } from '../cloud-options.js';
import { text } from '../format.js';
import { yesNo } from '../labels.js';
import { cloudStatusLabels } from '../components/cloud-status.js';

const columns: readonly Column<CloudFinding>[] = [
  { id: 'name', header: 'Finding', cell: (f) => f.displayName },
  { id: 'id', header: 'Rule or scanner id', cell: (f) => <code>{f.vulnerabilityId}</code> },
  { id: 'cves', header: 'CVEs', cell: (f) => f.cveIds.join(', ') || '—' },
  { id: 'severity', header: 'Severity', cell: (f) => <Badge value={f.severity} /> },
  { id: 'status', header: 'Status', cell: (f) => <Badge value={cloudStatusLabels[f.status]} /> },
  { id: 'resource', header: 'Resource', cell: (f) => resourceName(f.resourceId) },
  { id: 'type', header: 'Assessed type', cell: (f) => text(f.assessedResourceType ?? f.resourceType) },
  { id: 'patchable', header: 'Patchable', hidden: true, cell: (f) => yesNo(f.patchable) },
  subscriptionColumn(),
  updatedColumn(),
];

export function CloudFindingsPage() {
  return (
    <CloudListPage
      what="findings"
      title="Cloud findings"
      filters={['status', 'severity', 'cve', 'resourceType', 'subscription', 'resource']}
      columns={columns}
      rowKey={(f) => `${f.integrationId}|${f.id}`}
      controls={(url) => (
        <>
          <CloudStateFilters url={url} />
          <CveFilter url={url} />
          <CloudPlaceFilters url={url} typePlaceholder="e.g. ServerVulnerability" />
        </>
      )}
    />
  );
}
