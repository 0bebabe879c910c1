import type { z } from 'zod';

/** A record the client could not accept, with why; the run goes on without it. */
export interface RejectedRecord {
  /** The record's id when it had a readable one. */
  readonly id: string | undefined;
  readonly reason: string;
}

export type RecordResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejected: RejectedRecord };

export type RecordValidator<T> = (raw: unknown) => RecordResult<T>;

/**
 * Export files come with PascalCase keys (`CveId`, `OSPlatform`) and the JSON API with camelCase; normalise
 * the top level to camelCase so one schema reads both. A leading run of capitals is one word: OSPlatform → osPlatform.
 */
export function camelCaseKeys(record: Record<string, unknown>): Record<string, unknown> {
  // Most records (the whole JSON API) are camelCase already: look before building a copy of each.
  if (!hasUpperCaseKey(record)) return record;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const camel = toCamelCase(key);
    // A record carrying both spellings keeps the camelCase one, the API's own.
    if (camel !== key && Object.hasOwn(record, camel)) continue;
    out[camel] = value;
  }
  return out;
}

/** Without listing the keys: this runs for every record of a multi-million-row export. */
function hasUpperCaseKey(record: Record<string, unknown>): boolean {
  for (const key in record) if (startsUpperCase(key)) return true;
  return false;
}

function startsUpperCase(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 0x41 && first <= 0x5a;
}

function toCamelCase(key: string): string {
  if (!startsUpperCase(key)) return key;
  let upper = 0;
  while (upper < key.length && /[A-Z]/.test(key.charAt(upper))) upper++;
  if (upper === key.length) return key.toLowerCase();
  const lead = upper > 1 ? upper - 1 : 1;
  return key.slice(0, lead).toLowerCase() + key.slice(lead);
}

/** Builds the validator for one record type: normalise keys, check with the schema, explain a refusal. */
export function recordValidator<S extends z.ZodType>(schema: S): RecordValidator<z.output<S>> {
  return (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { ok: false, rejected: { id: undefined, reason: 'the record is not a JSON object' } };
    }
    const record = camelCaseKeys(raw as Record<string, unknown>);
    const result = schema.safeParse(record);
    if (result.success) return { ok: true, value: result.data };
    const reason = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'record'}: ${i.message}`)
      .join('; ');
    const id = record.id;
    return {
      ok: false,
      rejected: { id: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined, reason },
    };
  };
}
