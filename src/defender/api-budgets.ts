import { RateGovernor, type ApiBudget, type RateGovernorOptions } from './rate-governor.js';
import { SharedRateGovernor, type CallLedger } from './shared-rate-governor.js';

/**
 * The process's call budgets, one per application and tenant: every client made for the pair gets the same one,
 * so sync, response actions, hunting and credential checks count their calls together. Given a ledger (the
 * PostgreSQL store), the budgets are shared with every other process on that database as well.
 */
export class ApiBudgets {
  readonly #ledger: CallLedger | undefined;
  readonly #governor: Partial<RateGovernorOptions>;
  readonly #budgets = new Map<string, ApiBudget>();

  constructor(
    options: { ledger?: CallLedger | undefined; governor?: Partial<RateGovernorOptions> | undefined } = {},
  ) {
    this.#ledger = options.ledger;
    this.#governor = options.governor ?? {};
  }

  of(tenantId: string, clientId: string): ApiBudget {
    // Microsoft counts per application per tenant; both are GUIDs, in whichever case they were typed.
    const key = `${tenantId}/${clientId}`.toLowerCase();
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget =
        this.#ledger === undefined
          ? new RateGovernor(this.#governor)
          : new SharedRateGovernor(this.#ledger, key, this.#governor);
      this.#budgets.set(key, budget);
    }
    return budget;
  }
}
