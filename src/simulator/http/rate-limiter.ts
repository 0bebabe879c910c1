/**
 * Defender's documented call limits, counted per tenant + application + API class over sliding windows of the
 * wall clock (a client waits Retry-After in real seconds).
 */
export type RateClass =
  | 'default'
  | 'alerts'
  | 'incidents'
  | 'machineVulnerabilities'
  | 'exportJson'
  | 'exportFiles'
  | 'graph'
  | 'hunting';

interface Window {
  readonly ms: number;
  readonly limit: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export const RATE_LIMITS: Record<RateClass, readonly Window[]> = {
  default: [
    { ms: MINUTE, limit: 100 },
    { ms: HOUR, limit: 1500 },
  ],
  // `/api/alerts`: its page states the common figures, counted for that API alone.
  alerts: [
    { ms: MINUTE, limit: 100 },
    { ms: HOUR, limit: 1500 },
  ],
  // The Microsoft 365 Defender incidents API.
  incidents: [
    { ms: MINUTE, limit: 50 },
    { ms: HOUR, limit: 1500 },
  ],
  machineVulnerabilities: [
    { ms: MINUTE, limit: 50 },
    { ms: HOUR, limit: 1500 },
  ],
  exportJson: [
    { ms: MINUTE, limit: 30 },
    { ms: HOUR, limit: 1000 },
  ],
  exportFiles: [
    { ms: MINUTE, limit: 5 },
    { ms: HOUR, limit: 20 },
  ],
  // Advanced hunting, MDE and Graph alike: 45 calls a minute and 1,500 an hour (the CPU quota is the route's).
  hunting: [
    { ms: MINUTE, limit: 45 },
    { ms: HOUR, limit: 1500 },
  ],
  // Graph's published /security limit (legacy resources; UNCERTAIN for alerts_v2 and incidents).
  graph: [{ ms: MINUTE, limit: 150 }],
};

export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class RateLimiter {
  readonly #calls = new Map<string, number[]>();

  /** Records the call when allowed; otherwise says how long until a slot frees. */
  take(key: string, rateClass: RateClass, nowMs: number): RateDecision {
    const windows = RATE_LIMITS[rateClass];
    const longest = Math.max(...windows.map((w) => w.ms));
    const id = `${key}|${rateClass}`;
    const calls = (this.#calls.get(id) ?? []).filter((t) => t > nowMs - longest);
    this.#calls.set(id, calls);
    let waitMs = 0;
    for (const window of windows) {
      const inWindow = calls.filter((t) => t > nowMs - window.ms);
      if (inWindow.length >= window.limit) {
        const frees = (inWindow[inWindow.length - window.limit] ?? nowMs) + window.ms;
        waitMs = Math.max(waitMs, frees - nowMs);
      }
    }
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    calls.push(nowMs);
    return { allowed: true };
  }

  reset(): void {
    this.#calls.clear();
  }
}
