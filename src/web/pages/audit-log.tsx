import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import { ExportLink } from '../components/export-link.js';
import { SelectFilter, TextFilter } from '../components/filter-controls.js';
import { ListView } from '../components/list-page.js';
import { formatTime, text } from '../format.js';
import { usePagedList } from '../use-paged-list.js';

interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  actorKind: string;
  address: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure' | 'refused';
  status: number | null;
  details: unknown;
}

const outcomeTone: Readonly<Record<string, string>> = {
  success: 'Succeeded',
  failure: 'Failed',
  refused: 'Refused',
};

const columns: readonly Column<AuditEntry>[] = [
  { id: 'at', header: 'When', cell: (e) => formatTime(e.at) },
  { id: 'actor', header: 'Who', cell: (e) => `${text(e.actor)} (${e.actorKind})` },
  { id: 'action', header: 'Action', cell: (e) => <code>{e.action}</code> },
  { id: 'target', header: 'Target', cell: (e) => text(e.target) },
  { id: 'outcome', header: 'Outcome', cell: (e) => <Badge value={outcomeTone[e.outcome] ?? e.outcome} /> },
  { id: 'address', header: 'Address', hidden: true, cell: (e) => text(e.address) },
  {
    id: 'details',
    header: 'Details',
    cell: (e) => (
      <details>
        <summary>Details</summary>
        <pre>{JSON.stringify(e.details, null, 2)}</pre>
      </details>
    ),
  },
];

const filters = ['actor', 'action', 'outcome'] as const;

export function AuditLogPage() {
  const list = usePagedList<AuditEntry>('/audit-log', filters);
  return (
    <ListView
      title="Audit log"
      list={list}
      columns={columns}
      rowKey={(e) => e.id}
      storageKey="audit"
      filters={
        <>
          <TextFilter url={list.url} name="actor" label="Who" />
          <TextFilter
            url={list.url}
            name="action"
            label="Action starts with"
            placeholder="POST /api/v1/integrations"
          />
          <SelectFilter
            url={list.url}
            name="outcome"
            label="Outcome"
            options={['success', 'failure', 'refused']}
          />
          <ExportLink path="/audit-log/export" query={list.query} />
        </>
      }
    />
  );
}
