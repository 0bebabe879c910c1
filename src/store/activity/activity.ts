import type { Connection } from '../db/repository.js';
import type { PageRequest } from '../db/list-queries.js';
import type { CursorsRepository } from '../runs/cursors-repository.js';
import { ActivityRepository } from './activity-repository.js';
import {
  getAlert,
  getIncident,
  listAlerts,
  listIncidents,
  type ActivityFilter,
  type AlertFilter,
} from './activity-queries.js';

/** Alerts: the sync's writes and the alert list and pages. */
export class Alerts extends ActivityRepository<'alerts'> {
  constructor(connection: Connection, cursors: CursorsRepository) {
    super(connection, 'alerts', cursors);
  }

  list(filter: AlertFilter, page: PageRequest) {
    return listAlerts(this.db, filter, page);
  }

  get(alertId: string, integrationId?: string) {
    return getAlert(this.db, alertId, integrationId);
  }
}

/** Incidents: the sync's writes and the incident list and pages. */
export class Incidents extends ActivityRepository<'incidents'> {
  constructor(connection: Connection, cursors: CursorsRepository) {
    super(connection, 'incidents', cursors);
  }

  list(filter: ActivityFilter, page: PageRequest) {
    return listIncidents(this.db, filter, page);
  }

  get(incidentId: string, integrationId?: string) {
    return getIncident(this.db, incidentId, integrationId);
  }
}
