import {
  allowedCalls,
  limitsOf,
  governorOptions,
  longestWindowMs,
  Turns,
  untilFreed,
  type AcquireOptions,
  type ApiBudget,
  type ApiClass,
  type CallPriority,
  type RateGovernorOptions,
  type WindowUsage,
} from './rate-governor.js';
import type { ApiCallDecision, ApiCallRequest } from '../domain/api-call-budget.js';

/** A call asking the ledger to start, in one of the governor's classes. */
export type LedgerCall = ApiCallRequest & { readonly apiClass: ApiClass };

/**
 * Where every process records the calls it starts, so they count against one budget. `start` must decide and
 * record as one step for all processes together, or two of them could both take the last call of a window.
 */
export interface CallLedger {
  start(call: LedgerCall): Promise<ApiCallDecision>;
  /** No call of the budget's class starts before `untilMs` (a later pause already recorded stands). */
  pause(budget: string, apiClass: ApiClass, untilMs: number): Promise<void>;
  /** Calls started in each of the trailing windows ending at `now`. */
  count(budget: string, apiClass: ApiClass, now: number, windowsMs: readonly number[]): Promise<number[]>;
}

/**
 * The call budget of one application in one tenant, counted in a ledger every process shares: syncs in any
 * worker and the server's response actions and hunting queries draw from the same windows, and the share kept
 * for actions stays free across processes. Within the process, waiters queue as RateGovernor's do, so only the
 * head of each class's line asks the ledger.
 *
 * Call times come from this process's clock: the hosts sharing a database are expected to keep time (NTP), and
 * the margin covers what they and the service disagree by.
 */
export class SharedRateGovernor implements ApiBudget {
  readonly #ledger: CallLedger;
  readonly #budget: string;
  readonly #options: RateGovernorOptions;
  readonly #turns = new Turns();

  constructor(ledger: CallLedger, budget: string, options: Partial<RateGovernorOptions> = {}) {
    this.#ledger = ledger;
    this.#budget = budget;
    this.#options = governorOptions(options);
  }

  acquire(apiClass: ApiClass, options: AcquireOptions = {}): Promise<void> {
    const priority = options.priority ?? 'normal';
    return this.#turns.take(apiClass, options, () => this.#tryStart(apiClass, priority));
  }

  async pause(apiClass: ApiClass, ms: number): Promise<void> {
    await this.#ledger.pause(this.#budget, apiClass, this.#options.now() + ms);
  }

  async usage(apiClass: ApiClass): Promise<WindowUsage[]> {
    const limits = limitsOf(apiClass, this.#options);
    const used = await this.#ledger.count(
      this.#budget,
      apiClass,
      this.#options.now(),
      limits.map((l) => l.windowMs),
    );
    return limits.map((l, i) => ({ used: used[i] ?? 0, limit: l.limit }));
  }

  async #tryStart(apiClass: ApiClass, priority: CallPriority): Promise<number> {
    const now = this.#options.now();
    const limits = limitsOf(apiClass, this.#options);
    const answer = await this.#ledger.start({
      budget: this.#budget,
      apiClass,
      now,
      windows: limits.map((l) => ({
        windowMs: l.windowMs,
        allowed: allowedCalls(apiClass, l.limit, priority, this.#options.reservedForActions),
      })),
      retainMs: longestWindowMs,
    });
    if (answer.started) return 0;
    let wait = answer.pausedUntil - now;
    limits.forEach((l, i) => {
      const freeing = answer.freeingCallAt[i];
      if (freeing !== undefined)
        wait = Math.max(wait, untilFreed(freeing, l.windowMs, now, this.#options.marginMs));
    });
    // Refused means wait at least a moment, whatever clocks say, so a refusal never becomes a busy loop.
    return Math.max(wait, 1);
  }
}
