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
 * Parsed timestamps by their text: an export repeats the same few (a device's scan times) across millions of
 * rows, and parsing each one again was a twentieth of a findings run. Bounded: cleared when full.
 */
const parsed = new Map<string, DefenderTimestamp | null>();
const parsedLimit = 8192;

/** The timestamp a Defender string holds; undefined when it holds none. Its Date is shared: never mutate it. */
export function parseDefenderTimestamp(raw: string): DefenderTimestamp | undefined {
  const known = parsed.get(raw);
  if (known !== undefined) return known ?? undefined;
  const timestamp = parseTimestampText(raw);
  if (parsed.size >= parsedLimit) parsed.clear();
  parsed.set(raw, timestamp ?? null);
  return timestamp;
}

function parseTimestampText(raw: string): DefenderTimestamp | undefined {
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
