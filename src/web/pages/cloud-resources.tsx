import { Link } from 'react-router';
import { withQuery } from '../api.js';
import type { CloudResource } from '../api-types.js';
import type { Column } from '../components/data-table.js';
import { Badge } from '../components/badge.js';
import { CloudListPage, subscriptionColumn } from '../components/cloud-list-page.js';
import { CveFilter, RiskLevelFilter, SelectFilter, TextFilter } from '../components/filter-controls.js';
import { cloudSeverities, resourceName, useSubscriptionOptions } from '../cloud-options.js';
import { formatCount, text } from '../format.js';

/** The resource's own assessments and findings (the lists' `resource=` filter: this resource exactly). */
function RelatedLinks({ resource }: { resource: CloudResource }) {
  const scope = { resource: resource.resourceId };
  const name = resourceName(resource.resourceId);
  return (
    <span className="related-links">
      <Link to={withQuery('/cloud/assessments', scope)} aria-label={`Assessments of ${name}`}>
        Assessments
      </Link>{' '}
      <Link
        to={withQuery('/cloud/findings', { ...scope, status: 'unhealthy' })}
        aria-label={`Open findings of ${name}`}
      >
        Findings
      </Link>
    </span>
  );
}

const columns: readonly Column<CloudResource>[] = [
  {
    id: 'name',
    header: 'Resource',
    sort: 'resourceId',
    cell: (r) => <span title={r.resourceId}>{resourceName(r.resourceId)}</span>,
  },
  { id: 'type', header: 'Resource type', cell: (r) => text(r.resourceType) },
  { id: 'risk', header: 'Risk level', sort: 'riskLevel', cell: (r) => <Badge value={r.riskLevel} /> },
  { id: 'findings', header: 'Open findings', sort: 'findings', cell: (r) => formatCount(r.findings) },
  { id: 'cves', header: 'CVEs', sort: 'cves', cell: (r) => formatCount(r.cves) },
  ...cloudSeverities.map((severity): Column<CloudResource> => ({
    id: `unhealthy${severity}`,
    header: `Unhealthy ${severity}`,
    // The risk level sums them up; High stays in view, the others are a pick in the column chooser away.
    hidden: severity !== 'High',
    cell: (r) => formatCount(r.unhealthy[severity]),
  })),
  { id: 'assessments', header: 'Assessments', cell: (r) => formatCount(r.assessments) },
  subscriptionColumn(),
  { id: 'id', header: 'Resource id', hidden: true, cell: (r) => <code>{r.resourceId}</code> },
  { id: 'related', header: 'Related', cell: (r) => <RelatedLinks resource={r} /> },
];

export function CloudResourcesPage() {
  const subscriptions = useSubscriptionOptions();
  return (
    <CloudListPage
      what="resources"
      title="Cloud resources"
      filters={['search', 'riskLevel', 'cve', 'subscription', 'resourceType']}
      defaultSort="-riskLevel"
      columns={columns}
      rowKey={(r) => `${r.integrationId}|${r.resourceId}`}
      controls={(url) => (
        <>
          <TextFilter url={url} name="search" label="Search" placeholder="Part of the resource id" />
          <RiskLevelFilter url={url} />
          <CveFilter url={url} />
          <SelectFilter url={url} name="subscription" label="Subscription" options={subscriptions} />
          <TextFilter
            url={url}
            name="resourceType"
            label="Resource type"
            placeholder="e.g. Microsoft.Compute/virtualMachines"
          />
        </>
      )}
    />
  );
}
