import { inspect } from 'node:util';

/** What a secret looks like wherever it is printed, logged or serialised. */
export const redacted = '[redacted]';

/**
 * A credential in memory. Every way a value usually becomes text (JSON, `util.inspect`, `console.log`, template
 * strings, `String()`) gives `[redacted]`: a config or error object that holds one can be logged whole without
 * leaking it. Only `reveal()` gives the value, at the one place that sends it (the token request).
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return redacted;
  }

  toString(): string {
    return redacted;
  }

  [inspect.custom](): string {
    return redacted;
  }
}
