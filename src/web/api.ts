/**
 * The browser's side of the hub's JSON API: same-origin fetches with the session cookie, the CSRF token on
 * changes, and the API's error body ({code, message}) turned into an `ApiError` the pages show in place.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Whatever was thrown, as an Error to show. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

let csrfToken: string | undefined;

/** Set from the session answer; changes made with the cookie must echo it. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof message === 'string')
      return new ApiError(response.status, typeof code === 'string' ? code : 'ERROR', message);
  } catch {
    // Not JSON: a proxy's page or an empty answer; the status line says what little there is.
  }
  return new ApiError(
    response.status,
    'HTTP_ERROR',
    `The hub answered ${response.status} ${response.statusText}. Reload the page; if it persists, check the hub's log.`,
  );
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ApiError(
      0,
      'NETWORK',
      `The hub could not be reached (${String(cause)}). Check that it is running.`,
    );
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && path !== '/session') window.dispatchEvent(new Event('dh:signed-out'));
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => api<T>('GET', withQuery(path, query));

export interface Health {
  readonly status: 'ok';
  readonly database: 'sqlite' | 'postgres';
  readonly version: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** `/healthz`: which database the hub runs on (outside /api/v1, open to anyone). */
export async function health(): Promise<Health> {
  const response = await fetch('/healthz', { headers: { accept: 'application/json' } });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as Health;
}
