/**
 * Simulated time. Defender sends 7 fractional digits (100 ns "ticks"); a JS Date keeps 3, and cursors compare raw
 * strings, so every instant the simulator emits is a tick count. Ticks are counted from 2010-01-01 so that they
 * stay exact integers in a double (2^53 × 100 ns ≈ 28 years, i.e. good until 2038).
 */
export type Ticks = number;

const TICK_ORIGIN_MS = Date.UTC(2010, 0, 1);
export const TICKS_PER_MS = 10_000;
export const TICKS_PER_SECOND = 1000 * TICKS_PER_MS;
export const TICKS_PER_HOUR = 3600 * TICKS_PER_SECOND;
export const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;

export function ticksFromMs(ms: number): Ticks {
  return (ms - TICK_ORIGIN_MS) * TICKS_PER_MS;
}

export function msFromTicks(ticks: Ticks): number {
  return Math.floor(ticks / TICKS_PER_MS) + TICK_ORIGIN_MS;
}

function isoSeconds(ticks: Ticks): string {
  return new Date(msFromTicks(ticks)).toISOString().slice(0, 19);
}

function fraction7(ticks: Ticks): string {
  return String(((ticks % TICKS_PER_SECOND) + TICKS_PER_SECOND) % TICKS_PER_SECOND).padStart(7, '0');
}

/** `2026-11-20T10:11:12.1234567Z`, the form Defender and Graph use. */
export function iso7(ticks: Ticks): string {
  return `${isoSeconds(ticks)}.${fraction7(ticks)}Z`;
}

/** `2026-11-20T10:11:12Z` (catalog dates, SAS times). */
export function isoSecondsZ(ticks: Ticks): string {
  return `${isoSeconds(ticks)}Z`;
}

/** `2026-11-20 10:11:12`: the zone-less form of the export's first/last seen timestamps. */
export function exportTimestamp(ticks: Ticks): string {
  return isoSeconds(ticks).replace('T', ' ');
}

/** `2026-11-20 10:11:12.1234567`: the delta export's eventTimestamp (current documentation revision). */
export function eventTimestamp(ticks: Ticks): string {
  return `${exportTimestamp(ticks)}.${fraction7(ticks)}`;
}

/** `2026-11-20 10:11:12Z`: Entra's error timestamp. */
export function aadTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses an ISO-8601 date or date-time (`2018-08-01Z`, `2019-11-22T00:00:00Z`, `…00.1234567Z`) to ticks without
 * losing the digits below a millisecond. A missing zone means UTC, as Defender reads unquoted OData dates.
 */
export function parseIsoTicks(text: string): Ticks | undefined {
  const match = ISO_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (Number.isNaN(ms)) return undefined;
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  let offsetMs = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMs = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ticksFromMs(ms - offsetMs) + Number((frac ?? '').padEnd(7, '0'));
}
