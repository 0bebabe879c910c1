import type { CloudFinding } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import { CveFilter, SelectFilter } from '../components/filter-controls.js';
import { ListPage } from '../components/list-page.js';
import {
  CloudEmpty,
  cloudSeverities,
  CloudPlaceFilters,
  resourceName,
  useHasCloudIntegration,
} from '../cloud-options.js';
import { formatTime, text } from '../format.js';
import { yesNo } from '../labels.js';
import { CloudStatusFilter, cloudStatusLabels } from '../components/cloud-status.js';

const columns: readonly Column<CloudFinding>[] = [
  { id: 'name', header: 'Finding', cell: (f) => f.displayName },
  { id: 'id', header: 'Rule or scanner id', cell: (f) => <code>{f.vulnerabilityId}</code> },
  { id: 'cves', header: 'CVEs', cell: (f) => f.cveIds.join(', ') || '—' },
  { id: 'severity', header: 'Severity', cell: (f) => <Badge value={f.severity} /> },
  { id: 'status', header: 'Status', cell: (f) => <Badge value={cloudStatusLabels[f.status]} /> },
  { id: 'resource', header: 'Resource', cell: (f) => resourceName(f.resourceId) },
  { id: 'type', header: 'Assessed type', cell: (f) => text(f.assessedResourceType ?? f.resourceType) },
  { id: 'patchable', header: 'Patchable', hidden: true, cell: (f) => yesNo(f.patchable) },
  { id: 'subscription', header: 'Subscription', hidden: true, cell: (f) => <code>{f.subscriptionId}</code> },
  { id: 'updated', header: 'Updated', cell: (f) => formatTime(f.updatedAt) },
];

export function CloudFindingsPage() {
  const hasCloud = useHasCloudIntegration();
  return (
    <ListPage
      title="Cloud findings"
      path="/cloud/findings"
      filters={['status', 'severity', 'cve', 'resourceType', 'subscription', 'resource']}
      columns={columns}
      rowKey={(f) => `${f.integrationId}|${f.id}`}
      storageKey="cloud-findings"
      empty={<CloudEmpty hasCloud={hasCloud} what="findings" />}
      controls={(url) => (
        <>
          <CloudStatusFilter url={url} />
          <SelectFilter url={url} name="severity" label="Severity" options={cloudSeverities} />
          <CveFilter url={url} />
          <CloudPlaceFilters url={url} typePlaceholder="e.g. ServerVulnerability" />
        </>
      )}
    />
  );
}
