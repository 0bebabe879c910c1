import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApiCallEvent } from '../defender/api-http.js';
import type { Integration } from '../domain/integration.js';
import type { SyncRun } from '../store/index.js';

/** A sync run as it ended: what the run counters take from it. */
export type FinishedRun = Pick<
  SyncRun,
  'integrationId' | 'dataset' | 'status' | 'startedAt' | 'finishedAt' | 'recordsIn' | 'upserted' | 'skipped'
>;

/** The job queue's jobs in one state, as the queue counts them when scraped. */
export interface QueueDepth {
  readonly state: string;
  readonly count: number;
  /** Age of the state's oldest job; null when it holds none. */
  readonly oldestSeconds: number | null;
}

/** What the job queue tells the metrics at each scrape. */
export interface QueueSource {
  depth(): Promise<readonly QueueDepth[]>;
  activeWorkers(): Promise<number>;
}

/** Where the credentials' end dates are read at each scrape: the integrations as the hub lists them. */
export interface CredentialSource {
  list(): Promise<readonly Pick<Integration, 'id' | 'credential'>[]>;
}

export interface HttpRequestSample {
  readonly method: string;
  /** The route's pattern (`/api/v1/endpoints/:id`), never the path a caller sent: labels must stay few. */
  readonly route: string;
  readonly statusCode: number;
  readonly seconds: number;
}

const prefix = 'defender_hub_';
const DAY_MS = 86_400_000;

/**
 * One hub's Prometheus metrics, in a registry of its own so that hubs opened side by side (tests) never share
 * counters. Every label is bounded: integration ids, dataset names, statuses, API classes and route patterns;
 * never an endpoint, machine or user.
 */
export class HubMetrics {
  readonly #registry = new Registry();
  readonly #syncRuns = new Counter({
    name: `${prefix}sync_runs_total`,
    help: 'Sync runs ended, by integration, dataset and outcome (the run status).',
    labelNames: ['integration', 'dataset', 'outcome'] as const,
    registers: [this.#registry],
  });
  readonly #runDuration = new Histogram({
    name: `${prefix}sync_run_duration_seconds`,
    help: 'Duration of ended sync runs, by dataset and outcome.',
    labelNames: ['dataset', 'outcome'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    registers: [this.#registry],
  });
  readonly #recordsRead = this.#datasetCounter('sync_records_read_total', 'Records read from Defender');
  readonly #recordsWritten = this.#datasetCounter(
    'sync_records_written_total',
    'Records written to the store',
  );
  readonly #recordsSkipped = this.#datasetCounter(
    'sync_records_skipped_total',
    'Records skipped (filtered out or malformed)',
  );
  readonly #apiCalls = new Counter({
    name: `${prefix}defender_api_calls_total`,
    help: 'Calls to the Defender, Graph and ARM APIs, by rate-limit class and HTTP status (network_error: no answer).',
    labelNames: ['api_class', 'status'] as const,
    registers: [this.#registry],
  });
  readonly #governorWait = new Histogram({
    name: `${prefix}governor_wait_seconds`,
    help: 'Time each Defender API call waited for the rate governor before it was sent, by rate-limit class.',
    labelNames: ['api_class'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.#registry],
  });
  readonly #httpDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: "Duration of the hub's HTTP answers, by method, route pattern (unmatched: no route) and status code.",
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.#registry],
  });

  /** The Prometheus text format's content type, for the answer's Content-Type. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /** The exposition: this hub's metrics and the process's (CPU, memory, event loop, GC). */
  text(): Promise<string> {
    return Registry.merge([this.#registry, processRegistry()]).metrics();
  }

  runFinished(run: FinishedRun): void {
    const { integrationId: integration, dataset, status: outcome } = run;
    this.#syncRuns.inc({ integration, dataset, outcome });
    if (run.finishedAt !== null)
      this.#runDuration.observe(
        { dataset, outcome },
        Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000,
      );
    this.#recordsRead.inc({ dataset }, run.recordsIn);
    this.#recordsWritten.inc({ dataset }, run.upserted);
    this.#recordsSkipped.inc({ dataset }, run.skipped);
  }

  /** The `onCall` of a Defender client (arrow: it is handed over detached from this object). */
  readonly apiCall = (event: ApiCallEvent): void => {
    const status = event.status === undefined ? 'network_error' : String(event.status);
    this.#apiCalls.inc({ api_class: event.apiClass, status });
    this.#governorWait.observe({ api_class: event.apiClass }, event.governorWaitMs / 1000);
  };

  httpRequest(sample: HttpRequestSample): void {
    this.#httpDuration.observe(
      { method: sample.method, route: sample.route, status_code: String(sample.statusCode) },
      sample.seconds,
    );
  }

  /** Days left on each integration's credential, read at scrape time; one whose end date is unknown is left out. */
  observeCredentials(source: CredentialSource): void {
    this.#scrapedGauge('credential_days_until_expiry', {
      help: "Days until the integration's credential (client secret or certificate) expires; negative once expired.",
      labelNames: ['integration'],
      read: async () => {
        const now = Date.now();
        return (await source.list()).flatMap(({ id, credential }) =>
          credential.expiresAt === null
            ? []
            : [{ labels: { integration: id }, value: (Date.parse(credential.expiresAt) - now) / DAY_MS }],
        );
      },
    });
  }

  /** The job queue's depth, oldest job per state and active workers, read at scrape time. Call once per hub. */
  observeQueue(source: QueueSource): void {
    this.#scrapedGauge('jobs', {
      help: 'Jobs in the queue, by state.',
      labelNames: ['state'],
      read: async () =>
        (await source.depth()).map(({ state, count }) => ({ labels: { state }, value: count })),
    });
    this.#scrapedGauge('jobs_oldest_age_seconds', {
      help: 'Age of the oldest job in each queue state.',
      labelNames: ['state'],
      read: async () =>
        (await source.depth()).flatMap(({ state, oldestSeconds }) =>
          oldestSeconds === null ? [] : [{ labels: { state }, value: oldestSeconds }],
        ),
    });
    this.#scrapedGauge('workers_active', {
      help: 'Worker processes taking jobs from the queue.',
      labelNames: [],
      read: async () => [{ labels: {}, value: await source.activeWorkers() }],
    });
  }

  #datasetCounter(name: string, what: string): Counter<'dataset'> {
    return new Counter({
      name: `${prefix}${name}`,
      help: `${what} by sync runs, by dataset.`,
      labelNames: ['dataset'] as const,
      registers: [this.#registry],
    });
  }

  /**
   * A gauge whose series are read afresh at each scrape: a series that is no longer read (an integration
   * removed) disappears instead of keeping its last value.
   */
  #scrapedGauge<L extends string>(
    name: string,
    gauge: {
      help: string;
      labelNames: readonly L[];
      read: () => Promise<readonly { labels: Record<L, string>; value: number }[]>;
    },
  ): void {
    new Gauge<L>({
      name: `${prefix}${name}`,
      help: gauge.help,
      labelNames: gauge.labelNames,
      registers: [this.#registry],
      async collect() {
        const series = await gauge.read();
        // Reset only once the values are in: a scrape running beside this one never sees a half-filled gauge.
        this.reset();
        for (const { labels, value } of series) this.set(labels, value);
      },
    });
  }
}

let processMetrics: Registry | undefined;

/**
 * The process's default metrics (their standard names, which stock dashboards know), collected once per process
 * and only once scraped: they describe the process, not a hub, and each collection starts an event-loop monitor
 * and a GC observer that nothing stops again.
 */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
