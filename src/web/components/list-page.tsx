import type { ReactNode } from 'react';
import { DataTable, type Column } from './data-table.js';
import { ErrorBox } from './error-box.js';
import type { useUrlState } from '../url-state.js';
import { usePagedList } from '../use-paged-list.js';
import type { Page } from '../api.js';
import type { RequestOptions } from '../use-request.js';

type UrlState = ReturnType<typeof useUrlState>;

/** What a list view needs of `usePagedList`'s answer: the error to show and the table's rows and paging. */
export type PagedList<T> = Pick<ReturnType<typeof usePagedList<T>>, 'error' | 'table'>;

/**
 * A list as the hub draws them: a heading, the filters (`filters`, labelled `filtersLabel`), the API's error in
 * place and the server-paged table; `children` come below the table, where arriving with the rows they push
 * nothing down. A page that asks for more than the rows (counts, options) draws this with its own list.
 */
export function ListView<T>({
  title,
  filtersLabel = `${title} filters`,
  filters,
  list,
  columns,
  rowKey,
  storageKey,
  empty,
  intro,
  children,
}: {
  title: string;
  filtersLabel?: string;
  filters: ReactNode;
  list: PagedList<T>;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  storageKey: string;
  empty?: ReactNode;
  intro?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section>
      <h1>{title}</h1>
      {intro}
      <div className="filters" role="search" aria-label={filtersLabel}>
        {filters}
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
      {children}
    </section>
  );
}

/**
 * A list page that is nothing but the list: its filters are bound to the URL, so a deep link is the view. The
 * cloud, coverage and activity lists are this with their own path, filters and columns; a filter the API gains
 * is one name in `filters` and one control in `controls`.
 */
export function ListPage<T>({
  path,
  filters,
  defaultSort,
  fixed,
  request,
  controls,
  ...view
}: {
  title: string;
  path: string;
  filters: readonly string[];
  defaultSort?: string;
  /** Query parameters the page always sends (not the user's to change). */
  fixed?: Readonly<Record<string, string | number>>;
  /** How the rows are asked for (a list that changes with every sync polls). */
  request?: RequestOptions<Page<T>>;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  storageKey: string;
  empty?: ReactNode;
  controls: (url: UrlState) => ReactNode;
  intro?: ReactNode;
}) {
  const list = usePagedList<T>(path, filters, defaultSort, fixed, request);
  return <ListView<T> {...view} filters={controls(list.url)} list={list} />;
}
