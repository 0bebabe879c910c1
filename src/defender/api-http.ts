import type { Dispatcher } from 'undici';
import type { ResolvedDefenderConfig } from './config.js';
import {
  ARM_READ_ROLE,
  ArmAuthorizationError,
  DefenderApiError,
  DefenderAuthError,
  DefenderError,
  DefenderErrorCode,
  DefenderPermissionError,
} from './errors.js';
import { readAccessTokenClaims, requiredRolesFromMessage } from './access-token.js';
import { apiErrorBodySchema, type ApiErrorBody } from './schemas/envelopes.js';
import { parseRetryAfter, serviceDidNotAct, type RetryPolicy } from './retry-policy.js';
import type { ApiBudget, ApiClass, CallPriority } from './rate-governor.js';
import type { Audience, TokenProvider } from './token-provider.js';
import type { Transport } from './transport.js';
import { describeNetworkError } from './network-errors.js';

export interface ApiRequest {
  readonly method?: 'GET' | 'POST';
  readonly url: string;
  /** Which token to send; `none` for pre-signed (SAS) URLs, which must never carry our bearer token. */
  readonly audience: Audience | 'none';
  readonly apiClass: ApiClass;
  readonly priority?: CallPriority;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /**
   * The request changes something on the service (a response action): retried only after an answer that proves
   * the service did not act, so one request never makes two actions.
   */
  readonly notRepeatable?: boolean;
  /** The longest the call may wait for the tenant's budget before it is refused as throttled (interactive calls). */
  readonly maxBudgetWaitMs?: number;
}

export interface ApiCallEvent {
  readonly url: string;
  readonly status: number | undefined;
  readonly apiClass: ApiClass;
  readonly ms: number;
  /** How long the call waited for the rate governor before it was sent (not part of `ms`). */
  readonly governorWaitMs: number;
}

/** Statistics one client keeps of its own calls (the benchmark and sync runs report them). */
export interface ApiCallStats {
  calls: number;
  byStatus: Record<string, number>;
  retries: number;
}

/**
 * One HTTP exchange with the Defender or Graph API: rate governor, bearer token, and the mapping of every error
 * answer to a typed error. Retrying is the caller's (through the shared RetryPolicy), because a streamed list
 * page must resume where it broke, which only the pager knows.
 */
export class ApiHttp {
  readonly stats: ApiCallStats = { calls: 0, byStatus: {}, retries: 0 };
  readonly #config: ResolvedDefenderConfig;
  readonly #transport: Transport;
  readonly #tokens: TokenProvider;
  readonly #governor: ApiBudget;
  readonly #retry: RetryPolicy;
  readonly #onCall: ((event: ApiCallEvent) => void) | undefined;
  /** Server clock minus ours, from the last answer's Date header. */
  #clockOffsetMs: number | undefined;

  constructor(deps: {
    config: ResolvedDefenderConfig;
    transport: Transport;
    tokens: TokenProvider;
    governor: ApiBudget;
    retry: RetryPolicy;
    onCall?: ((event: ApiCallEvent) => void) | undefined;
  }) {
    this.#config = deps.config;
    this.#transport = deps.transport;
    this.#tokens = deps.tokens;
    this.#governor = deps.governor;
    this.#retry = deps.retry;
    this.#onCall = deps.onCall;
  }

  get retry(): RetryPolicy {
    return this.#retry;
  }

  /** Sends once and returns a 2xx answer with its body unread; any other answer becomes a typed error. */
  async send(request: ApiRequest): Promise<Dispatcher.ResponseData> {
    let refusedToken: string | undefined;
    for (;;) {
      const token =
        request.audience === 'none'
          ? undefined
          : await this.#tokens.getToken(request.audience, request.signal);
      const queued = Date.now();
      await this.#governor.acquire(request.apiClass, {
        ...(request.priority === undefined ? {} : { priority: request.priority }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        ...(request.maxBudgetWaitMs === undefined ? {} : { maxWaitMs: request.maxBudgetWaitMs }),
      });
      const response = await this.#exchange(request, token, Date.now() - queued);
      if (response.statusCode >= 200 && response.statusCode < 300) return response;
      const text = await response.body.text().catch(() => '');
      // A token can be revoked or expire early: get a fresh one once before calling it an auth failure.
      if (
        response.statusCode === 401 &&
        token !== undefined &&
        request.audience !== 'none' &&
        refusedToken === undefined
      ) {
        refusedToken = token;
        this.#tokens.invalidate(request.audience, token);
        continue;
      }
      const error = this.#errorFor(request, response, text, token);
      // Before the caller hears of it, so its retry (and every other caller of the tenant) waits the pause out.
      if (error.code === DefenderErrorCode.Throttled && error instanceof DefenderApiError)
        await this.#governor.pause(request.apiClass, error.retryAfterMs ?? 1000);
      throw error;
    }
  }

  /** GET/POST with retries, parsed as JSON. For single entities and small answers. */
  async json(request: ApiRequest): Promise<unknown> {
    return this.#retry.run(
      async () => {
        const response = await this.send(request);
        const text = await response.body.text().catch((error: unknown) => {
          throw this.wrapNetworkError(error, request.url);
        });
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          throw new DefenderError(
            DefenderErrorCode.InvalidResponse,
            `${pathOf(request.url)} answered with text that is not JSON.`,
            {
              cause: error,
              status: response.statusCode,
            },
          );
        }
      },
      {
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        onRetry: () => {
          this.noteRetry();
        },
        ...(request.notRepeatable === true ? { retryIf: serviceDidNotAct } : {}),
      },
    );
  }

  noteRetry(): void {
    this.stats.retries++;
  }

  /**
   * The service's current time, from the Date header of its answers. Incremental reads bound their window with
   * it, so a client whose clock is off (or a simulator running on its own clock) still freezes the right window.
   */
  serverNow(): Date | undefined {
    return this.#clockOffsetMs === undefined ? undefined : new Date(Date.now() + this.#clockOffsetMs);
  }

  #noteServerDate(header: string | string[] | undefined, sentAt: number): void {
    const value = Array.isArray(header) ? header[0] : header;
    const serverMs = value === undefined ? Number.NaN : Date.parse(value);
    // The Date header has whole seconds; half the round trip is the best guess of when it was stamped.
    if (!Number.isNaN(serverMs)) this.#clockOffsetMs = serverMs - (sentAt + Date.now()) / 2;
  }

  async #exchange(
    request: ApiRequest,
    token: string | undefined,
    governorWaitMs: number,
  ): Promise<Dispatcher.ResponseData> {
    const started = Date.now();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    let status: number | undefined;
    try {
      const response = await this.#transport.request(request.url, {
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? null : JSON.stringify(request.body),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      status = response.statusCode;
      this.#noteServerDate(response.headers.date, started);
      return response;
    } catch (error) {
      throw this.wrapNetworkError(error, request.url);
    } finally {
      this.stats.calls++;
      const key = String(status ?? 'network-error');
      this.stats.byStatus[key] = (this.stats.byStatus[key] ?? 0) + 1;
      this.#onCall?.({
        url: request.url,
        status,
        apiClass: request.apiClass,
        ms: Date.now() - started,
        governorWaitMs,
      });
    }
  }

  /** A failed connection or a body cut off: a typed error that the retry policy knows to retry (or not). */
  wrapNetworkError(error: unknown, url: string): DefenderError {
    if (error instanceof DefenderError) return error;
    if (error instanceof Error && error.name === 'AbortError') {
      return new DefenderError(DefenderErrorCode.Aborted, 'The Defender request was cancelled.', {
        cause: error,
      });
    }
    const problem = describeNetworkError(error, url);
    if (problem !== undefined) return new DefenderError(problem.code, problem.message, { cause: error });
    return new DefenderError(
      DefenderErrorCode.NetworkError,
      `The connection to ${originOf(url)} broke: ${error instanceof Error ? error.message : 'unknown error'}.`,
      { cause: error },
    );
  }

  #errorFor(
    request: ApiRequest,
    response: Dispatcher.ResponseData,
    text: string,
    token: string | undefined,
  ): DefenderError {
    const status = response.statusCode;
    const body = parseApiError(text);
    const apiMessage = body?.error.message ?? '';
    const requestId = body?.error.innerError?.['request-id'] ?? body?.error.target ?? undefined;
    const where = `${request.method ?? 'GET'} ${pathOf(request.url)}`;
    const common = {
      status,
      ...(body === undefined ? {} : { apiCode: body.error.code, apiMessage }),
      ...(requestId == null ? {} : { requestId }),
    };

    if (status === 429 || status === 503) {
      const retryAfterMs = parseRetryAfter(response.headers);
      return new DefenderApiError(
        status === 429 ? DefenderErrorCode.Throttled : DefenderErrorCode.ServerError,
        `${where} was ${status === 429 ? 'throttled' : 'unavailable'} (HTTP ${status})${apiMessage === '' ? '' : `: ${apiMessage}`}`,
        { ...common, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
      );
    }
    if (request.audience === 'none' && (status === 403 || status === 404)) {
      // Export file links are pre-signed (SAS): a refusal means the signature expired or the blob was rotated.
      return new DefenderApiError(
        DefenderErrorCode.ExportExpired,
        `The export file link is no longer valid (HTTP ${status}); a fresh export is requested.`,
        common,
      );
    }
    if (status >= 500) {
      return new DefenderApiError(
        DefenderErrorCode.ServerError,
        `${where} failed on Microsoft's side (HTTP ${status}); it is retried.`,
        common,
      );
    }
    if (status === 401) {
      return new DefenderAuthError(
        DefenderErrorCode.TokenRejected,
        `${where}: the API refused a fresh access token (HTTP 401${apiMessage === '' ? '' : `: ${apiMessage}`}). Check that the API base URL and the token audience belong to the same cloud.`,
        { status },
      );
    }
    if (status === 403) return this.#permissionError(request, where, apiMessage, token, common.status);
    if (status === 404) {
      // A Defender 404 has the documented error body; anything else came from a host that is not Defender.
      if (body === undefined) {
        return new DefenderApiError(
          DefenderErrorCode.WrongHost,
          `${originOf(request.url)} answered ${where} with a 404 that did not come from the Defender API. Check the API base URL (e.g. https://api.security.microsoft.com or a regional host such as https://eu.api.security.microsoft.com).`,
          common,
        );
      }
      return new DefenderApiError(
        DefenderErrorCode.NotFound,
        `${where}: ${apiMessage || 'not found'}.`,
        common,
      );
    }
    return new DefenderApiError(
      DefenderErrorCode.BadRequest,
      `${where} was refused (HTTP ${status}${body === undefined ? '' : ` ${body.error.code}`}): ${apiMessage || text.slice(0, 200) || 'no details'}.`,
      common,
    );
  }

  #permissionError(
    request: ApiRequest,
    where: string,
    apiMessage: string,
    token: string | undefined,
    status: number,
  ): DefenderError {
    if (request.audience === 'arm') return this.#armAuthorizationError(request, where, apiMessage, status);
    const required = requiredRolesFromMessage(apiMessage);
    const granted = token === undefined ? [] : [...readAccessTokenClaims(token).roles];
    const api = apiNames[request.audience === 'none' ? 'defender' : request.audience];
    const need =
      required.length === 0
        ? 'a permission it does not have'
        : required.length === 1
          ? required[0]
          : `one of ${required.join(', ')}`;
    return new DefenderPermissionError(
      `${where} needs ${need} (${api}, application permission), but the app's token carries ${granted.length === 0 ? 'no roles' : granted.join(', ')}. ` +
        `Add it under "API permissions" of app ${this.#config.clientId} and grant admin consent.`,
      { status, requiredRoles: required, grantedRoles: granted },
    );
  }

  /** ARM's 403 is Azure RBAC on the subscription, not an app permission: say which role to assign where. */
  #armAuthorizationError(
    request: ApiRequest,
    where: string,
    apiMessage: string,
    status: number,
  ): ArmAuthorizationError {
    const subscriptionId = subscriptionOf(request.url);
    const action = /perform action '([^']+)'/.exec(apiMessage)?.[1];
    const scope = subscriptionId === undefined ? 'the subscription' : `subscription ${subscriptionId}`;
    return new ArmAuthorizationError(
      `${where} was refused by Azure Resource Manager${action === undefined ? '' : ` (${action})`}: app ${this.#config.clientId} ` +
        `needs the ${ARM_READ_ROLE} role on ${scope}. Assign it under the subscription's "Access control (IAM)" ` +
        '(role assignments can take a few minutes to apply).',
      { status, subscriptionId, action },
    );
  }
}

/** The API an app registration lists a permission under ("API permissions"), per token audience. */
export const apiNames: Readonly<Record<Audience, string>> = {
  defender: 'WindowsDefenderATP',
  graph: 'Microsoft Graph',
  xdr: 'Microsoft Threat Protection',
  arm: 'Azure Resource Manager',
};

/** The subscription of an ARM URL (`/subscriptions/{id}/...`), if it names one. */
function subscriptionOf(url: string): string | undefined {
  const path = URL.canParse(url) ? new URL(url).pathname : url;
  const found = /^\/subscriptions\/([^/]+)/i.exec(path);
  return found?.[1] === undefined ? undefined : decodeURIComponent(found[1]);
}

function parseApiError(text: string): ApiErrorBody | undefined {
  if (text === '') return undefined;
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function pathOf(url: string): string {
  return URL.canParse(url) ? new URL(url).pathname : url;
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}
