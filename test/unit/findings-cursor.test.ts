import { describe, expect, it } from 'vitest';
import {
  fullFindingsEveryMs,
  parseFindingsCursor,
  planFindingsRead,
  type FindingsCursor,
} from '../../src/sync/findings-cursor.js';

const day = 24 * 3_600_000;
const now = new Date('2026-12-07T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('findings cursor', () => {
  const cursor: FindingsCursor = {
    since: '2026-12-07T10:00:00.000Z',
    readAt: ago(day),
    fullAt: ago(2 * day),
  };

  it('should read the changes since the last run between weekly full reads', () => {
    expect(planFindingsRead(cursor, now, false)).toEqual({ kind: 'delta', cursor });
    expect(planFindingsRead({ ...cursor, fullAt: ago(fullFindingsEveryMs - 1) }, now, false).kind).toBe(
      'delta',
    );
  });

  it('should read everything when asked, on the first run, weekly, and when the changes reach back too far', () => {
    expect(planFindingsRead(cursor, now, true)).toEqual({ kind: 'full', why: 'a full read was asked for' });
    expect(planFindingsRead(undefined, now, false)).toEqual({
      kind: 'full',
      why: 'no earlier run to read the changes from',
    });
    expect(planFindingsRead({ ...cursor, fullAt: ago(fullFindingsEveryMs) }, now, false)).toEqual({
      kind: 'full',
      why: 'the weekly full export is due',
    });
    // A full read a day ago, but the last run is 13 days old by our clock: the service keeps 14 days of changes.
    expect(planFindingsRead({ ...cursor, readAt: ago(13 * day), fullAt: ago(day) }, now, false)).toEqual({
      kind: 'full',
      why: 'the last run is older than the 14 days the changes reach back',
    });
  });

  it('should take a stored cursor only when it reads whole', () => {
    expect(parseFindingsCursor(JSON.stringify(cursor))).toEqual(cursor);
    expect(parseFindingsCursor(undefined)).toBeUndefined();
    expect(parseFindingsCursor('{')).toBeUndefined();
    expect(parseFindingsCursor(JSON.stringify({ since: cursor.since }))).toBeUndefined();
    expect(parseFindingsCursor(JSON.stringify({ ...cursor, fullAt: 'yesterday' }))).toBeUndefined();
  });
});
