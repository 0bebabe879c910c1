import { PgBoss, type Job } from 'pg-boss';
import { datasetNames, type DatasetName } from '../domain/datasets.js';
import { HubError } from '../errors.js';
import type { CarriedSyncJobs, Page, PageRequest } from '../store/index.js';
import {
  deadSyncQueue,
  engineStateOf,
  jobStateOf,
  syncQueue,
  type SyncJobData,
  type SyncJobFilter,
  type SyncJobView,
} from './sync-job.js';

/**
 * How the job engine behaves; the defaults suit production, tests shorten them. Every figure is in seconds.
 */
export interface JobQueueTuning {
  /** A worker touches its job this often (half of it); a job not touched for this long is taken from it. */
  readonly heartbeatSeconds?: number;
  /** How often a lost heartbeat is looked for. */
  readonly superviseSeconds?: number;
  /** The longest a worker waits before it looks for jobs when no notification woke it. */
  readonly pollSeconds?: number;
  /** Attempts after the first before a job is dead-lettered. */
  readonly retryLimit?: number;
  /** The first retry's delay; each next one doubles, up to an hour. */
  readonly retryDelaySeconds?: number;
  /** How long finished (completed, failed, dead-lettered) jobs are kept. */
  readonly keepFinishedSeconds?: number;
}

export interface JobQueueOptions {
  readonly connectionString: string;
  /** The PostgreSQL schema the job engine's tables live in. */
  readonly schema: string;
  readonly tuning?: JobQueueTuning;
  /** Jobs of the queue before pg-boss, queued again at the first start. */
  readonly carried?: CarriedSyncJobs;
  /** Where the engine's own errors go, one line each (it keeps running through them); stderr by default. */
  readonly onProblem?: (message: string) => void;
}

const defaults = {
  heartbeatSeconds: 30,
  superviseSeconds: 30,
  pollSeconds: 10,
  retryLimit: 3,
  retryDelaySeconds: 60,
  keepFinishedSeconds: 7 * 86_400,
} as const satisfies Required<JobQueueTuning>;

/** One waiting and one running job per key: an integration's dataset. */
function keyOf(data: Pick<SyncJobData, 'integrationId' | 'dataset'>): string {
  return `${data.integrationId}:${data.dataset}`;
}

/**
 * The schema the job engine's tables live in: `pgboss` beside tables in `public`, else `<schema>_jobs`, so two
 * hubs in one database (or two test schemas) never share a queue.
 */
export function jobSchemaBeside(schema: string): string {
  return schema === 'public' ? 'pgboss' : `${schema}_jobs`;
}

/** The engine's hard cap on one attempt: a sync still running after it is stopped and retried. */
const maxRunSeconds = 24 * 3600;

export interface EnqueueOptions {
  readonly full?: boolean;
  readonly force?: boolean;
}

/** A job in a worker's hands: what to run, and the signal that says the worker no longer holds it. */
export interface ClaimedSyncJob {
  readonly id: string;
  readonly data: SyncJobData;
  readonly attempt: number;
  /** Aborted when the engine took the job back (a lost heartbeat, or the attempt's time cap). */
  readonly signal: AbortSignal;
}

/** Per job state: how many, and how long the oldest has waited since it was queued. */
export interface QueueDepth {
  readonly state: string;
  readonly count: number;
  readonly oldestSeconds: number | null;
}

interface JobRow {
  id: string;
  name: string;
  state: string;
  data: unknown;
  retry_count: number;
  created_on: Date;
  start_after: Date;
  started_on: Date | null;
  heartbeat_on: Date | null;
  completed_on: Date | null;
  output: unknown;
}

function isSyncJobData(value: unknown): value is SyncJobData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Record<string, unknown>;
  return (
    typeof data.integrationId === 'string' &&
    typeof data.dataset === 'string' &&
    (datasetNames as readonly string[]).includes(data.dataset)
  );
}

function messageOf(output: unknown): string | null {
  if (typeof output !== 'object' || output === null) return null;
  const { message, value } = output as { message?: unknown; value?: unknown };
  if (typeof message === 'string') return message;
  return messageOf(value);
}

/**
 * The sync jobs that `defender-hub worker` processes share, on pg-boss: one queue whose `stately` policy keeps at
 * most one waiting and one running job per integration × dataset (so asking twice queues once, and one tenant's
 * dataset never runs twice at once), heartbeats that hand a dead worker's job to another within a minute or two
 * while a long healthy one is never started twice, retries with back-off, and a dead-letter queue for a job that
 * keeps failing. pg-boss starts on first use and prunes finished jobs itself.
 */
export class SyncJobQueue {
  readonly #options: JobQueueOptions;
  readonly #tuning: Required<JobQueueTuning>;
  readonly #boss: PgBoss;
  #starting: Promise<PgBoss> | undefined;

  constructor(options: JobQueueOptions) {
    this.#options = options;
    this.#tuning = { ...defaults, ...options.tuning };
    this.#boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema,
      application_name: 'defender-hub jobs',
      max: 4,
      useListenNotify: true,
      // Periodic syncs come from the hub's own due rule (the schedules the integrations hold), not pg-boss's cron.
      schedule: false,
      superviseIntervalSeconds: this.#tuning.superviseSeconds,
      monitorIntervalSeconds: this.#tuning.superviseSeconds,
      instanceName: 'defender-hub',
      // The registry of instances is what counts the live workers: kept fresh enough for a dashboard.
      instanceHeartbeatSeconds: 10,
    });
    // Without a listener an engine error (a lost connection, say) would end the process; it keeps running instead.
    const onProblem =
      options.onProblem ?? ((message: string) => process.stderr.write(`defender-hub: ${message}\n`));
    this.#boss.on('error', (error: unknown) => {
      onProblem(`job engine: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** The schema the engine's tables live in. */
  get schema(): string {
    return this.#options.schema;
  }

  get tuning(): Required<JobQueueTuning> {
    return this.#tuning;
  }

  /** Queues a run unless one already waits for that integration and dataset; answers the new job's id. */
  async enqueue(
    integrationId: string,
    dataset: DatasetName,
    options: EnqueueOptions = {},
  ): Promise<string | undefined> {
    const boss = await this.#started();
    const data: SyncJobData = {
      integrationId,
      dataset,
      full: options.full === true,
      force: options.force === true,
    };
    return this.#send(boss, data);
  }

  /**
   * Runs `handler` for jobs as they come, `concurrency` at a time in this process. A handler that resolves
   * completes its job; one that throws fails it (retried with back-off, then dead-lettered).
   */
  async work(concurrency: number, handler: (job: ClaimedSyncJob) => Promise<object>): Promise<void> {
    const boss = await this.#started();
    await boss.work<SyncJobData>(
      syncQueue,
      {
        localConcurrency: concurrency,
        batchSize: 1,
        pollingIntervalSeconds: this.#tuning.pollSeconds,
        notifyPollingIntervalSeconds: this.#tuning.pollSeconds,
      },
      async (jobs: Job<SyncJobData>[]) => {
        const [job] = jobs;
        if (job === undefined) return {};
        try {
          if (!isSyncJobData(job.data))
            // Nothing a retry could fix: straight to the dead-letter queue, where it can be read.
            throw new HubError('JOB_INVALID', `Job ${job.id} does not name an integration and a dataset.`);
          return await handler({
            id: job.id,
            data: job.data,
            attempt: job.retryCount + 1,
            signal: job.signal,
          });
        } finally {
          this.#fetchAgainAtOnce(boss);
        }
      },
    );
  }

  /**
   * A worker loop sleeps its polling interval after every job, and a notification wakes it only for a job sent
   * later: woken now, it looks for the next job as soon as this one is settled, and sleeps only when none is due.
   */
  #fetchAgainAtOnce(boss: PgBoss): void {
    for (const worker of boss.getWipData()) if (worker.name === syncQueue) boss.notifyWorker(worker.id);
  }

  /** Stops taking jobs in this process; the jobs in hand keep running until their handlers end. */
  async stopTaking(): Promise<void> {
    if (this.#starting === undefined) return;
    await this.#boss.offWork(syncQueue, { wait: false });
  }

  /** A page of jobs, newest first, by integration, dataset and state. */
  async list(filter: SyncJobFilter, page: PageRequest): Promise<Page<SyncJobView>> {
    const boss = await this.#started();
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (condition: (param: string) => string, value: unknown): void => {
      values.push(value);
      where.push(condition(`$${values.length}`));
    };
    const engine = filter.state === undefined ? undefined : engineStateOf(filter.state);
    add((p) => `name = any(${p}::text[])`, engine?.queues ?? [syncQueue, deadSyncQueue]);
    if (engine?.state !== undefined) add((p) => `state::text = ${p}`, engine.state);
    if (filter.integrationId !== undefined) add((p) => `data->>'integrationId' = ${p}`, filter.integrationId);
    if (filter.dataset !== undefined) add((p) => `data->>'dataset' = ${p}`, filter.dataset);
    const from = `from ${this.#options.schema}.job where ${where.join(' and ')}`;
    const db = boss.getDb();
    const counted = await db.executeSql(`select count(*)::int as n ${from}`, values);
    // findJobs lists a queue oldest first with no state filter; the operators' view needs the newest, by state,
    // so it reads the engine's job table (its columns are pg-boss's documented job fields).
    const { rows } = await db.executeSql(
      `select id, name, state, data, retry_count, created_on, start_after, started_on, heartbeat_on, completed_on, output
         ${from} order by created_on desc, id limit $${values.length + 1} offset $${values.length + 2}`,
      [...values, page.pageSize, (page.page - 1) * page.pageSize],
    );
    return {
      items: (rows as JobRow[]).filter((row) => isSyncJobData(row.data)).map((row) => this.#view(row)),
      total: (counted.rows as { n: number }[])[0]?.n ?? 0,
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  /** Per state, the jobs held and the age of the oldest (for the metrics). */
  async depth(): Promise<QueueDepth[]> {
    const boss = await this.#started();
    const { rows } = await boss.getDb().executeSql(
      `select name, state, count(*)::int as count,
              extract(epoch from now() - min(created_on))::float8 as oldest
         from ${this.#options.schema}.job where name = any($1::text[]) group by name, state`,
      [[syncQueue, deadSyncQueue]],
    );
    const byState = new Map<string, { count: number; oldest: number }>();
    for (const row of rows as { name: string; state: string; count: number; oldest: number }[]) {
      const state = jobStateOf(row.name === deadSyncQueue, row.state);
      const seen = byState.get(state) ?? { count: 0, oldest: 0 };
      byState.set(state, { count: seen.count + row.count, oldest: Math.max(seen.oldest, row.oldest) });
    }
    return [...byState].map(([state, { count, oldest }]) => ({ state, count, oldestSeconds: oldest }));
  }

  /** Moves the waiting (or retrying) job of this integration and dataset to now, when there is one. */
  async hurry(integrationId: string, dataset: DatasetName): Promise<void> {
    const boss = await this.#started();
    await boss.update(syncQueue, undefined, {
      singletonKey: keyOf({ integrationId, dataset }),
      startAfter: new Date(),
      match: 'all',
    });
  }

  /** The integration's datasets with a job waiting, to be retried or running. */
  async pendingDatasets(integrationId: string): Promise<Set<string>> {
    const boss = await this.#started();
    const { rows } = await boss.getDb().executeSql(
      `select distinct data->>'dataset' as dataset from ${this.#options.schema}.job
        where name = $1 and state in ('created', 'retry', 'active') and data->>'integrationId' = $2`,
      [syncQueue, integrationId],
    );
    return new Set((rows as { dataset: string }[]).map((row) => row.dataset));
  }

  /** Jobs still to run now: waiting or to be retried and due, or running in any worker. */
  async unfinished(): Promise<number> {
    const boss = await this.#started();
    const { rows } = await boss.getDb().executeSql(
      `select count(*)::int as n from ${this.#options.schema}.job
        where name = $1 and (state = 'active' or (state in ('created', 'retry') and start_after <= now()))`,
      [syncQueue],
    );
    return (rows as { n: number }[])[0]?.n ?? 0;
  }

  /** Worker processes heard from within their last few heartbeats. */
  async activeWorkers(): Promise<number> {
    const boss = await this.#started();
    const instances = await boss.getInstances();
    return instances.filter((i) => i.live && i.workers.some((w) => w.queue === syncQueue)).length;
  }

  /** Waits for the handlers in hand (at most `timeoutMs`), then closes the engine's connections. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.#starting === undefined) return;
    await this.#starting.catch(() => undefined);
    await this.#boss.stop({ graceful: true, timeout: timeoutMs });
  }

  #view(row: JobRow): SyncJobView {
    const data = row.data as SyncJobData;
    const state = jobStateOf(row.name === deadSyncQueue, row.state);
    return {
      id: row.id,
      integrationId: data.integrationId,
      dataset: data.dataset,
      full: data.full,
      force: data.force,
      state,
      attempts: row.retry_count + (row.started_on === null ? 0 : 1),
      createdAt: row.created_on.toISOString(),
      runAfter: row.start_after.toISOString(),
      startedAt: row.started_on?.toISOString() ?? null,
      heartbeatAt: row.heartbeat_on?.toISOString() ?? null,
      finishedAt: row.completed_on?.toISOString() ?? null,
      lastError: state === 'completed' ? null : messageOf(row.output),
    };
  }

  #started(): Promise<PgBoss> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<PgBoss> {
    const boss = this.#boss;
    await boss.start();
    const t = this.#tuning;
    const kept = { deleteAfterSeconds: t.keepFinishedSeconds };
    await this.#ensureQueue(deadSyncQueue, { ...kept, retentionSeconds: t.keepFinishedSeconds });
    await this.#ensureQueue(syncQueue, {
      ...kept,
      policy: 'stately',
      deadLetter: deadSyncQueue,
      retryLimit: t.retryLimit,
      retryDelay: t.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 3600,
      heartbeatSeconds: t.heartbeatSeconds,
      expireInSeconds: maxRunSeconds,
      notify: true,
    });
    await this.#takeOverCarried();
    return boss;
  }

  async #send(boss: PgBoss, data: SyncJobData): Promise<string | undefined> {
    const id = await boss.send(syncQueue, data, { singletonKey: keyOf(data) });
    return id ?? undefined;
  }

  async #takeOverCarried(): Promise<void> {
    const carried = this.#options.carried;
    if (carried === undefined) return;
    for (const job of await carried.take()) await this.#send(this.#boss, job);
    await carried.clear();
  }

  async #ensureQueue(name: string, options: Parameters<PgBoss['createQueue']>[1] & object): Promise<void> {
    const boss = this.#boss;
    if ((await boss.getQueue(name)) === null) {
      try {
        await boss.createQueue(name, options);
        return;
      } catch (error) {
        // Another process created it meanwhile: its settings are updated below like an existing queue's.
        if ((await boss.getQueue(name)) === null) throw error;
      }
    }
    const { policy: _policy, deadLetter, ...changeable } = options;
    await boss.updateQueue(name, { ...changeable, ...(deadLetter === undefined ? {} : { deadLetter }) });
  }
}
