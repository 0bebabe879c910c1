import type { Hub } from '../app/hub.js';
import { Scheduler, type SchedulerLogger } from '../app/scheduler.js';
import { HubError } from '../errors.js';
import { SyncJobQueue } from '../jobs/sync-job-queue.js';
import { buildServer } from '../server/build-server.js';
import type { HubLogSettings } from '../secrets/log-redaction.js';

export interface HubRuntime {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** Stops the scheduler (waiting for its runs in progress), then the server. The hub stays open. */
  stop(): Promise<void>;
}

/**
 * The serving hub: the HTTP API on host:port and the scheduler, which runs due syncs in this process with
 * SQLite, and with PostgreSQL queues them as jobs for the workers.
 */
export async function startHubRuntime(
  hub: Hub,
  options: {
    host: string;
    port: number;
    /** The server's log (see buildServer); the scheduler logs through it too unless `log` is given. */
    serverLogs: boolean | HubLogSettings;
    log?: SchedulerLogger;
  },
): Promise<HubRuntime> {
  const server = await buildServer(hub, { logger: options.serverLogs });
  let url: string;
  try {
    url = await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    await server.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new HubError(
        'PORT_IN_USE',
        `Port ${options.port} on ${options.host} is in use: choose another with --port.`,
      );
    throw error;
  }
  const log = options.log ?? server.log;
  const scheduler = new Scheduler(hub, {
    logger: log,
    ...(hub.store.dialect === 'postgres' ? { queue: new SyncJobQueue(hub.repos.db) } : {}),
  });
  await scheduler.start();
  if (hub.store.dialect === 'postgres')
    log.info('PostgreSQL: due syncs are queued for `defender-hub worker` processes; start at least one.');
  return {
    url,
    async stop() {
      await scheduler.stop();
      await server.close();
    },
  };
}
