import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
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
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>, cursors: CursorsRepository) {
    super(db, 'alerts', cursors);
    this.#db = db;
  }

  list(filter: AlertFilter, page: PageRequest) {
    return listAlerts(this.#db, filter, page);
  }

  get(alertId: string, integrationId?: string) {
    return getAlert(this.#db, alertId, integrationId);
  }
}

/** Incidents: the sync's writes and the incident list and pages. */
export class Incidents extends ActivityRepository<'incidents'> {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>, cursors: CursorsRepository) {
    super(db, 'incidents', cursors);
    this.#db = db;
  }

  list(filter: ActivityFilter, page: PageRequest) {
    return listIncidents(this.#db, filter, page);
  }

  get(incidentId: string, integrationId?: string) {
    return getIncident(this.#db, incidentId, integrationId);
  }
}
