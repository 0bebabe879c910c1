import { useState, type ReactNode } from 'react';
import { formatCount } from '../format.js';

export interface Column<T> {
  readonly id: string;
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** The API's sort name; sortable when given. */
  readonly sort?: string;
  /** Left out until the user picks it in the column chooser. */
  readonly hidden?: boolean;
}

interface DataTableProps<T> {
  readonly label: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[] | undefined;
  readonly rowKey: (row: T, index: number) => string | number;
  readonly loading: boolean;
  readonly total?: number | undefined;
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: string;
  readonly onSort?: (sort: string) => void;
  readonly onPage?: (page: number) => void;
  /** Remembers the chosen columns under this name (per browser). */
  readonly storageKey?: string;
  /** Shows the count line ("12 items"); paged tables always do. */
  readonly counted?: boolean;
  /** What an empty answer shows; a node, so it can say what to set up and link there. */
  readonly empty?: ReactNode;
}

function chosenColumns(storageKey: string | undefined): string[] | undefined {
  if (storageKey === undefined) return undefined;
  const stored = window.localStorage.getItem(`dh:columns:${storageKey}`);
  if (stored === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : undefined;
  } catch {
    return undefined;
  }
}

function SortButton({
  header,
  sort,
  current,
  onSort,
}: {
  header: string;
  sort: string;
  current: string | undefined;
  onSort: (sort: string) => void;
}) {
  const state = current === sort ? 'ascending' : current === `-${sort}` ? 'descending' : undefined;
  const next = state === 'ascending' ? `-${sort}` : sort;
  return (
    <button
      type="button"
      className="sort"
      onClick={() => {
        onSort(next);
      }}
    >
      {header}
      <span aria-hidden="true">{state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ''}</span>
    </button>
  );
}

/**
 * A server-paged table: the API sorts and pages (so 100,000 endpoints cost one page), the rows of the last
 * answer stay while the next loads, and the user picks the columns.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, loading, total, page = 1, pageSize = 50, sort, onSort, onPage, storageKey } = props;
  const [visible, setVisible] = useState<string[]>(
    () => chosenColumns(storageKey) ?? columns.filter((c) => c.hidden !== true).map((c) => c.id),
  );
  const shown = columns.filter((c) => visible.includes(c.id));
  const toggle = (id: string): void => {
    const next = visible.includes(id) ? visible.filter((v) => v !== id) : [...visible, id];
    setVisible(next);
    if (storageKey !== undefined)
      window.localStorage.setItem(`dh:columns:${storageKey}`, JSON.stringify(next));
  };
  const pages = total === undefined ? 1 : Math.max(1, Math.ceil(total / pageSize));
  // A paged table's count line is there from the start, so the table does not move down when the count arrives.
  const counted = props.counted === true || onPage !== undefined;
  return (
    <div className="data-table">
      <div className="table-tools">
        {counted ? (
          <span className="count" aria-live="polite">
            {total === undefined ? '' : `${formatCount(total)} ${total === 1 ? 'item' : 'items'}`}
          </span>
        ) : null}
        {storageKey === undefined ? null : (
          <details className="column-chooser">
            <summary>Columns</summary>
            <fieldset>
              <legend>Columns shown</legend>
              {columns.map((c) => (
                <label key={c.id}>
                  <input
                    type="checkbox"
                    checked={visible.includes(c.id)}
                    onChange={() => {
                      toggle(c.id);
                    }}
                  />
                  {c.header}
                </label>
              ))}
            </fieldset>
          </details>
        )}
      </div>
      <div className="table-scroll">
        {rows === undefined ? (
          // The header is laid out with the first rows, not for none: its columns would jump when they came.
          <p className="placeholder" role="status" aria-label={props.label}>
            Loading…
          </p>
        ) : (
          <table aria-label={props.label} aria-busy={loading}>
            <thead>
              <tr>
                {shown.map((c) => (
                  <th
                    key={c.id}
                    scope="col"
                    aria-sort={
                      sort === c.sort ? 'ascending' : sort === `-${c.sort ?? ''}` ? 'descending' : undefined
                    }
                  >
                    {c.sort === undefined || onSort === undefined ? (
                      c.header
                    ) : (
                      <SortButton header={c.header} sort={c.sort} current={sort} onSort={onSort} />
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={shown.length} className="placeholder">
                    {props.empty ?? 'Nothing matches.'}
                  </td>
                </tr>
              ) : (
                rows.map((row, index) => (
                  <tr key={props.rowKey(row, index)}>
                    {shown.map((c) => (
                      <td key={c.id}>{c.cell(row)}</td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        )}
      </div>
      {onPage === undefined || pages <= 1 ? null : (
        <nav className="pager" aria-label={`${props.label} pages`}>
          <button
            type="button"
            disabled={page <= 1}
            onClick={() => {
              onPage(page - 1);
            }}
          >
            Previous
          </button>
          <span>
            Page {page} of {formatCount(pages)}
          </span>
          <button
            type="button"
            disabled={page >= pages}
            onClick={() => {
              onPage(page + 1);
            }}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
