/**
 * Base class of every error defender-hub raises on purpose. `code` is stable (tests, API responses, CLI exit
 * lines and the UI map from it); `message` tells a person what to do next; `cause` keeps the original error.
 */
export class HubError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details === undefined ? undefined : Object.freeze({ ...options.details });
  }
}

/** Bad input from a caller: a flag, a config value, a request body. */
export class InputError extends HubError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('INVALID_INPUT', message, options);
  }
}
