import { z } from 'zod';

/**
 * A Defender timestamp as sent, beside its parsed value. The raw string matters: Defender sends up to seven
 * fractional digits and a JS Date keeps three, so a cursor built from the Date would re-read or skip records.
 */
export interface DefenderTimestamp {
  readonly raw: string;
  readonly date: Date;
}

// ISO 8601 with T or a space, any number of fractional digits, Z / offset / no zone (export files: UTC).
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parsed timestamps by their text, in a small direct-mapped table: an export repeats the same few (a device's scan
 * times) across millions of rows. A slot is chosen from the last characters, where timestamps differ; a clash
 * only costs a parse.
 */
const slots: (DefenderTimestamp | undefined)[] = new Array<DefenderTimestamp | undefined>(4096);

function slotOf(raw: string): number {
  let hash = 0;
  for (let i = Math.max(0, raw.length - 12); i < raw.length; i++) hash = (hash * 31 + raw.charCodeAt(i)) | 0;
  return hash & (slots.length - 1);
}

/** The timestamp a Defender string holds; undefined when it holds none. Its Date is shared: never mutate it. */
export function parseDefenderTimestamp(raw: string): DefenderTimestamp | undefined {
  const slot = slotOf(raw);
  const known = slots[slot];
  if (known?.raw === raw) return known;
  const timestamp = parseTimestampText(raw);
  if (timestamp !== undefined) slots[slot] = timestamp;
  return timestamp;
}

/** `count` decimal digits at `from`, or -1 when one is not a digit. */
function digitsAt(raw: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Milliseconds of `.fraction` at `from` (digits past the third ignored), and where it ends; -1 when empty. */
function fractionAt(raw: string, from: number): { readonly ms: number; readonly end: number } {
  let ms = 0;
  let scale = 100;
  let i = from;
  for (; i < raw.length; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    ms += digit * scale;
    scale = Math.floor(scale / 10);
  }
  return { ms: i === from ? -1 : ms, end: i };
}

/**
 * The forms Defender sends, `YYYY-MM-DD HH:MM:SS[.fraction][Z]` (T or a space), read without the pattern: a large
 * export holds millions. Undefined for any other form, which the pattern then reads; null for a date that does
 * not exist (2021-02-30, which Date.UTC would roll over to March).
 */
function commonFormDate(raw: string): Date | null | undefined {
  const separator = raw.charCodeAt(10);
  if (
    raw.length < 19 ||
    raw.charCodeAt(4) !== 45 ||
    raw.charCodeAt(7) !== 45 ||
    raw.charCodeAt(13) !== 58 ||
    raw.charCodeAt(16) !== 58 ||
    (separator !== 84 && separator !== 116 && separator !== 32)
  )
    return undefined;
  const y = digitsAt(raw, 0, 4);
  const mo = digitsAt(raw, 5, 2);
  const d = digitsAt(raw, 8, 2);
  const h = digitsAt(raw, 11, 2);
  const mi = digitsAt(raw, 14, 2);
  const s = digitsAt(raw, 17, 2);
  let end = 19;
  let ms = 0;
  if (raw.charCodeAt(end) === 46) {
    ({ ms, end } = fractionAt(raw, end + 1));
    if (ms < 0) return undefined;
  }
  const zone = raw.charCodeAt(end);
  if (zone === 90 || zone === 122) end++;
  if (end !== raw.length || Math.min(y, mo, d, h, mi, s) < 0) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1 ? date : null;
}

function parseTimestampText(raw: string): DefenderTimestamp | undefined {
  const date = commonFormDate(raw);
  if (date === undefined) return parsePatternText(raw);
  return date === null ? undefined : { raw, date };
}

/** Any other form the pattern allows: offsets, no seconds, a date alone, white space around. */
function parsePatternText(raw: string): DefenderTimestamp | undefined {
  const m = timestampPattern.exec(raw.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  let epoch = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Math.floor(ms),
  );
  const check = new Date(epoch);
  // Date.UTC rolls 2021-02-30 over to March; a real timestamp never needs that.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(epoch) ? undefined : { raw, date: new Date(epoch) };
}

export const timestampSchema = z.string().transform((raw, ctx) => {
  const parsed = parseDefenderTimestamp(raw);
  if (parsed !== undefined) return parsed;
  ctx.addIssue({ code: 'custom', message: `not a timestamp: ${JSON.stringify(raw.slice(0, 40))}` });
  return z.NEVER;
});

/** Optional and nullable, as most Defender timestamps are. */
export const optionalTimestamp = timestampSchema.nullable().optional();
