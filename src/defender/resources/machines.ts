import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import { validateMachine, type Machine } from '../schemas/machine.js';
import { singleRecord } from './single-record.js';

/** Microsoft's cap on `$top` for `GET /api/machines`. */
export const machinesPageCap = 10_000;

export interface ListMachinesOptions {
  /** OData `$filter`, e.g. `healthStatus eq 'Active'` or `lastSeen gt 2026-11-01Z`. */
  readonly filter?: string;
  readonly pageSize?: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export class MachinesResource {
  readonly #http: ApiHttp;
  readonly #base: string;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    this.#http = http;
    this.#base = `${apiBaseUrl}/api/machines`;
  }

  /** Every machine, paged by `$skip` at the cap; a tenant without machines yields nothing. */
  list(options: ListMachinesOptions = {}): AsyncGenerator<Batch<Machine>, void, undefined> {
    return paginate(this.#http, {
      request: {
        url: withQuery(this.#base, { $filter: options.filter }),
        audience: 'defender',
        apiClass: 'default',
        signal: options.signal,
      },
      mode: { kind: 'skip', pageSize: Math.min(options.pageSize ?? machinesPageCap, machinesPageCap) },
      validate: validateMachine,
      notFoundIsEmpty: true,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  /** One machine by its Defender id (or computer name). */
  get(id: string, signal?: AbortSignal): Promise<Machine> {
    return singleRecord(
      this.#http,
      `${this.#base}/${encodeURIComponent(id)}`,
      'default',
      validateMachine,
      signal,
    );
  }
}
