import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openHub } from '../../app/hub.js';
import { HubError } from '../../errors.js';
import { SyncWorker } from '../../jobs/sync-worker.js';
import { Lifecycle } from '../lifecycle.js';
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
    .action(async (flags: { once?: boolean }) => {
      const config = loadConfig(process.env);
      // JSON lines on stdout through the hub's redaction, as `serve` logs: a container's log collector reads both.
      const log = createHubLogger({ level: config.logLevel });
      const lifecycle = new Lifecycle();
      const hub = await lifecycle.start(openHub(config));
      lifecycle.onStop(() => hub.close());
      const queue = hub.data.syncJobs;
      if (queue === undefined) {
        throw new HubError(
          'WORKER_NEEDS_POSTGRES',
          'Workers share jobs through PostgreSQL: set DATABASE_URL=postgres://… (with SQLite, `serve` runs syncs itself).',
        );
      }
      const worker = new SyncWorker(queue, hub.sync, {
        onJob: (job, run, error) => {
          const fields = {
            workerId: worker.id,
            jobId: job.id,
            integrationId: job.integrationId,
            dataset: job.dataset,
            runId: run?.id,
          };
          if (error === undefined)
            log.info({ ...fields, upserted: run?.upserted ?? 0 }, `sync job done: ${job.dataset}`);
          else log.warn({ ...fields, error }, `sync job failed: ${job.dataset}`);
        },
      });
      if (flags.once === true) {
        const done = await worker.drain();
        log.info({ workerId: worker.id, jobs: done }, `ran ${done} job(s)`);
        await hub.close();
        return;
      }
      lifecycle.onStop(() => worker.stop());
      log.info({ workerId: worker.id, database: hub.data.location }, 'worker waiting for sync jobs');
      worker.start();
    });
}
