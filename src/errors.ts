export interface HubErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/**
 * Base class of every error defender-hub raises on purpose. `code` is stable (tests, API responses, CLI exit
 * lines and the UI map from it); `message` tells a person what to do next; `cause` keeps the original error.
 * `httpStatus` is the answer the API gives when the error reaches it, carried by the error itself as Azure's
 * `RestError` carries `statusCode`: 500, the hub's own failure, unless a subclass says the caller is at fault.
 */
export class HubError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: HubErrorOptions & { httpStatus?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = options.httpStatus ?? 500;
    this.details = options.details === undefined ? undefined : Object.freeze({ ...options.details });
  }
}

/** Input the caller must change, under a code of its own (SYNC_UNKNOWN_DATASET, …); else an InputError. */
export class InvalidInputError extends HubError {
  constructor(code: string, message: string, options: HubErrorOptions = {}) {
    super(code, message, { ...options, httpStatus: 400 });
  }
}

/** Bad input from a caller: a flag, a config value, a request body. */
export class InputError extends InvalidInputError {
  constructor(message: string, options: HubErrorOptions = {}) {
    super('INVALID_INPUT', message, options);
  }
}

export type NotFoundCode = `${string}_NOT_FOUND`;

/** Something the caller named does not exist; `code` says what kind of thing (ENDPOINT_NOT_FOUND, …). */
export class NotFoundError extends HubError {
  declare readonly code: NotFoundCode;

  constructor(code: NotFoundCode, message: string, options: HubErrorOptions = {}) {
    super(code, message, { ...options, httpStatus: 404 });
  }
}

/** The request clashes with the current state, whoever asks: a name taken, a run under way, the only admin. */
export class ConflictError extends HubError {
  constructor(code: string, message: string, options: HubErrorOptions = {}) {
    super(code, message, { ...options, httpStatus: 409 });
  }
}

/** The value, or a NotFoundError with the code and message given. */
export function found<T>(value: T | undefined, code: NotFoundCode, message: string): T {
  if (value === undefined) throw new NotFoundError(code, message);
  return value;
}

/** Whether the error says the thing of this code does not exist, e.g. an integration deleted meanwhile. */
export function isNotFound(error: unknown, code: NotFoundCode): error is NotFoundError {
  return error instanceof NotFoundError && error.code === code;
}
