import { abortableSleep } from './abortable-sleep.js';
import { DefenderApiError, DefenderErrorCode } from './errors.js';

/**
 * API classes with the limits Microsoft documents per application and tenant. A call is counted against its
 * class only; the classes are independent quotas on the service side.
 */
export const apiClassLimits = {
  /** Most MDE APIs: machines, machine actions, response actions. */
  default: [
    { windowMs: 60_000, limit: 100 },
    { windowMs: 3_600_000, limit: 1500 },
  ],
  /** MDE `/api/alerts`: the same figures as most, stated on its own page and counted for it alone. */
  alerts: [
    { windowMs: 60_000, limit: 100 },
    { windowMs: 3_600_000, limit: 1500 },
  ],
  /** The Microsoft 365 Defender incidents API. */
  incidents: [
    { windowMs: 60_000, limit: 50 },
    { windowMs: 3_600_000, limit: 1500 },
  ],
  machineVulnerabilities: [
    { windowMs: 60_000, limit: 50 },
    { windowMs: 3_600_000, limit: 1500 },
  ],
  jsonExport: [
    { windowMs: 60_000, limit: 30 },
    { windowMs: 3_600_000, limit: 1000 },
  ],
  fileExport: [
    { windowMs: 60_000, limit: 5 },
    { windowMs: 3_600_000, limit: 20 },
  ],
  hunting: [
    { windowMs: 60_000, limit: 45 },
    { windowMs: 3_600_000, limit: 1500 },
  ],
  /** Graph security: 150/min per app per tenant is the published figure for /security. */
  graph: [{ windowMs: 60_000, limit: 150 }],
  /**
   * Azure Resource Manager reads (Defender for Cloud): 12,000 per hour per principal and subscription in the
   * classic limits; counted here for all subscriptions together, which stays below that.
   */
  arm: [{ windowMs: 3_600_000, limit: 12_000 }],
  /** Export file downloads go to blob storage, which has no per-tenant quota of this kind. */
  unmetered: [],
} as const satisfies Record<string, readonly { windowMs: number; limit: number }[]>;

export type ApiClass = keyof typeof apiClassLimits;

/** `action` is a response action (isolate, scan, release): it may use the share the rest must leave free. */
export type CallPriority = 'normal' | 'action';

export type Awaitable<T> = T | Promise<T>;

/** Calls counted in one of a class's windows, beside the window's limit. */
export interface WindowUsage {
  readonly used: number;
  readonly limit: number;
}

export interface AcquireOptions {
  readonly priority?: CallPriority;
  readonly signal?: AbortSignal;
  readonly maxWaitMs?: number;
}

/**
 * The call budget of one application in one tenant: every client of that tenant and app draws from it, because
 * the service counts their calls together. Kept in the process (RateGovernor) or, for several processes, in the
 * database (SharedRateGovernor).
 */
export interface ApiBudget {
  /**
   * Resolves when a call of this class may start, and counts it. With `maxWaitMs`, a call that would have to wait
   * longer is refused at once (a 429 of the hub's own, with the wait as its Retry-After) instead of waiting.
   */
  acquire(apiClass: ApiClass, options?: AcquireOptions): Promise<void>;
  /** The service said 429 with this wait: hold every call of the class until then. */
  pause(apiClass: ApiClass, ms: number): Awaitable<void>;
  /** Calls counted in each of the class's windows right now (for progress displays and tests). */
  usage(apiClass: ApiClass): Awaitable<readonly WindowUsage[]>;
}

export interface RateGovernorOptions {
  /** Share of every window kept free for response actions. */
  readonly reservedForActions: number;
  /** Slack (ms) added to each wait so our clock and the service's don't disagree at the boundary. */
  readonly marginMs: number;
  readonly now: () => number;
  /**
   * Every class's limits times this (default 1: Microsoft's). Only for a service that has other limits than
   * Defender's, such as the simulator with its limits off in tests that are not about the budget.
   */
  readonly limitScale: number;
}

export function governorOptions(options: Partial<RateGovernorOptions> = {}): RateGovernorOptions {
  return Object.freeze({ reservedForActions: 0.2, marginMs: 250, now: Date.now, limitScale: 1, ...options });
}

/** The class's windows and their limits, under the options' scale. */
export function limitsOf(
  apiClass: ApiClass,
  options: Pick<RateGovernorOptions, 'limitScale'>,
): { readonly windowMs: number; readonly limit: number }[] {
  return apiClassLimits[apiClass].map((l) => ({ windowMs: l.windowMs, limit: l.limit * options.limitScale }));
}

/** The longest window of any class: a call older than this counts for nothing any more. */
export const longestWindowMs = Math.max(
  ...Object.values(apiClassLimits).flatMap((limits) => limits.map((l) => l.windowMs)),
);

/** The classes response actions are sent in: only their windows keep a share free for actions. */
const actionClasses: ReadonlySet<ApiClass> = new Set<ApiClass>(['default']);

/** How many calls a window of the class may already hold for a call of this priority to start. */
export function allowedCalls(
  apiClass: ApiClass,
  limit: number,
  priority: CallPriority,
  reservedForActions: number,
): number {
  if (priority === 'action' || !actionClasses.has(apiClass)) return limit;
  return Math.max(1, Math.floor(limit * (1 - reservedForActions)));
}

/** How long until `freeingCallAt`, the call that must leave a full window before another fits, has left it. */
export function untilFreed(freeingCallAt: number, windowMs: number, now: number, marginMs: number): number {
  return freeingCallAt + windowMs - now + marginMs;
}

/**
 * Serves acquires per class in arrival order, actions ahead of the line. `attempt` starts and counts the call
 * when the budget allows (answering 0) or answers how long to wait before trying again.
 */
export class Turns {
  readonly #queues = new Map<ApiClass, Promise<void>>();

  take(apiClass: ApiClass, options: AcquireOptions, attempt: () => Awaitable<number>): Promise<void> {
    // Actions skip the queue of normal calls: they only have to wait for their own reserved share.
    if (options.priority === 'action') return untilStarted(apiClass, attempt, options);
    const previous = this.#queues.get(apiClass) ?? Promise.resolve();
    const turn = previous.then(() => untilStarted(apiClass, attempt, options));
    this.#queues.set(
      apiClass,
      turn.catch(() => undefined),
    );
    return turn;
  }
}

async function untilStarted(
  apiClass: ApiClass,
  attempt: () => Awaitable<number>,
  options: AcquireOptions,
): Promise<void> {
  let waited = 0;
  for (;;) {
    const wait = await attempt();
    if (wait <= 0) return;
    if (options.maxWaitMs !== undefined && waited + wait > options.maxWaitMs)
      throw new DefenderApiError(
        DefenderErrorCode.Throttled,
        `This tenant's ${apiClass} calls are used up for now (the hub keeps within Microsoft's limits and the share kept for response actions); the next may start in about ${Math.ceil(wait / 1000)} s.`,
        { status: 429, retryAfterMs: wait },
      );
    await abortableSleep(wait, options.signal);
    waited += wait;
  }
}

interface Window {
  readonly windowMs: number;
  readonly limit: number;
  /** Start times of the calls still inside the window, oldest first. */
  readonly calls: number[];
}

/**
 * Sliding-window call budget per API class for one tenant, kept in this process. Sliding windows (not refilling
 * buckets) because the service counts "calls in the last minute/hour": a bucket that refills continuously would
 * let through a burst the service then answers with 429. Callers `acquire()` before each request and wait their
 * turn.
 */
export class RateGovernor implements ApiBudget {
  readonly #options: RateGovernorOptions;
  readonly #windows = new Map<ApiClass, Window[]>();
  /** Per class, no call before this time: set when the service answered 429 anyway. */
  readonly #pausedUntil = new Map<ApiClass, number>();
  readonly #turns = new Turns();

  constructor(options: Partial<RateGovernorOptions> = {}) {
    this.#options = governorOptions(options);
  }

  acquire(apiClass: ApiClass, options: AcquireOptions = {}): Promise<void> {
    const priority = options.priority ?? 'normal';
    return this.#turns.take(apiClass, options, () => this.#tryStart(apiClass, priority));
  }

  pause(apiClass: ApiClass, ms: number): void {
    const until = this.#options.now() + ms;
    if (until > (this.#pausedUntil.get(apiClass) ?? 0)) this.#pausedUntil.set(apiClass, until);
  }

  usage(apiClass: ApiClass): WindowUsage[] {
    const now = this.#options.now();
    return this.#windowsOf(apiClass).map((w) => {
      this.#prune(w, now);
      return { used: w.calls.length, limit: w.limit };
    });
  }

  #tryStart(apiClass: ApiClass, priority: CallPriority): number {
    const wait = this.#waitMs(apiClass, priority);
    if (wait > 0) return wait;
    const now = this.#options.now();
    for (const w of this.#windowsOf(apiClass)) w.calls.push(now);
    return 0;
  }

  #waitMs(apiClass: ApiClass, priority: CallPriority): number {
    const now = this.#options.now();
    let wait = (this.#pausedUntil.get(apiClass) ?? 0) - now;
    for (const w of this.#windowsOf(apiClass)) {
      this.#prune(w, now);
      const allowed = allowedCalls(apiClass, w.limit, priority, this.#options.reservedForActions);
      if (w.calls.length < allowed) continue;
      // The call that must leave the window before we fit: the (used - allowed + 1)-th oldest.
      const freeing = w.calls[w.calls.length - allowed];
      if (freeing !== undefined)
        wait = Math.max(wait, untilFreed(freeing, w.windowMs, now, this.#options.marginMs));
    }
    return wait;
  }

  #windowsOf(apiClass: ApiClass): Window[] {
    let windows = this.#windows.get(apiClass);
    if (windows === undefined) {
      windows = limitsOf(apiClass, this.#options).map((l) => ({ ...l, calls: [] }));
      this.#windows.set(apiClass, windows);
    }
    return windows;
  }

  #prune(w: Window, now: number): void {
    let expired = 0;
    while (expired < w.calls.length && (w.calls[expired] ?? 0) <= now - w.windowMs) expired++;
    if (expired > 0) w.calls.splice(0, expired);
  }
}
