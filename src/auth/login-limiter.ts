import { tooManyAttempts } from './auth-errors.js';

/**
 * Failed sign-ins per client address over a sliding window, across accounts: it slows down guessing many
 * names from one place, which the per-account lock does not. Kept in this process's memory: with several hub
 * processes each counts its own, which still bounds an address to a few times the limit.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: { limit?: number; windowMs?: number; now?: () => number } = {}) {
    this.#limit = options.limit ?? 20;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  #recent(address: string): number[] {
    const since = this.#now() - this.#windowMs;
    const kept = (this.#failures.get(address) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, kept);
    return kept;
  }

  /** Throws when the address has used up its failures. */
  check(address: string): void {
    if (this.#recent(address).length >= this.#limit) throw tooManyAttempts();
  }

  fail(address: string): void {
    // Addresses that stopped failing are dropped now and then, so a flood of them cannot grow the map for good.
    if (this.#failures.size > 10_000) for (const known of [...this.#failures.keys()]) this.#recent(known);
    this.#failures.set(address, [...this.#recent(address), this.#now()]);
  }
}
