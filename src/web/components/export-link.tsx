import { withQuery } from '../api.js';

/** A CSV download of what the list shows: the same filters, sent to the list's export route. */
export function ExportLink({ path, query }: { path: string; query: Readonly<Record<string, string>> }) {
  return (
    <a className="button" href={withQuery(`/api/v1${path}`, { ...query, format: 'csv' })} download>
      Export CSV
    </a>
  );
}
