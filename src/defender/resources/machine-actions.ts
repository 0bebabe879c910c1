import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import { validateMachineAction, type MachineAction } from '../schemas/machine-action.js';
import { singleRecord } from './single-record.js';

export class MachineActionsResource {
  readonly #http: ApiHttp;
  readonly #base: string;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    this.#http = http;
    this.#base = `${apiBaseUrl}/api/machineactions`;
  }

  /** The tenant's machine actions, including those made in the Defender portal. */
  list(
    options: { filter?: string; batchSize?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<Batch<MachineAction>, void, undefined> {
    return paginate(this.#http, {
      request: {
        url: withQuery(this.#base, { $filter: options.filter }),
        audience: 'defender',
        apiClass: 'default',
        signal: options.signal,
      },
      mode: { kind: 'skip', pageSize: 10_000 },
      validate: validateMachineAction,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  /** One machine action by id. */
  get(id: string, options: { signal?: AbortSignal } = {}): Promise<MachineAction> {
    return singleRecord(
      this.#http,
      `${this.#base}/${encodeURIComponent(id)}`,
      'default',
      validateMachineAction,
      options.signal,
    );
  }
}
