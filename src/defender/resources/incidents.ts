import type { ApiHttp } from '../api-http.js';
import type { Batch } from '../paging.js';
import { paginateByTimeWindow } from '../time-window-paging.js';
import { validateIncident, type Incident } from '../schemas/incident.js';
import { graphPageCap, graphSkipCap, type ListAlertsOptions } from './alerts.js';

export class IncidentsResource {
  readonly #http: ApiHttp;
  readonly #url: string;

  constructor(http: ApiHttp, graphBaseUrl: string) {
    this.#http = http;
    this.#url = `${graphBaseUrl}/v1.0/security/incidents`;
  }

  /** Graph incidents, oldest update first; `since` is the raw `lastUpdateDateTime` cursor (inclusive). */
  list(options: ListAlertsOptions = {}): AsyncGenerator<Batch<Incident>, void, undefined> {
    return paginateByTimeWindow(this.#http, {
      request: { url: this.#url, audience: 'graph', apiClass: 'graph', signal: options.signal },
      validate: validateIncident,
      field: 'lastUpdateDateTime',
      timestampOf: (i) => i.lastUpdateDateTime,
      idOf: (i) => i.id,
      since: options.since,
      until: options.until,
      pageSize: graphPageCap,
      windowRecords: graphSkipCap - graphPageCap,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }
}
