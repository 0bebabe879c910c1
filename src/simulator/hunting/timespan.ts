import { parseIsoTicks, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_SECOND, type Ticks } from '../time.js';
import type { TimeWindow } from './kql-evaluator.js';

/** Both hunting APIs look back 30 days unless told otherwise (MDE cannot be told). */
export const DEFAULT_LOOKBACK: Ticks = 30 * TICKS_PER_DAY;

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** `P30D`, `PT12H`, `P1DT6H`, `P2W`; years and months are refused (their length depends on the date). */
export function parseDuration(text: string): Ticks | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T'))
    return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  return (
    Number(weeks ?? 0) * 7 * TICKS_PER_DAY +
    Number(days ?? 0) * TICKS_PER_DAY +
    Number(hours ?? 0) * TICKS_PER_HOUR +
    Number(minutes ?? 0) * 60 * TICKS_PER_SECOND +
    Math.round(Number(seconds ?? 0) * TICKS_PER_SECOND)
  );
}

/**
 * Graph's `Timespan`: `start/end`, `duration/end`, `start/duration`, `duration` (ending now) or a single start
 * time (until now). Undefined when the text is none of those.
 */
export function parseTimespan(text: string, now: Ticks): TimeWindow | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const [first = '', second] = parts.map((part) => part.trim());
  if (second === undefined) {
    const duration = parseDuration(first);
    if (duration !== undefined) return { from: now - duration, to: now };
    const start = parseIsoTicks(first);
    return start === undefined ? undefined : { from: start, to: now };
  }
  const firstDuration = parseDuration(first);
  const secondDuration = parseDuration(second);
  if (firstDuration !== undefined && secondDuration !== undefined) return undefined;
  if (firstDuration !== undefined) {
    const end = parseIsoTicks(second);
    return end === undefined ? undefined : { from: end - firstDuration, to: end };
  }
  const start = parseIsoTicks(first);
  if (start === undefined) return undefined;
  if (secondDuration !== undefined) return { from: start, to: start + secondDuration };
  const end = parseIsoTicks(second);
  return end === undefined || end < start ? undefined : { from: start, to: end };
}
