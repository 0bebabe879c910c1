import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import { validateVulnerability, type Vulnerability } from '../schemas/vulnerability.js';
import { singleRecord } from './single-record.js';

/** The CVE catalog allows fewer per page than the other lists. */
export const vulnerabilitiesPageCap = 8000;

export class VulnerabilitiesResource {
  readonly #http: ApiHttp;
  readonly #base: string;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    this.#http = http;
    this.#base = `${apiBaseUrl}/api/vulnerabilities`;
  }

  /** The tenant's CVE catalog, optionally filtered (e.g. `updatedOn gt 2026-11-01Z`). */
  list(
    options: { filter?: string; batchSize?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<Batch<Vulnerability>, void, undefined> {
    return paginate(this.#http, {
      request: {
        url: withQuery(this.#base, { $filter: options.filter }),
        audience: 'defender',
        apiClass: 'default',
        signal: options.signal,
      },
      mode: { kind: 'skip', pageSize: vulnerabilitiesPageCap },
      validate: validateVulnerability,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  get(cveId: string, signal?: AbortSignal): Promise<Vulnerability> {
    return singleRecord(
      this.#http,
      `${this.#base}/${encodeURIComponent(cveId)}`,
      'default',
      validateVulnerability,
      signal,
    );
  }
}
