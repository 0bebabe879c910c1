import type { Alert } from '../api-types.js';
import { Badge } from './badge.js';
import type { Column } from './data-table.js';
import { PortalLink } from './portal-link.js';
import { formatTime, text } from '../format.js';

/** Alerts as the Activity page, the dashboard and an endpoint's Alerts tab list them. */
export const alertColumns: readonly Column<Alert>[] = [
  { id: 'title', header: 'Title', cell: (a) => <PortalLink href={a.portalUrl}>{text(a.title)}</PortalLink> },
  { id: 'severity', header: 'Severity', cell: (a) => <Badge value={a.severity} /> },
  { id: 'status', header: 'Status', cell: (a) => text(a.status) },
  { id: 'category', header: 'Category', cell: (a) => text(a.category) },
  { id: 'created', header: 'Created', cell: (a) => formatTime(a.createdAt) },
];
