import { IntegrationService } from '../integrations/integration-service.js';
import { SyncService } from '../sync/sync-service.js';
import { ProfileService } from '../profiles/profile-service.js';
import { StrategyService } from '../strategies/strategy-service.js';
import { ActionService, type ActionServiceOptions } from '../actions/action-service.js';
import { HuntingService } from '../hunting/hunting-service.js';
import { SecretBox, openSecretBox } from '../secrets/secret-box.js';
import { AuthService } from '../auth/auth-service.js';
import type { DefenderClientTuning } from '../defender/config.js';
import type { HubConfig } from './config.js';
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
  close(): Promise<void>;
}

/** Opens the store, brings its schema up to date, and wires the services. */
export async function openHub(
  config: HubConfig,
  options: { tuning?: DefenderClientTuning; schema?: string; actions?: ActionServiceOptions } = {},
): Promise<Hub> {
  const data = await createStore(
    config.databaseUrl,
    options.schema === undefined ? {} : { schema: options.schema },
  );
  const secrets = openSecretBox({ secretKey: config.secretKey, dataDir: config.dataDir });
  const services = hubServices(data, secrets, options.tuning, options.actions);
  const auth = new AuthService(data, {
    ...(config.sessionIdleMinutes === undefined ? {} : { idleMinutes: config.sessionIdleMinutes }),
    ...(config.sessionMaxHours === undefined ? {} : { maxHours: config.sessionMaxHours }),
  });
  return {
    config,
    data,
    ...services,
    auth,
    close: async () => {
      // Tracking stops with the hub; the next machine actions sync brings the states up to date.
      await services.actions.settle({ stop: true });
      await data.close();
    },
  };
}

/** The services over a store's repositories, wired to each other (an integration's OS profiles follow its enabled state). */
export function hubServices(
  repos: Repositories,
  secrets: SecretBox,
  tuning?: DefenderClientTuning,
  actionOptions?: ActionServiceOptions,
): Pick<Hub, 'integrations' | 'profiles' | 'strategies' | 'sync' | 'actions' | 'hunting'> {
  const profiles = new ProfileService(repos.profiles, repos.integrations);
  const integrations = new IntegrationService(repos.integrations, secrets, {
    enabledChanged: (id, enabled) => profiles.integrationEnabled(id, enabled),
  });
  const sync = new SyncService(repos, integrations, profiles, tuning === undefined ? {} : { tuning });
  return {
    integrations,
    profiles,
    strategies: new StrategyService(repos.strategies),
    sync,
    actions: new ActionService(repos, integrations, actionOptions),
    hunting: new HuntingService(integrations, repos, tuning === undefined ? {} : { tuning }),
  };
}
