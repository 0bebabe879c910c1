import type { Action } from '../api-types.js';
import { Badge } from './badge.js';
import type { Column } from './data-table.js';
import { formatTime, text } from '../format.js';

/** Response actions as the Actions page and an endpoint's Actions tab list them. */
export const actionColumns: readonly Column<Action>[] = [
  { id: 'type', header: 'Type', cell: (a) => `${a.type}${a.scope === null ? '' : ` (${a.scope})`}` },
  { id: 'status', header: 'State', cell: (a) => <Badge value={a.status} /> },
  { id: 'by', header: 'Requested by', cell: (a) => text(a.requestedBy ?? a.requestor) },
  { id: 'comment', header: 'Comment', cell: (a) => text(a.requestorComment) },
  { id: 'created', header: 'Requested', cell: (a) => formatTime(a.createdAt) },
  { id: 'updated', header: 'Updated', cell: (a) => formatTime(a.lastUpdateAt) },
];
