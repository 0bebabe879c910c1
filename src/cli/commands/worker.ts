import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openHub } from '../../app/hub.js';
import { HubError } from '../../errors.js';
import { SyncWorker } from '../../jobs/sync-worker.js';
import { Lifecycle } from '../lifecycle.js';
import { wholeNumber } from '../options.js';
import { startMetricsServer } from '../../metrics/metrics-server.js';
import { createHubLogger } from '../../secrets/log-redaction.js';

/**
 * `defender-hub worker`: takes sync jobs from the PostgreSQL queue that `serve` fills. Start as many as the
 * tenants need; each job runs once, and one tenant's dataset never runs twice at the same time.
 */
export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'Run sync jobs from the PostgreSQL job queue (with DATABASE_URL=postgres://…); start several for more throughput',
    )
    .option('--once', 'run the jobs that are due, then exit')
    .option('--concurrency <n>', 'jobs this worker runs at once (1–64)', wholeNumber(1, 64), 1)
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics at GET /metrics on this port (on HUB_HOST)',
      wholeNumber(1, 65535),
    )
    .action(async (flags: { once?: boolean; concurrency: number; metricsPort?: number }) => {
      const config = loadConfig(process.env);
      // JSON lines on stdout through the hub's redaction, as `serve` logs: a container's log collector reads both.
      const log = createHubLogger({ level: config.logLevel });
      const lifecycle = new Lifecycle();
      const hub = await lifecycle.start(openHub(config));
      lifecycle.onStop(() => hub.close());
      const queue = hub.jobs;
      if (queue === undefined) {
        throw new HubError(
          'WORKER_NEEDS_POSTGRES',
          'Workers share jobs through PostgreSQL: set DATABASE_URL=postgres://… (with SQLite, `serve` runs syncs itself).',
        );
      }
      const worker = new SyncWorker(queue, hub.sync, {
        concurrency: flags.concurrency,
        onJob: (job, outcome, run, error) => {
          const fields = {
            workerId: worker.id,
            jobId: job.id,
            attempt: job.attempt,
            integrationId: job.data.integrationId,
            dataset: job.data.dataset,
            runId: run?.id,
          };
          const what = job.data.dataset;
          if (outcome === 'done')
            log.info({ ...fields, upserted: run?.upserted ?? 0 }, `sync job done: ${what}`);
          else if (outcome === 'requeued') log.info(fields, `sync job given back to the queue: ${what}`);
          else log.warn({ ...fields, error }, `sync job ${outcome}: ${what}`);
        },
      });
      if (flags.once === true) {
        const done = await worker.drain();
        log.info({ workerId: worker.id, jobs: done }, `ran ${done} job(s)`);
        await hub.close();
        return;
      }
      if (flags.metricsPort !== undefined) {
        const metrics = await startMetricsServer({
          host: config.host,
          port: flags.metricsPort,
          metrics: hub.metrics,
          onError: (error) => {
            log.error(
              { error: error instanceof Error ? error.message : String(error) },
              'metrics: a scrape failed',
            );
          },
        });
        lifecycle.onStop(() => metrics.close());
      }
      lifecycle.onStop(() => worker.stop());
      await worker.start();
      log.info(
        { workerId: worker.id, database: hub.data.location, concurrency: flags.concurrency },
        'worker waiting for sync jobs',
      );
    });
}
