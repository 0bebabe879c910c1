import { abortableSleep } from './abortable-sleep.js';
import { DefenderApiError, DefenderError, DefenderErrorCode } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** No retry starts once this much time has passed since the first attempt. */
  readonly maxElapsedMs: number;
  /** First exponential back-off step; doubled per attempt, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryOptions: RetryOptions = Object.freeze({
  maxAttempts: 8,
  maxElapsedMs: 5 * 60_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
});

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

/** Node and undici error codes of a connection that broke or never came up: worth another try. */
const transientNetworkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'Z_BUF_ERROR',
  'Z_DATA_ERROR',
]);

export function isTransientNetworkError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && transientNetworkCodes.has(code)) return true;
  }
  return false;
}

/**
 * The one retry policy of the client. 429 and 503 wait what `Retry-After` says; other 5xx answers and broken
 * connections back off exponentially with full jitter; attempts and total time are capped. A wait longer than
 * the time left is not started: the caller gets the error at once instead of a retry that cannot happen.
 */
export class RetryPolicy {
  readonly #options: RetryOptions;
  readonly #random: () => number;

  constructor(options: Partial<RetryOptions> = {}, random: () => number = Math.random) {
    this.#options = Object.freeze({ ...defaultRetryOptions, ...options });
    this.#random = random;
  }

  get options(): RetryOptions {
    return this.#options;
  }

  /** `attempt` counts from 1 (the attempt that just failed); `elapsedMs` since the first attempt started. */
  decide(error: unknown, attempt: number, elapsedMs: number): RetryDecision {
    if (attempt >= this.#options.maxAttempts) return { retry: false };
    const delayMs = this.#delayFor(error, attempt);
    if (delayMs === undefined) return { retry: false };
    if (elapsedMs + delayMs > this.#options.maxElapsedMs) return { retry: false };
    return { retry: true, delayMs };
  }

  /**
   * Runs `operation` until it succeeds or the policy gives up. `onRetry` sees every decision (for logs and
   * progress). Exhausted throttling becomes a `DEFENDER_THROTTLED` error that names how long was waited.
   */
  async run<T>(
    operation: (attempt: number) => Promise<T>,
    options: {
      signal?: AbortSignal;
      onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
      /** Narrows what may be retried, e.g. {@link serviceDidNotAct} for a request that must not run twice. */
      retryIf?: (error: unknown) => boolean;
    } = {},
  ): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation(attempt);
      } catch (error) {
        const decision =
          options.retryIf === undefined || options.retryIf(error)
            ? this.decide(error, attempt, Date.now() - started)
            : ({ retry: false } as const);
        if (!decision.retry) throw this.exhausted(error, attempt, Date.now() - started);
        options.onRetry?.(error, attempt, decision.delayMs);
        await abortableSleep(decision.delayMs, options.signal);
      }
    }
  }

  /** The error to surface once retries are over: throttling gets its own code, the rest passes through. */
  exhausted(error: unknown, attempts: number, elapsedMs: number): unknown {
    if (!(error instanceof DefenderApiError) || error.code !== DefenderErrorCode.Throttled) return error;
    return new DefenderError(
      DefenderErrorCode.Throttled,
      `Defender kept answering "too many requests" after ${attempts} attempts over ${Math.round(elapsedMs / 1000)} s. ` +
        "Another application may share this app registration's quota; lower the sync frequency or wait and run again.",
      { cause: error, status: error.status, details: { attempts, elapsedMs } },
    );
  }

  #delayFor(error: unknown, attempt: number): number | undefined {
    if (error instanceof DefenderApiError) {
      if (error.retryAfterMs !== undefined && (error.status === 429 || error.status === 503))
        return error.retryAfterMs;
      if (error.status === 429 || (error.status !== undefined && error.status >= 500))
        return this.#backoff(attempt);
      return undefined;
    }
    if (error instanceof DefenderError) {
      // An unreachable host is retried too: connection refusals and DNS failures are often a passing outage.
      const transient =
        error.code === DefenderErrorCode.NetworkError || error.code === DefenderErrorCode.HostUnreachable;
      return transient ? this.#backoff(attempt) : undefined;
    }
    return isTransientNetworkError(error) ? this.#backoff(attempt) : undefined;
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** (attempt - 1));
    // Equal jitter: never less than half the step, so a storm of failures cannot turn into a busy loop.
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }
}

/**
 * Whether a failed request provably did nothing on the service: throttled (429) or refused as unavailable (503)
 * before it was handled, or a connection that never opened. A 500 or a connection that broke after the request
 * went out may follow a change the service already made, so a request that creates something is not repeated.
 */
export function serviceDidNotAct(error: unknown): boolean {
  if (error instanceof DefenderApiError) return error.status === 429 || error.status === 503;
  return error instanceof DefenderError && error.code === DefenderErrorCode.HostUnreachable;
}

/**
 * Reads a server's wait hint: `retry-after-ms` / `x-ms-retry-after-ms` (Azure) first, then `Retry-After` in
 * seconds or as an HTTP date (a date in the past means "now").
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now = Date.now(),
): number | undefined {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(first(name));
    if (first(name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = first('retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
