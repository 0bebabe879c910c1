import type { ReactNode } from 'react';
import { DataTable, type Column } from './data-table.js';
import { ErrorBox } from './error-box.js';
import type { useUrlState } from '../url-state.js';
import { usePagedList } from '../use-paged-list.js';

type UrlState = ReturnType<typeof useUrlState>;

/**
 * A list page as the hub draws them: a heading, the filters (bound to the URL, so a deep link is the view), the
 * API's error in place and the server-paged table. The cloud and coverage lists are this with their own path,
 * filters and columns; a filter the API gains is one name in `filters` and one control in `controls`.
 */
export function ListPage<T>({
  title,
  path,
  filters,
  defaultSort,
  fixed,
  columns,
  rowKey,
  storageKey,
  empty,
  controls,
  intro,
}: {
  title: string;
  path: string;
  filters: readonly string[];
  defaultSort?: string;
  /** Query parameters the page always sends (not the user's to change). */
  fixed?: Readonly<Record<string, string | number>>;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  storageKey: string;
  empty?: ReactNode;
  controls: (url: UrlState) => ReactNode;
  intro?: ReactNode;
}) {
  const list = usePagedList<T>(path, filters, defaultSort, fixed);
  return (
    <section>
      <h1>{title}</h1>
      {intro}
      <div className="filters" role="search" aria-label={`${title} filters`}>
        {controls(list.url)}
      </div>
      <ErrorBox error={list.error} />
      <DataTable
        label={title}
        columns={columns}
        rowKey={rowKey}
        storageKey={storageKey}
        empty={empty}
        {...list.table}
      />
    </section>
  );
}
