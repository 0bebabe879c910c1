import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import type { ApiClass } from '../rate-governor.js';
import type { RecordValidator } from '../schemas/record.js';
import type { Audience } from '../token-provider.js';
import { singleRecord } from './single-record.js';

export interface ListOptions {
  /** OData `$filter`, e.g. `healthStatus eq 'Active'` or `lastSeen gt 2026-11-01Z`. */
  readonly filter?: string;
  /** Records per request; at most the list's cap, which is also the default. */
  readonly pageSize?: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export interface ODataCollectionOptions<T> {
  readonly pageCap: number;
  readonly validate: RecordValidator<T>;
  readonly notFoundIsEmpty?: boolean;
  /** The rate budget its calls count against (default: most MDE APIs'). */
  readonly apiClass?: ApiClass;
  /** The token it takes (default: Defender for Endpoint's; the Microsoft 365 Defender API wants its own). */
  readonly audience?: Audience;
}

/**
 * An MDE or Microsoft 365 Defender OData list that gives no next link (machines, the CVE catalog, machine actions,
 * alerts, incidents), paged by `$skip` at its cap, with get-by-id beside it. One class, so every such list pages
 * the same way.
 */
export class ODataCollection<T> {
  readonly #http: ApiHttp;
  readonly #url: string;
  readonly #pageCap: number;
  readonly #validate: RecordValidator<T>;
  readonly #notFoundIsEmpty: boolean;
  readonly #apiClass: ApiClass;
  readonly #audience: Audience;

  constructor(http: ApiHttp, url: string, options: ODataCollectionOptions<T>) {
    this.#http = http;
    this.#url = url;
    this.#pageCap = options.pageCap;
    this.#validate = options.validate;
    this.#notFoundIsEmpty = options.notFoundIsEmpty === true;
    this.#apiClass = options.apiClass ?? 'default';
    this.#audience = options.audience ?? 'defender';
  }

  list(
    options: ListOptions = {},
    query: Record<string, string | undefined> = {},
  ): AsyncGenerator<Batch<T>, void, undefined> {
    return paginate(this.#http, {
      request: {
        url: withQuery(this.#url, { $filter: options.filter, ...query }),
        audience: this.#audience,
        apiClass: this.#apiClass,
        signal: options.signal,
      },
      mode: { kind: 'skip', pageSize: Math.min(options.pageSize ?? this.#pageCap, this.#pageCap) },
      validate: this.#validate,
      notFoundIsEmpty: this.#notFoundIsEmpty,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }

  get(id: string, signal?: AbortSignal): Promise<T> {
    return singleRecord(
      this.#http,
      `${this.#url}/${encodeURIComponent(id)}`,
      this.#apiClass,
      this.#validate,
      signal,
      this.#audience,
    );
  }
}
