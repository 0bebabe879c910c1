import { z } from 'zod';

const day = 24 * 3_600_000;

/** Microsoft's guidance for the delta export: a full export at least weekly, deltas in between. */
export const fullFindingsEveryMs = 7 * day;

/** The delta export reaches back 14 days; a day to spare. */
const deltaReachMs = 13 * day;

/**
 * Where the findings stand. `since` is the service's time when the last run started reading: the next delta
 * starts there (the service selects the 6-hour bucket it falls in and every later one, so nothing between is
 * missed). `readAt` and `fullAt` are the hub's own times of that run and of the last full read: ages are measured
 * on one clock, whatever the service's clock says (a simulator's may stand still between advances).
 */
const findingsCursorSchema = z.object({
  since: z.iso.datetime(),
  readAt: z.iso.datetime(),
  fullAt: z.iso.datetime(),
});
export type FindingsCursor = z.infer<typeof findingsCursorSchema>;

/** The stored cursor, or undefined when there is none or it does not read (then the run reads everything). */
export function parseFindingsCursor(text: string | undefined): FindingsCursor | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = findingsCursorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The changes since the cursor's time, or the full export and why. */
export type FindingsReadPlan =
  | { readonly kind: 'delta'; readonly cursor: FindingsCursor }
  | { readonly kind: 'full'; readonly why: string };

/** The full export when asked for, on the first run, weekly, or when the changes would reach back too far. */
export function planFindingsRead(
  cursor: FindingsCursor | undefined,
  now: Date,
  askedForFull: boolean,
): FindingsReadPlan {
  if (askedForFull) return { kind: 'full', why: 'a full read was asked for' };
  if (cursor === undefined) return { kind: 'full', why: 'no earlier run to read the changes from' };
  if (now.getTime() - Date.parse(cursor.fullAt) >= fullFindingsEveryMs)
    return { kind: 'full', why: 'the weekly full export is due' };
  if (now.getTime() - Date.parse(cursor.readAt) >= deltaReachMs)
    return { kind: 'full', why: 'the last run is older than the 14 days the changes reach back' };
  return { kind: 'delta', cursor };
}
