import type { Dispatcher } from 'undici';
import type { ApiHttp, ApiRequest } from './api-http.js';
import { abortableSleep } from './abortable-sleep.js';
import { DefenderApiError, DefenderError, DefenderErrorCode } from './errors.js';
import { parseODataCollection } from './json-stream.js';
import type { RecordValidator, RejectedRecord } from './schemas/record.js';

/** A slice of a list: accepted records and the ones refused, with why. */
export interface Batch<T> {
  readonly items: T[];
  readonly rejected: RejectedRecord[];
  /** 1-based number of the page this batch came from. */
  readonly page: number;
}

/**
 * How a list pages. `nextLink`: follow `@odata.nextLink` (the export APIs, Graph) or ARM's plain `nextLink`
 * (Defender for Cloud). `skip`: step `$skip` by a
 * fixed `$top` until a short page, for lists that give no next link (machines, the CVE catalog). A next link
 * in skip mode is ignored on purpose: the machines link has been seen to loop and garble its own query.
 */
export type PagingMode = { readonly kind: 'nextLink' } | { readonly kind: 'skip'; readonly pageSize: number };

export interface PaginateOptions<T> {
  readonly request: Omit<ApiRequest, 'url'> & { readonly url: string };
  readonly mode: PagingMode;
  readonly validate: RecordValidator<T>;
  /** Records per yielded batch, so a 200,000-record page never sits in memory at once. */
  readonly batchSize?: number;
  /** `GET /api/machines` answers 404 rather than an empty list when a tenant has no machines. */
  readonly notFoundIsEmpty?: boolean;
}

/**
 * The one paging helper: yields validated batches of any Defender or Graph list, streaming each page. A page
 * that fails part-way (a reset, a 5xx) is requested again under the shared retry policy, and the records it had
 * already yielded are skipped, so every record arrives exactly once.
 */
export async function* paginate<T>(
  http: ApiHttp,
  options: PaginateOptions<T>,
): AsyncGenerator<Batch<T>, void, undefined> {
  yield* paginateUpTo(http, options, Number.POSITIVE_INFINITY);
}

/**
 * `paginate`, reading `maxPages` pages at most (a Graph list's `$skip` cap); returns whether the list goes on past
 * them, a next link left unfollowed.
 */
export async function* paginateUpTo<T>(
  http: ApiHttp,
  options: PaginateOptions<T>,
  maxPages: number,
): AsyncGenerator<Batch<T>, boolean, undefined> {
  const { mode, validate } = options;
  const batchSize = options.batchSize ?? 1000;
  const signal = options.request.signal;
  let url: string | undefined =
    mode.kind === 'skip'
      ? withQuery(options.request.url, { $top: mode.pageSize, $skip: 0 })
      : options.request.url;
  const seen = new Set<string>();

  for (let page = 1; url !== undefined; page++) {
    let delivered = 0;
    let received: number;
    let envelope: Record<string, unknown>;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let response: Dispatcher.ResponseData | undefined;
      try {
        received = 0;
        let items: T[] = [];
        let rejected: RejectedRecord[] = [];
        response = await sendPage(http, { ...options.request, url }, options.notFoundIsEmpty === true);
        if (response === undefined) return false;
        const records = parseODataCollection(response.body);
        for (;;) {
          const next = await records.next();
          if (next.done === true) {
            envelope = next.value;
            break;
          }
          received++;
          if (received <= delivered) continue;
          const result = validate(next.value);
          if (result.ok) items.push(result.value);
          else rejected.push(result.rejected);
          if (items.length + rejected.length >= batchSize) {
            delivered = received;
            yield { items, rejected, page };
            items = [];
            rejected = [];
          }
        }
        if (items.length + rejected.length > 0) {
          delivered = received;
          yield { items, rejected, page };
        }
        break;
      } catch (error) {
        const wrapped = http.wrapNetworkError(error, url);
        const decision = http.retry.decide(wrapped, attempt, Date.now() - started);
        if (!decision.retry) throw http.retry.exhausted(wrapped, attempt, Date.now() - started);
        http.noteRetry();
        await abortableSleep(decision.delayMs, signal);
      } finally {
        // Frees the connection when the page broke or the caller stopped reading early.
        response?.body.destroy();
      }
    }
    seen.add(url);
    url = nextPageUrl(mode, url, received, envelope, options.request.url);
    if (url !== undefined && page >= maxPages) return true;
    if (url !== undefined && seen.has(url)) {
      throw new DefenderError(
        DefenderErrorCode.InvalidResponse,
        `The list's next page points back to a page already read (${pathAndQuery(url)}); stopping instead of looping.`,
      );
    }
  }
  return false;
}

async function sendPage(
  http: ApiHttp,
  request: ApiRequest,
  notFoundIsEmpty: boolean,
): Promise<Dispatcher.ResponseData | undefined> {
  try {
    return await http.send(request);
  } catch (error) {
    if (notFoundIsEmpty && error instanceof DefenderApiError && error.code === DefenderErrorCode.NotFound)
      return undefined;
    throw error;
  }
}

function nextPageUrl(
  mode: PagingMode,
  current: string,
  received: number,
  envelope: Record<string, unknown>,
  first: string,
): string | undefined {
  if (mode.kind === 'skip') {
    if (received < mode.pageSize) return undefined;
    const skip = Number(new URL(current).searchParams.get('$skip') ?? '0') + mode.pageSize;
    return withQuery(first, { $top: mode.pageSize, $skip: skip });
  }
  // OData lists name it `@odata.nextLink`; Azure Resource Manager lists name it `nextLink` (with `$skipToken`).
  const next = envelope['@odata.nextLink'] ?? envelope.nextLink;
  if (typeof next !== 'string' || next === '') return undefined;
  const resolved = new URL(next, current);
  // The bearer token follows the link: never hand it to another host.
  if (resolved.origin !== new URL(current).origin) {
    throw new DefenderError(
      DefenderErrorCode.InvalidResponse,
      `The list's next page is on another host (${resolved.origin}); refusing to send the access token there.`,
    );
  }
  return resolved.href;
}

/** Sets OData query options, keeping `$` unescaped as Microsoft's own samples do. */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const u = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) u.searchParams.delete(key);
    else u.searchParams.set(key, String(value));
  }
  return u.href.replace(/%24/g, '$');
}

function pathAndQuery(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
