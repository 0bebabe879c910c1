import { Link } from 'react-router';
import { withQuery } from '../api.js';
import type { CloudResource } from '../api-types.js';
import type { Column } from '../components/data-table.js';
import { SelectFilter, TextFilter } from '../components/filter-controls.js';
import { ListPage } from '../components/list-page.js';
import {
  CloudEmpty,
  cloudSeverities,
  resourceName,
  useHasCloudIntegration,
  useSubscriptionOptions,
} from '../cloud-options.js';
import { formatCount, text } from '../format.js';

/**
 * The assessments and findings lists narrowed to the resource's subscription and type: the API filters those
 * lists by neither resource id nor name yet, so this is the closest view (the resource's rows among few).
 */
function RelatedLinks({ resource }: { resource: CloudResource }) {
  const scope = {
    subscription: resource.subscriptionId,
    resourceType: resource.resourceType ?? undefined,
  };
  const name = resourceName(resource.resourceId);
  return (
    <span className="related-links">
      <Link
        to={withQuery('/cloud/assessments', { ...scope, status: 'unhealthy' })}
        aria-label={`Unhealthy assessments of ${name}'s subscription and type`}
      >
        Assessments
      </Link>{' '}
      <Link
        to={withQuery('/cloud/findings', scope)}
        aria-label={`Findings of ${name}'s subscription and type`}
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
    cell: (r) => <span title={r.resourceId}>{resourceName(r.resourceId)}</span>,
  },
  { id: 'type', header: 'Resource type', cell: (r) => text(r.resourceType) },
  ...cloudSeverities.map((severity): Column<CloudResource> => ({
    id: `unhealthy${severity}`,
    header: `Unhealthy ${severity}`,
    cell: (r) => formatCount(r.unhealthy[severity]),
  })),
  { id: 'assessments', header: 'Assessments', cell: (r) => formatCount(r.assessments) },
  { id: 'subscription', header: 'Subscription', hidden: true, cell: (r) => <code>{r.subscriptionId}</code> },
  { id: 'id', header: 'Resource id', hidden: true, cell: (r) => <code>{r.resourceId}</code> },
  { id: 'related', header: 'Related', cell: (r) => <RelatedLinks resource={r} /> },
];

export function CloudResourcesPage() {
  const subscriptions = useSubscriptionOptions();
  const hasCloud = useHasCloudIntegration();
  return (
    <ListPage
      title="Cloud resources"
      path="/cloud/resources"
      filters={['subscription', 'resourceType']}
      columns={columns}
      rowKey={(r) => `${r.integrationId}|${r.resourceId}`}
      storageKey="cloud-resources"
      empty={<CloudEmpty hasCloud={hasCloud} what="resources" />}
      controls={(url) => (
        <>
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
