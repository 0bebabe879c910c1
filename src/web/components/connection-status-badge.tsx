import type { IntegrationStatus } from '../api-types.js';
import { Badge } from './badge.js';

/** An integration's connection status, toned by its state: in the integrations list, its form and the dashboard. */
export function ConnectionStatusBadge({ status }: { status: IntegrationStatus }) {
  return <Badge value={status.label} label="Connection status" toneOf={status.state} />;
}
