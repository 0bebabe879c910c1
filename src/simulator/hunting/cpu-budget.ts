/**
 * Advanced hunting's CPU quota, simulated as table rows scanned per tenant in a sliding minute. The service
 * checks the quota before a query runs and charges it afterwards, so one large query can overdraw it and the
 * next call is refused until enough of the window has passed.
 */
export class CpuBudget {
  static readonly DEFAULT_ROWS_PER_MINUTE = 20_000_000;
  static readonly WINDOW_MS = 60_000;

  #rowsPerMinute = CpuBudget.DEFAULT_ROWS_PER_MINUTE;
  #spent: { at: number; rows: number }[] = [];

  get rowsPerMinute(): number {
    return this.#rowsPerMinute;
  }

  configure(rowsPerMinute: number | null): void {
    this.#rowsPerMinute = rowsPerMinute ?? CpuBudget.DEFAULT_ROWS_PER_MINUTE;
    this.#spent = [];
  }

  used(nowMs: number): number {
    this.#prune(nowMs);
    return this.#spent.reduce((sum, entry) => sum + entry.rows, 0);
  }

  /** Seconds until the window is back under the quota, or 0 when a query may run now. */
  waitSeconds(nowMs: number): number {
    let used = this.used(nowMs);
    if (used < this.#rowsPerMinute) return 0;
    for (const entry of this.#spent) {
      used -= entry.rows;
      if (used < this.#rowsPerMinute)
        return Math.max(1, Math.ceil((entry.at + CpuBudget.WINDOW_MS - nowMs) / 1000));
    }
    return 1;
  }

  charge(rows: number, nowMs: number): void {
    if (rows > 0) this.#spent.push({ at: nowMs, rows });
  }

  #prune(nowMs: number): void {
    this.#spent = this.#spent.filter((entry) => entry.at > nowMs - CpuBudget.WINDOW_MS);
  }
}
