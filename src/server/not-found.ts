import { HubError } from '../errors.js';

/** A row the caller named does not exist; `code` says which kind (ENDPOINT_NOT_FOUND, …). */
export class NotFoundError extends HubError {}

/** The value, or a 404 naming what was missing. */
export function found<T>(value: T | undefined, code: `${string}_NOT_FOUND`, message: string): T {
  if (value === undefined) throw new NotFoundError(code, message);
  return value;
}
