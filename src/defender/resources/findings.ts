import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import { validateFinding, type Finding } from '../schemas/finding.js';

/** The JSON export's page-size cap (its default is 50,000). */
export const findingsExportPageCap = 200_000;
/** The delta export reaches back at most this far. */
export const deltaMaxAgeMs = 14 * 24 * 3_600_000;

export interface ExportJsonOptions {
  readonly pageSize?: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * Software vulnerabilities per device through the JSON export APIs: the full snapshot and the delta since a
 * time. Both page by next link (`pagesize=…&$skiptoken=…`).
 */
export class FindingsResource {
  readonly #http: ApiHttp;
  readonly #base: string;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    this.#http = http;
    this.#base = `${apiBaseUrl}/api/machines`;
  }

  /** The full snapshot (device × software × version × CVE). */
  exportJson(options: ExportJsonOptions = {}): AsyncGenerator<Batch<Finding>, void, undefined> {
    return this.#list(`${this.#base}/SoftwareVulnerabilitiesByMachine`, {}, options);
  }

  /**
   * What changed since `sinceTime` (raw timestamp; at most 14 days back): New, Fixed and Updated rows.
   * The service selects whole 6-hour buckets, so a run should re-apply rows idempotently.
   */
  changes(
    sinceTime: string,
    options: ExportJsonOptions = {},
  ): AsyncGenerator<Batch<Finding>, void, undefined> {
    return this.#list(`${this.#base}/SoftwareVulnerabilityChangesByMachine`, { sinceTime }, options);
  }

  #list(
    url: string,
    query: Record<string, string>,
    options: ExportJsonOptions,
  ): AsyncGenerator<Batch<Finding>, void, undefined> {
    const pageSize = Math.min(options.pageSize ?? 50_000, findingsExportPageCap);
    return paginate(this.#http, {
      request: {
        url: withQuery(url, { ...query, pageSize }),
        audience: 'defender',
        apiClass: 'jsonExport',
        signal: options.signal,
      },
      mode: { kind: 'nextLink' },
      validate: validateFinding,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }
}
