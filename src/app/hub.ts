import { IntegrationService } from '../integrations/integration-service.js';
import { SyncService } from '../sync/sync-service.js';
import { ProfileService } from '../profiles/profile-service.js';
import { StrategyService } from '../strategies/strategy-service.js';
import { ActionService, type ActionServiceOptions } from '../actions/action-service.js';
import { HuntingService } from '../hunting/hunting-service.js';
import { SecretBox, openSecretBox } from '../secrets/secret-box.js';
import { AuthService } from '../auth/auth-service.js';
import { HubMetrics } from '../metrics/hub-metrics.js';
import type { DefenderClientTuning } from '../defender/config.js';
import { ApiBudgets } from '../defender/api-budgets.js';
import type { HubConfig } from './config.js';
import { defaultRetention, type RetentionPeriods } from './retention.js';
import { SyncJobQueue, jobSchemaBeside, type JobQueueTuning } from '../jobs/sync-job-queue.js';
import { createStore, type HubData, type Repositories } from '../store/index.js';

/** The hub's services over one store: what the server, the CLI and the scheduler share. */
export interface Hub {
  readonly config: HubConfig;
  /** Every feature's data, bound to the database: what the services and the thin adapters read. */
  readonly data: HubData;
  readonly integrations: IntegrationService;
  readonly profiles: ProfileService;
  readonly strategies: StrategyService;
  readonly sync: SyncService;
  readonly actions: ActionService;
  readonly hunting: HuntingService;
  readonly auth: AuthService;
  /** Its Prometheus metrics: `GET /metrics` of the server, `--metrics-port` of a worker. */
  readonly metrics: HubMetrics;
  /** PostgreSQL: the sync jobs that `worker` processes share (pg-boss starts on first use). */
  readonly jobs: SyncJobQueue | undefined;
  close(): Promise<void>;
}

/** Opens the store, brings its schema up to date, and wires the services. */
export async function openHub(
  config: HubConfig,
  options: {
    tuning?: DefenderClientTuning;
    schema?: string;
    actions?: ActionServiceOptions;
    jobs?: JobQueueTuning;
  } = {},
): Promise<Hub> {
  const data = await createStore(
    config.databaseUrl,
    options.schema === undefined ? {} : { schema: options.schema },
  );
  const secrets = openSecretBox({ secretKey: config.secretKey, dataDir: config.dataDir });
  const services = hubServices(data, secrets, {
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    ...(options.actions === undefined ? {} : { actions: options.actions }),
    ...(config.retention === undefined ? {} : { retention: config.retention }),
  });
  const auth = new AuthService(data, {
    ...(config.sessionIdleMinutes === undefined ? {} : { idleMinutes: config.sessionIdleMinutes }),
    ...(config.sessionMaxHours === undefined ? {} : { maxHours: config.sessionMaxHours }),
  });
  const jobs =
    data.postgres === undefined
      ? undefined
      : new SyncJobQueue({
          connectionString: config.databaseUrl,
          schema: jobSchemaBeside(data.postgres.schema),
          carried: data.postgres.carriedJobs,
          tuning: { ...config.jobs, ...options.jobs },
        });
  if (jobs !== undefined)
    services.metrics.observeQueue({ depth: () => jobs.depth(), activeWorkers: () => jobs.activeWorkers() });
  return {
    config,
    data,
    ...services,
    auth,
    jobs,
    close: async () => {
      // Tracking stops with the hub; the next machine actions sync brings the states up to date.
      await services.actions.settle({ stop: true });
      await jobs?.close();
      await data.close();
    },
  };
}

/** The services over a store's repositories, wired to each other (an integration's OS profiles follow its enabled state). */
export function hubServices(
  repos: Repositories,
  secrets: SecretBox,
  options: {
    tuning?: DefenderClientTuning;
    actions?: ActionServiceOptions;
    retention?: RetentionPeriods;
  } = {},
): Pick<Hub, 'integrations' | 'profiles' | 'strategies' | 'sync' | 'actions' | 'hunting' | 'metrics'> {
  const { tuning, actions: actionOptions, retention = defaultRetention } = options;
  const profiles = new ProfileService(repos.profiles, repos.integrations);
  // One budget per tenant app for every client the services make; on PostgreSQL, shared with every other process.
  const budgets = new ApiBudgets({ ledger: repos.apiCalls, governor: tuning?.governor });
  const integrations = new IntegrationService(
    repos.integrations,
    secrets,
    { enabledChanged: (id, enabled) => profiles.integrationEnabled(id, enabled) },
    budgets,
  );
  const metrics = new HubMetrics();
  metrics.observeCredentials(integrations);
  const sync = new SyncService(repos, integrations, profiles, {
    ...(tuning === undefined ? {} : { tuning }),
    observer: metrics,
  });
  return {
    integrations,
    profiles,
    strategies: new StrategyService(repos.strategies),
    sync,
    actions: new ActionService(repos, integrations, actionOptions, { onCall: metrics.apiCall }),
    hunting: new HuntingService(integrations, repos, {
      ...(tuning === undefined ? {} : { tuning }),
      onCall: metrics.apiCall,
      resultRetentionMs: retention.huntingResultsHours * 3_600_000,
    }),
    metrics,
  };
}
