/** `GET /_sim/stats`: what the simulator was asked and answered, so tests and benchmarks can count API calls. */
export interface SimulatorStats {
  readonly requests: {
    readonly total: number;
    /** Route name (e.g. `GET /api/machines`) → HTTP status → count. */
    readonly byRoute: Record<string, Record<string, number>>;
  };
  /** Rate-limit class → requests answered 429 by the limiter (not by injected faults). */
  readonly rateLimited: Record<string, number>;
  /** Fault kind → times injected. */
  readonly faults: Record<string, number>;
  readonly tokens: { readonly issued: number; readonly refused: number };
  readonly blobDownloads: { readonly started: number; readonly completed: number; readonly aborted: number };
}

export class StatsRecorder {
  #total = 0;
  #byRoute = new Map<string, Map<string, number>>();
  #rateLimited = new Map<string, number>();
  #tokens = { issued: 0, refused: 0 };
  #blobs = { started: 0, completed: 0, aborted: 0 };

  request(route: string, status: number): void {
    this.#total++;
    let statuses = this.#byRoute.get(route);
    if (statuses === undefined) {
      statuses = new Map();
      this.#byRoute.set(route, statuses);
    }
    statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
  }

  rateLimited(rateClass: string): void {
    this.#rateLimited.set(rateClass, (this.#rateLimited.get(rateClass) ?? 0) + 1);
  }

  token(issued: boolean): void {
    if (issued) this.#tokens.issued++;
    else this.#tokens.refused++;
  }

  blob(event: 'started' | 'completed' | 'aborted'): void {
    this.#blobs[event]++;
  }

  snapshot(faults: Record<string, number>): SimulatorStats {
    const byRoute: Record<string, Record<string, number>> = {};
    for (const [route, statuses] of this.#byRoute) byRoute[route] = Object.fromEntries(statuses);
    return {
      requests: { total: this.#total, byRoute },
      rateLimited: Object.fromEntries(this.#rateLimited),
      faults,
      tokens: { ...this.#tokens },
      blobDownloads: { ...this.#blobs },
    };
  }

  reset(): void {
    this.#total = 0;
    this.#byRoute = new Map();
    this.#rateLimited = new Map();
    this.#tokens = { issued: 0, refused: 0 };
    this.#blobs = { started: 0, completed: 0, aborted: 0 };
  }
}
