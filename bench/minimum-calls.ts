/** The fewest Defender API calls a run can make, from the page caps and what it read (`npm run bench:*`). */

/** What the minimum is read from: a run's dataset and its records read (a sync_runs row has both). */
export interface CountedRun {
  readonly dataset: string;
  readonly recordsIn: number;
}

/** Records per page at the page cap, for the datasets whose fewest calls follow from their record count. */
const pageCaps: Readonly<Record<string, number>> = {
  machines: 10_000,
  vulnerabilities: 8000,
  findings: 200_000,
  machineActions: 10_000,
};

/** Graph security lists (alerts, incidents): 1,000 a page, and `$top + $skip` at most 6,000 a time window. */
const graphPage = 1000;
const graphWindow = 6000;

/**
 * Pages of a Graph list of `records`: each window after the first starts at the last timestamp read, so it reads
 * that record again (one at least); a window ends the list when the service gives no next page.
 */
function graphPages(records: number): number {
  let pages = 0;
  for (let left = records, first = true; left > 0; first = false) {
    const fresh = Math.min(left, first ? graphWindow : graphWindow - 1);
    pages += Math.ceil((fresh + (first ? 0 : 1)) / graphPage);
    left -= fresh;
  }
  return pages;
}

/**
 * The fewest calls the page caps allow for what a run read; undefined for the catalogs (software,
 * recommendations), whose calls follow each item's device count, which the run line does not give.
 */
export function minimumCalls(run: CountedRun): number | undefined {
  // Graph lists cost one extra call to learn the service's clock.
  if (run.dataset === 'alerts' || run.dataset === 'incidents')
    return Math.max(1, graphPages(run.recordsIn)) + 1;
  const per = pageCaps[run.dataset];
  if (per === undefined) return undefined;
  // The export ends with its last full page; the other lists with a short (or empty) one.
  const pages =
    Math.floor(run.recordsIn / per) + (run.dataset === 'findings' && run.recordsIn % per === 0 ? 0 : 1);
  return Math.max(1, pages);
}
