import { afterAll } from 'vitest';
import { SecretBox } from '../../src/secrets/secret-box.js';
import { createRepositories, type Repositories } from '../../src/store/repositories.js';
import type { IntegrationService } from '../../src/integrations/integration-service.js';
import type { SyncService } from '../../src/sync/sync-service.js';
import type { ProfileService } from '../../src/profiles/profile-service.js';
import type { StrategyService } from '../../src/strategies/strategy-service.js';
import { hubServices } from '../../src/app/hub.js';
import type { Integration } from '../../src/domain/integration.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { freshStore, type TestDialect } from './stores.js';
import type { Store } from '../../src/store/db/database.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';

export interface TestHub {
  readonly data: Repositories;
  /** The connection, for tests that look at the tables themselves. */
  readonly db: Store['db'];
  readonly integrations: IntegrationService;
  readonly profiles: ProfileService;
  readonly strategies: StrategyService;
  readonly sync: SyncService;
}

/** The hub's services over a fresh store of the dialect, torn down after the test file. */
export async function useHub(dialect: TestDialect): Promise<TestHub> {
  const { store, dispose } = await freshStore(dialect);
  afterAll(dispose);
  return hubOn(store);
}

/** The hub's services over a store the caller opened (and closes). */
/**
 * The simulator runs with its limits off unless a test turns them on: the hub's budget is scaled up to match, so
 * a test that is not about the budget never waits out Microsoft's per-minute windows. Tests of the budget use
 * Microsoft's figures (limitScale 1).
 */
export const testGovernor = { limitScale: 100 } as const;

export function hubOn(store: Store): TestHub {
  const repos = createRepositories(store);
  // Quick retries: tests that break the service on purpose should not wait minutes of back-off.
  return {
    data: repos,
    db: store.db,
    ...hubServices(repos, new SecretBox(Buffer.alloc(32, 7)), {
      tuning: { retry: { maxAttempts: 3, baseDelayMs: 20 }, governor: testGovernor },
    }),
  };
}

export function addSimulatorIntegration(
  hub: Pick<TestHub, 'integrations'>,
  sim: RunningSimulator,
  name = 'simulated',
): Promise<Integration> {
  return hub.integrations.create(simulatorIntegrationSettings(sim, name));
}
