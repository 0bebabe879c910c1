import type { z } from 'zod';
import type { ApiHttp, ApiRequest } from '../api-http.js';
import {
  DefenderApiError,
  DefenderError,
  DefenderErrorCode,
  DefenderPermissionError,
  HuntingQueryError,
  HuntingQuotaError,
} from '../errors.js';
import { graphHuntingResultSchema, mdeHuntingResultSchema, type HuntingColumn } from '../schemas/hunting.js';

export type { HuntingColumn } from '../schemas/hunting.js';

export const GRAPH_HUNTING_ROLE = 'ThreatHunting.Read.All';
export const MDE_HUNTING_ROLE = 'AdvancedQuery.Read.All';

export interface HuntingRunOptions {
  /** Graph's ISO 8601 `Timespan` (`P7D`, `start/end`, ...); the service's default is the last 30 days. */
  readonly timespan?: string;
  readonly signal?: AbortSignal;
  /**
   * Whether a Graph refusal for a missing ThreatHunting.Read.All may fall back to the retiring MDE API
   * (default true). Set false where that API is not permitted.
   */
  readonly fallbackToMde?: boolean;
}

/** One answer, the same shape whichever API gave it; `source` says which. */
export interface HuntingResult {
  readonly schema: readonly HuntingColumn[];
  readonly results: readonly Record<string, unknown>[];
  readonly source: 'graph' | 'mde';
}

const RESULT_SIZE = /exceeded the allowed result size/i;
/** Both APIs answer 429 for the call count and for the CPU quota; only the body tells them apart. */
const CPU_QUOTA = /\bCPU\b|execution time|resource usage/i;

type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly cpu: DefenderApiError };

/**
 * Advanced hunting: Graph `runHuntingQuery`, and the retiring MDE `advancedqueries/run` only when Graph refuses
 * for want of ThreatHunting.Read.All. Both count against the hunting class of the rate governor (45/min).
 */
export class HuntingResource {
  readonly #http: ApiHttp;
  readonly #graphUrl: string;
  readonly #mdeUrl: string;
  readonly #clientId: string;

  constructor(http: ApiHttp, apiBaseUrl: string, graphBaseUrl: string, clientId: string) {
    this.#http = http;
    this.#graphUrl = `${graphBaseUrl}/v1.0/security/runHuntingQuery`;
    this.#mdeUrl = `${apiBaseUrl}/api/advancedqueries/run`;
    this.#clientId = clientId;
  }

  /**
   * Runs one KQL query. Throws `HUNTING_QUERY_INVALID` (the service's message and position kept),
   * `HUNTING_RESULT_TOO_LARGE`, `HUNTING_QUOTA_EXCEEDED` or `DEFENDER_PERMISSION_MISSING`.
   */
  async run(query: string, options: HuntingRunOptions = {}): Promise<HuntingResult> {
    if (query.trim() === '') {
      throw new HuntingQueryError('The hunting query is empty: write KQL such as "DeviceInfo | take 10".', {
        serviceMessage: '',
      });
    }
    try {
      return await this.#graph(query, options);
    } catch (error) {
      if (!(error instanceof DefenderPermissionError) || !lacksGraphRole(error)) throw error;
      if (options.fallbackToMde === false) throw error;
      if (options.timespan !== undefined) throw this.#noTimespanFallback(error);
      return this.#mde(query, options.signal, error);
    }
  }

  async #graph(query: string, options: HuntingRunOptions): Promise<HuntingResult> {
    const body =
      options.timespan === undefined ? { Query: query } : { Query: query, Timespan: options.timespan };
    const request = {
      method: 'POST',
      url: this.#graphUrl,
      audience: 'graph',
      body,
      signal: options.signal,
    } as const;
    const result = await this.#call(request, graphHuntingResultSchema);
    return { ...result, source: 'graph' };
  }

  async #mde(query: string, signal: AbortSignal | undefined, graphRefusal: DefenderPermissionError) {
    const request = {
      method: 'POST',
      url: this.#mdeUrl,
      audience: 'defender',
      body: { Query: query },
      signal,
    } as const;
    try {
      const result = await this.#call(request, mdeHuntingResultSchema);
      return { ...result, source: 'mde' } satisfies HuntingResult;
    } catch (error) {
      if (error instanceof DefenderPermissionError) throw this.#neitherRole(graphRefusal, error);
      throw error;
    }
  }

  /** One POST with the shared retry policy; a CPU-quota 429 is not retried (that quota refills slowly). */
  async #call<T>(request: Omit<ApiRequest, 'apiClass'>, schema: z.ZodType<T>): Promise<T> {
    // A query is someone waiting at a screen: past what the retry policy would wait, the budget refuses it at once.
    const full: ApiRequest = {
      ...request,
      apiClass: 'hunting',
      maxBudgetWaitMs: this.#http.retry.options.maxElapsedMs,
    };
    let outcome: Outcome<unknown>;
    try {
      outcome = await this.#http.retry.run(() => this.#attempt(full), {
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        onRetry: () => {
          this.#http.noteRetry();
        },
      });
    } catch (error) {
      throw huntingError(error);
    }
    if (!outcome.ok) throw cpuQuotaError(outcome.cpu);
    const parsed = schema.safeParse(outcome.value);
    if (!parsed.success) {
      throw new DefenderError(
        DefenderErrorCode.InvalidResponse,
        `${new URL(full.url).pathname} answered with a hunting result the client cannot read: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}.`,
      );
    }
    return parsed.data;
  }

  async #attempt(request: ApiRequest): Promise<Outcome<unknown>> {
    try {
      const response = await this.#http.send(request);
      const text = await response.body.text();
      return { ok: true, value: parseJson(text, request.url) };
    } catch (error) {
      if (error instanceof DefenderApiError && error.status === 429 && CPU_QUOTA.test(error.apiMessage ?? ''))
        return { ok: false, cpu: error };
      throw error;
    }
  }

  #noTimespanFallback(graphRefusal: DefenderPermissionError): DefenderPermissionError {
    return new DefenderPermissionError(
      `Advanced hunting with a timespan needs ${GRAPH_HUNTING_ROLE} (Microsoft Graph, application permission): the ` +
        `MDE API it could fall back to takes no timespan. Add ${GRAPH_HUNTING_ROLE} under "API permissions" of app ` +
        `${this.#clientId} and grant admin consent, or leave the timespan out and filter on Timestamp in the query.`,
      {
        status: graphRefusal.status,
        requiredRoles: [GRAPH_HUNTING_ROLE],
        grantedRoles: graphRefusal.grantedRoles,
        cause: graphRefusal,
      },
    );
  }

  #neitherRole(graph: DefenderPermissionError, mde: DefenderPermissionError): DefenderPermissionError {
    const granted = [...new Set([...graph.grantedRoles, ...mde.grantedRoles])];
    return new DefenderPermissionError(
      `Advanced hunting needs ${GRAPH_HUNTING_ROLE} (Microsoft Graph) or, while the retiring MDE API still answers, ` +
        `${MDE_HUNTING_ROLE} (WindowsDefenderATP); the app's tokens carry ${granted.length === 0 ? 'no roles' : granted.join(', ')}. ` +
        `Add ${GRAPH_HUNTING_ROLE} under "API permissions" of app ${this.#clientId} (application permission) and grant admin consent.`,
      {
        status: mde.status,
        requiredRoles: [GRAPH_HUNTING_ROLE, MDE_HUNTING_ROLE],
        grantedRoles: granted,
        cause: mde,
      },
    );
  }
}

/** Graph names the roles it wanted; a refusal that names none is taken as the same missing role. */
function lacksGraphRole(error: DefenderPermissionError): boolean {
  return error.requiredRoles.length === 0 || error.requiredRoles.includes(GRAPH_HUNTING_ROLE);
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DefenderError(
      DefenderErrorCode.InvalidResponse,
      `${new URL(url).pathname} answered with text that is not JSON.`,
      { cause: error },
    );
  }
}

/** The service's wait hint as a sentence, or nothing when it gave none. */
function freesUp(retryAfterMs: number | undefined): string {
  return retryAfterMs === undefined ? '' : ` It frees up in about ${Math.ceil(retryAfterMs / 1000)} s.`;
}

function cpuQuotaError(error: DefenderApiError): HuntingQuotaError {
  return new HuntingQuotaError(
    `Advanced hunting's CPU quota for this tenant is used up (HTTP 429: ${error.apiMessage ?? 'no details'}).${freesUp(error.retryAfterMs)} ` +
      'Wait, then run narrower queries (filter early, summarize or take fewer rows).',
    {
      quota: 'cpu',
      status: error.status,
      cause: error,
      ...(error.apiMessage === undefined ? {} : { apiMessage: error.apiMessage }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    },
  );
}

/** The retry policy's final error, in hunting's own terms where it has them. */
function huntingError(error: unknown): unknown {
  if (error instanceof DefenderError && error.code === DefenderErrorCode.Throttled) {
    // The retry policy gives up when the wait asked for is longer than it may wait; the last 429 says how long.
    const retryAfterMs = error.cause instanceof DefenderApiError ? error.cause.retryAfterMs : undefined;
    return new HuntingQuotaError(
      'Advanced hunting answered "too many requests": the tenant\'s 45 queries a minute (1,500 an hour) are used up.' +
        `${freesUp(retryAfterMs)} Run fewer queries, or wait a minute and run it again.`,
      { quota: 'calls', status: 429, cause: error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    );
  }
  if (!(error instanceof DefenderApiError) || error.status !== 400) return error;
  const serviceMessage = error.apiMessage ?? '';
  const ids = {
    status: 400,
    cause: error,
    ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  };
  if (RESULT_SIZE.test(serviceMessage)) {
    return new DefenderApiError(
      DefenderErrorCode.HuntingResultTooLarge,
      `The hunting query's result is larger than the service returns (100,000 rows or its size cap): ${sentence(serviceMessage)} ` +
        'Add "| take N", "| summarize ..." or narrower "where" filters and run it again.',
      { ...ids, apiMessage: serviceMessage },
    );
  }
  return new HuntingQueryError(
    `The hunting service refused the query: ${sentence(serviceMessage || 'no details')} Fix the query and run it again.`,
    { ...ids, serviceMessage },
  );
}

function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
