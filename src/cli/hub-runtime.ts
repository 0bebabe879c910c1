import type { Hub } from '../app/hub.js';
import { Scheduler, type SchedulerLogger } from '../app/scheduler.js';
import { Retention } from '../app/retention.js';
import { HubError } from '../errors.js';
import { buildServer } from '../server/build-server.js';
import type { HubLogSettings } from '../secrets/log-redaction.js';

export interface HubRuntime {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** Starts the scheduler when `deferScheduler` held it back; does nothing once stopped or started. */
  startScheduler(): Promise<void>;
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
    /**
     * Serve at once but schedule nothing until `startScheduler()`: the demo runs its first catalog syncs itself,
     * and a scheduler started beside them would find the same datasets due and start them a second time.
     */
    deferScheduler?: boolean;
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
    ...(hub.jobs === undefined ? {} : { queue: hub.jobs }),
  });
  let starting: Promise<void> | undefined;
  let stopped = false;
  const startScheduler = (): Promise<void> => {
    if (!stopped) starting ??= scheduler.start();
    return starting ?? Promise.resolve();
  };
  if (options.deferScheduler !== true) await startScheduler();
  const retention = new Retention(hub.data, hub.config.retention);
  retention.start(
    (pruned) => {
      if (pruned.syncRuns + pruned.auditLog + pruned.huntingResults > 0)
        log.info(
          `retention: pruned ${pruned.syncRuns} sync run(s), ${pruned.auditLog} audit entr(ies), ${pruned.huntingResults} hunting result(s)`,
        );
    },
    (error) => {
      log.error(`retention: a pass failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  if (hub.jobs !== undefined)
    log.info('PostgreSQL: due syncs are queued for `defender-hub worker` processes; start at least one.');
  return {
    url,
    startScheduler,
    async stop() {
      stopped = true;
      await retention.stop();
      // A start under way finishes first, so the stop below also stops what it started.
      await starting?.catch(() => undefined);
      await scheduler.stop();
      await server.close();
    },
  };
}
