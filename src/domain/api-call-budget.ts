/**
 * What a process asks the shared call ledger when a Defender call wants to start, and its answer: the contract
 * between the rate governor (src/defender) and the PostgreSQL ledger (src/store), which do not import each other.
 */

/** A call asking to start: which budget and class, when, and how full each of the class's windows may be. */
export interface ApiCallRequest {
  readonly budget: string;
  readonly apiClass: string;
  readonly now: number;
  /** Per window of the class: its length, and how many calls it may already hold for this call to start. */
  readonly windows: readonly { readonly windowMs: number; readonly allowed: number }[];
  /** Calls older than this count in no window any more and may be forgotten. */
  readonly retainMs: number;
}

/** Started (and counted), or what stands in the way: a pause, and per window the call that must leave it. */
export type ApiCallDecision =
  | { readonly started: true }
  | {
      readonly started: false;
      readonly pausedUntil: number;
      /** Per window, in the order asked: start time of the call that must leave before this one fits. */
      readonly freeingCallAt: readonly (number | undefined)[];
    };
