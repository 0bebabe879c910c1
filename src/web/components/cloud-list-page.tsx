import type { ReactNode } from 'react';
import type { Column } from './data-table.js';
import { CloudStatusFilter } from './cloud-status.js';
import { SelectFilter } from './filter-controls.js';
import { ListPage } from './list-page.js';
import { CloudEmpty, cloudSeverities, useHasCloudIntegration } from '../cloud-options.js';
import { formatTime } from '../format.js';
import type { useUrlState } from '../url-state.js';

type UrlState = ReturnType<typeof useUrlState>;

/**
 * A Defender for Cloud list: its path, stored column choice and empty text follow from `what` it lists, and
 * the empty text says how to add a cloud integration while there is none.
 */
export function CloudListPage<T>({
  what,
  ...page
}: {
  what: 'assessments' | 'findings' | 'resources';
  title: string;
  filters: readonly string[];
  defaultSort?: string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  controls: (url: UrlState) => ReactNode;
}) {
  const hasCloud = useHasCloudIntegration();
  return (
    <ListPage<T>
      {...page}
      path={`/cloud/${what}`}
      storageKey={`cloud-${what}`}
      empty={<CloudEmpty hasCloud={hasCloud} what={what} />}
    />
  );
}

/** Status and severity: how assessments and their findings are first narrowed down. */
export function CloudStateFilters({ url }: { url: UrlState }) {
  return (
    <>
      <CloudStatusFilter url={url} />
      <SelectFilter url={url} name="severity" label="Severity" options={cloudSeverities} />
    </>
  );
}

/** The subscription's id, hidden at first: the resource name says more, the id tells two tenants apart. */
export function subscriptionColumn<T extends { subscriptionId: string }>(): Column<T> {
  return {
    id: 'subscription',
    header: 'Subscription',
    hidden: true,
    cell: (r) => <code>{r.subscriptionId}</code>,
  };
}

/** When Defender for Cloud last changed the record. */
export function updatedColumn<T extends { updatedAt: string }>(): Column<T> {
  return { id: 'updated', header: 'Updated', cell: (r) => formatTime(r.updatedAt) };
}
