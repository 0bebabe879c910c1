import { InputError } from '../errors.js';

function isIssue(value: unknown): value is { path: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { path?: unknown }).path === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * The service's input error in the terms a person typed: "clientId must be a GUID." becomes "--client-id must
 * be a GUID.", and an issue of a list's item (`subscriptions.1`, `filters.tags.0`) is its flag's. `flagOf` maps
 * a field's path (`clientId`, `filters.tags`) to its flag; the longest path that names the issue's field wins.
 */
export function inFlagTerms(error: InputError, flagOf: Readonly<Record<string, string>>): InputError {
  const issues = error.details?.issues;
  if (!Array.isArray(issues) || !issues.every(isIssue)) return error;
  const fields = Object.keys(flagOf).sort((a, b) => b.length - a.length);
  const message = issues
    .map(({ path, message }) => {
      const field = fields.find((f) => path === f || path.startsWith(`${f}.`));
      const flag = field === undefined ? undefined : flagOf[field];
      if (field === undefined || flag === undefined) return message;
      return message.startsWith(field) ? `${flag}${message.slice(field.length)}` : `${flag}: ${message}`;
    })
    .join(' ');
  return new InputError(message, { cause: error });
}
