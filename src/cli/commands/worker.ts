import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openHub } from '../../app/hub.js';
import { HubError } from '../../errors.js';
import { SyncJobQueue } from '../../jobs/sync-job-queue.js';
import { SyncWorker } from '../../jobs/sync-worker.js';
import { Lifecycle } from '../lifecycle.js';

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
      const lifecycle = new Lifecycle();
      const hub = await lifecycle.start(openHub(loadConfig(process.env)));
      lifecycle.onStop(() => hub.close());
      if (hub.store.dialect !== 'postgres') {
        throw new HubError(
          'WORKER_NEEDS_POSTGRES',
          'Workers share jobs through PostgreSQL: set DATABASE_URL=postgres://… (with SQLite, `serve` runs syncs itself).',
        );
      }
      const worker = new SyncWorker(new SyncJobQueue(hub.repos.db), hub.sync, {
        onJob: (job, run, error) => {
          process.stderr.write(
            `${job.dataset} of ${job.integration_id}: ${error ?? `${run?.upserted ?? 0} stored`}\n`,
          );
        },
      });
      if (flags.once === true) {
        const done = await worker.drain();
        process.stderr.write(`Ran ${done} job(s).\n`);
        await hub.close();
        return;
      }
      lifecycle.onStop(() => worker.stop());
      process.stderr.write(`Worker ${worker.id} waiting for sync jobs on ${hub.store.location}.\n`);
      worker.start();
    });
}
