import { Link } from 'react-router';
import type { Page } from './api.js';
import type { CloudSubscription, Integration } from './api-types.js';
import { SelectFilter, TextFilter } from './components/filter-controls.js';
import type { useUrlState } from './url-state.js';
import { useRequest } from './use-request.js';

/** Every subscription the cloud integrations read (a tenant has tens, not thousands: one page of 500). */
export function useSubscriptions() {
  return useRequest<Page<CloudSubscription>>('/cloud/subscriptions?pageSize=500');
}

/** The subscriptions as filter options: the API's id as value, the display name as label. */
export function useSubscriptionOptions(): { value: string; label: string }[] {
  const { data } = useSubscriptions();
  return (data?.items ?? []).map((s) => ({
    value: s.subscriptionId,
    label: s.displayName ?? s.subscriptionId,
  }));
}

/** Whether any Defender for Cloud integration exists; undefined until the hub answers. */
export function useHasCloudIntegration(): boolean | undefined {
  const { data } = useRequest<Page<Integration>>('/integrations?pageSize=500');
  return data?.items.some((i) => i.product === 'cloud');
}

/**
 * What an empty cloud list says: without a cloud integration there is nothing to read yet, so it says how to
 * get one; with one, the filters simply match nothing (or the first sync has not run).
 */
export function CloudEmpty({ hasCloud, what }: { hasCloud: boolean | undefined; what: string }) {
  if (hasCloud === false)
    return (
      <>
        No Defender for Cloud integration yet.{' '}
        <Link to="/integrations/new">Add a Defender for Cloud integration</Link> (product Cloud) to read the{' '}
        {what} of your Azure subscriptions.
      </>
    );
  return <>No {what} match; the first cloud sync may still be running.</>;
}

/** An ARM id's last segment: the resource's own name (…/virtualMachines/vm-web-01 → vm-web-01). */
export function resourceName(resourceId: string | null): string {
  if (resourceId === null) return '—';
  return resourceId.split('/').filter(Boolean).at(-1) ?? resourceId;
}

/**
 * One resource (`resource=`, its whole ARM id, any case), as the resources page's related links set it: shown so
 * the deep link says what it narrows to, and cleared like any filter.
 */
export function ResourceFilter({ url }: { url: ReturnType<typeof useUrlState> }) {
  return (
    <TextFilter
      url={url}
      name="resource"
      label="Resource id"
      placeholder="/subscriptions/…/resourceGroups/…/providers/…"
    />
  );
}

export const cloudSeverities = ['High', 'Medium', 'Low'] as const;

/**
 * Where the records of an assessments or findings list are: the resource type (`placeholder` gives the list's
 * own kind of type), the subscription and one resource.
 */
export function CloudPlaceFilters({
  url,
  typePlaceholder,
}: {
  url: ReturnType<typeof useUrlState>;
  typePlaceholder: string;
}) {
  const subscriptions = useSubscriptionOptions();
  return (
    <>
      <TextFilter url={url} name="resourceType" label="Resource type" placeholder={typePlaceholder} />
      <SelectFilter url={url} name="subscription" label="Subscription" options={subscriptions} />
      <ResourceFilter url={url} />
    </>
  );
}
