import type { RunCounters } from './run-counters.js';

/** Largest share of the previous count a run may remove (mark stale, resolve) without `--force`. */
export const removalBound = 0.2;

/** The records of one stored list that a complete run did not see, once it has written what it saw. */
export interface UnseenRecords {
  /** The records, in words, for the run's note: "endpoints (marked stale)". */
  readonly what: string;
  /** How many the run did not see. */
  readonly unseen: number;
  /**
   * How many the removal bound is a share of: the records before the run (endpoints, findings, devices) or, where
   * one query counts both, every record after it (catalogs, cloud lists).
   */
  readonly of: number;
  /** Removes them (deletes, marks stale or resolves); answers how many. */
  remove(): Promise<number>;
}

export interface Reconciled {
  /** Whether the records not seen are gone (or there were none): the stored list is then the run's. */
  readonly removed: boolean;
  /** What was removed, or why nothing was and what would remove it: for the run's completeness text. */
  readonly note: string;
}

/**
 * The clean-up after a complete run: what it did not see is removed within the removal bound (past it only with
 * `--force`, since a list cut short by Defender would otherwise empty the hub), and counted as removed. With
 * nothing unseen the store is not asked: the update would scan millions of findings to change none.
 */
export async function reconcile(
  run: { readonly force: boolean; readonly counters: RunCounters },
  records: UnseenRecords,
): Promise<Reconciled> {
  const { what, unseen, of } = records;
  if (unseen === 0) return { removed: true, note: `no ${what} to remove` };
  if (!run.force && of !== 0 && unseen > of * removalBound)
    return {
      removed: false,
      note: `${unseen} of ${of} ${what} were not seen (more than ${Math.round(removalBound * 100)} %); nothing was removed. If that is right, run again with --force.`,
    };
  run.counters.removed += await records.remove();
  return { removed: true, note: `${unseen} ${what} removed` };
}
