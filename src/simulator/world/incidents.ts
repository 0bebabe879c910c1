import type { AlertState, AlertStatus } from './alerts.js';
import type { MdeSeverity } from './alert-templates.js';
import type { Ticks } from '../time.js';

/** An incident as of one epoch: the alerts it groups and what follows from them. */
export interface IncidentState {
  readonly id: number;
  readonly alerts: readonly AlertState[];
  readonly created: Ticks;
  readonly lastUpdate: Ticks;
  readonly status: 'active' | 'inProgress' | 'resolved';
  readonly severity: MdeSeverity;
  readonly displayName: string;
  readonly first: AlertState;
}

const SEVERITY_ORDER: readonly MdeSeverity[] = ['Informational', 'Low', 'Medium', 'High'];

/** Groups alerts (oldest first) into their incidents, oldest incident first. */
export function groupIncidents(alerts: readonly AlertState[]): IncidentState[] {
  const groups = new Map<number, AlertState[]>();
  for (const alert of alerts) {
    const group = groups.get(alert.incidentId);
    if (group === undefined) groups.set(alert.incidentId, [alert]);
    else group.push(alert);
  }
  const incidents: IncidentState[] = [];
  for (const [id, members] of groups) {
    const first = members[0];
    if (first === undefined) continue;
    const statuses = new Set<AlertStatus>(members.map((a) => a.status));
    const severity = members.reduce<MdeSeverity>(
      (worst, a) => (SEVERITY_ORDER.indexOf(a.severity) > SEVERITY_ORDER.indexOf(worst) ? a.severity : worst),
      'Informational',
    );
    const machines = new Set(members.map((a) => a.machine.index)).size;
    const categories = [...new Set(members.map((a) => a.template.category))].slice(0, 2).join(' & ');
    incidents.push({
      id,
      alerts: members,
      created: Math.min(...members.map((a) => a.created)),
      lastUpdate: Math.max(...members.map((a) => a.lastUpdate)),
      status:
        statuses.size === 1 && statuses.has('Resolved')
          ? 'resolved'
          : statuses.has('InProgress')
            ? 'inProgress'
            : 'active',
      severity,
      displayName:
        members.length === 1
          ? `${first.template.title} on one endpoint`
          : `Multi-stage incident involving ${categories} on ${machines === 1 ? 'one endpoint' : 'multiple endpoints'}`,
      first,
    });
  }
  return incidents;
}
