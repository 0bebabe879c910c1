import { describe, expect, it } from 'vitest';
import {
  createDefenderClient,
  DefenderErrorCode,
  DefenderPermissionError,
  HuntingQueryError,
  HuntingQuotaError,
  RateGovernor,
  type DefenderClient,
  type DefenderError,
} from '../../src/defender/index.js';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import type { SimulatorStats, TruthSummary } from '../../src/simulator/index.js';
import { simGet, simPost, simulatorConfig, useSimulator } from '../support/simulator.js';

// Over 100,000 vulnerability rows, so the result-size cap can be passed for real.
const sim = await useSimulator({ machines: 2500, seed: 81 });
const BY_PLATFORM = 'DeviceInfo | summarize Devices = count() by OSPlatform';
const GRAPH_ROUTE = 'POST /v1.0/security/runHuntingQuery';
const MDE_ROUTE = 'POST /api/advancedqueries/run';

/** A fresh client (and so fresh tokens, carrying the roles granted now), closed after `use`. */
async function withClient<T>(
  use: (client: DefenderClient) => Promise<T>,
  options: Parameters<typeof createDefenderClient>[1] = {},
): Promise<T> {
  const client = createDefenderClient(simulatorConfig(sim), options);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

async function failure(run: () => Promise<unknown>): Promise<DefenderError> {
  try {
    await run();
  } catch (error) {
    return error as DefenderError;
  }
  throw new Error('expected the hunting call to fail');
}

/** The error as the class it must be (the assertion fails otherwise). */
function as<T>(error: unknown, type: abstract new (...args: never[]) => T): T {
  expect(error).toBeInstanceOf(type);
  if (!(error instanceof type)) throw new Error('unexpected error class');
  return error;
}

async function routeCalls(): Promise<Record<string, Record<string, number>>> {
  const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
  return stats.requests.byRoute;
}

async function withRoles<T>(roles: readonly string[], use: () => Promise<T>): Promise<T> {
  await simPost(sim, '/_sim/control', { roles });
  try {
    return await use();
  } finally {
    await simPost(sim, '/_sim/control', { roles: null });
  }
}

function platformCounts(results: readonly Record<string, unknown>[]): Record<string, unknown> {
  return Object.fromEntries(results.map((r) => [String(r.OSPlatform), r.Devices]));
}

describe('hunting client', () => {
  it('should run the query on Graph, counted in the hunting class', async () => {
    await simPost(sim, '/_sim/reset-stats', {});
    const governor = new RateGovernor();
    const result = await withClient((client) => client.hunting.run(BY_PLATFORM, { timespan: 'P3650D' }), {
      governor,
    });
    expect(result.source).toBe('graph');
    expect(result.schema).toEqual([
      { name: 'OSPlatform', type: 'String' },
      { name: 'Devices', type: 'Int64' },
    ]);
    const summary = await simGet<TruthSummary>(sim, '/_sim/truth/summary');
    expect(platformCounts(result.results)).toEqual(summary.byPlatform);
    expect(governor.usage('hunting')[0]).toMatchObject({ used: 1, limit: 45 });
    const calls = await routeCalls();
    expect(calls[GRAPH_ROUTE]).toEqual({ '200': 1 });
    expect(calls[MDE_ROUTE]).toBeUndefined();
  });

  it('should fall back to the MDE API when the app lacks ThreatHunting.Read.All, with the same result', async () => {
    const viaGraph = await withClient((client) => client.hunting.run(BY_PLATFORM));
    await simPost(sim, '/_sim/reset-stats', {});
    const viaMde = await withRoles(
      ALL_ROLES.filter((r) => r !== 'ThreatHunting.Read.All'),
      () => withClient((client) => client.hunting.run(BY_PLATFORM)),
    );
    expect(viaMde.source).toBe('mde');
    expect(viaMde.schema).toEqual(viaGraph.schema);
    expect(viaMde.results).toEqual(viaGraph.results);
    const calls = await routeCalls();
    expect(calls[GRAPH_ROUTE]).toEqual({ '403': 1 });
    expect(calls[MDE_ROUTE]).toEqual({ '200': 1 });
  });

  it('should not fall back when told not to, or when a timespan only Graph can apply is asked for', async () => {
    await withRoles(
      ALL_ROLES.filter((r) => r !== 'ThreatHunting.Read.All'),
      async () => {
        await simPost(sim, '/_sim/reset-stats', {});
        const refused = await failure(() =>
          withClient((client) => client.hunting.run(BY_PLATFORM, { fallbackToMde: false })),
        );
        expect(refused).toBeInstanceOf(DefenderPermissionError);
        expect(as(refused, DefenderPermissionError).requiredRoles).toEqual(['ThreatHunting.Read.All']);
        const timespan = await failure(() =>
          withClient((client) => client.hunting.run(BY_PLATFORM, { timespan: 'P7D' })),
        );
        expect(timespan.code).toBe(DefenderErrorCode.PermissionMissing);
        expect(timespan.message).toMatch(/ThreatHunting\.Read\.All .* takes no timespan/);
        expect((await routeCalls())[MDE_ROUTE]).toBeUndefined();
      },
    );
  });

  it('should name both hunting permissions when the app has neither', async () => {
    const error = await withRoles(
      ALL_ROLES.filter((r) => r !== 'ThreatHunting.Read.All' && r !== 'AdvancedQuery.Read.All'),
      () => failure(() => withClient((client) => client.hunting.run(BY_PLATFORM))),
    );
    expect(error).toBeInstanceOf(DefenderPermissionError);
    expect(error.code).toBe(DefenderErrorCode.PermissionMissing);
    const permission = as(error, DefenderPermissionError);
    expect(permission.requiredRoles).toEqual(['ThreatHunting.Read.All', 'AdvancedQuery.Read.All']);
    expect(permission.grantedRoles).toContain('Machine.Read.All');
    expect(permission.grantedRoles).toContain('SecurityAlert.Read.All');
    expect(error.message).toMatch(/ThreatHunting\.Read\.All .* AdvancedQuery\.Read\.All/);
    expect(error.message).toContain(sim.clientId);
  });

  it('should keep the service message and position of a refused query', async () => {
    const error = await failure(() =>
      withClient((client) =>
        client.hunting.run('DeviceInfo\n| where OSPlatform == "Windows11"\n| extend x = 1'),
      ),
    );
    expect(error).toBeInstanceOf(HuntingQueryError);
    expect(error.code).toBe(DefenderErrorCode.HuntingQueryInvalid);
    const query = as(error, HuntingQueryError);
    expect(query.status).toBe(400);
    expect(query.serviceMessage).toMatch(/does not support the 'extend' operator/);
    expect([query.line, query.column]).toEqual([3, 3]);
    expect(error.message).toMatch(/^The hunting service refused the query: .*'extend'.* Fix the query/);
    const empty = await failure(() => withClient((client) => client.hunting.run('  ')));
    expect(empty.code).toBe(DefenderErrorCode.HuntingQueryInvalid);
  });

  it('should say when the result is over the size cap', async () => {
    const error = await failure(() =>
      withClient((client) =>
        client.hunting.run('DeviceTvmSoftwareVulnerabilities | project DeviceId, CveId'),
      ),
    );
    expect(error.code).toBe(DefenderErrorCode.HuntingResultTooLarge);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/exceeded the allowed result size/);
    expect(error.message).toMatch(/take N/);
  });

  it('should report the CPU quota at once, without retrying', async () => {
    await simPost(sim, '/_sim/hunting', { cpuRowsPerMinute: 10 });
    try {
      await simPost(sim, '/_sim/reset-stats', {});
      const error = await withClient(async (client) => {
        await client.hunting.run('DeviceInfo | count');
        return failure(() => client.hunting.run('DeviceInfo | count'));
      });
      expect(error).toBeInstanceOf(HuntingQuotaError);
      expect(error.code).toBe(DefenderErrorCode.HuntingQuotaExceeded);
      expect(as(error, HuntingQuotaError).quota).toBe('cpu');
      expect(as(error, HuntingQuotaError).retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(error.message).toMatch(/CPU quota/);
      expect((await routeCalls())[GRAPH_ROUTE]).toEqual({ '200': 1, '429': 1 });
    } finally {
      await simPost(sim, '/_sim/hunting', { cpuRowsPerMinute: null });
    }
  });

  it('should report the call quota once the retries give up', async () => {
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: '429', path: '/v1.0/security/runHuntingQuery', count: 2 }],
    });
    try {
      await simPost(sim, '/_sim/reset-stats', {});
      const error = await failure(() =>
        withClient((client) => client.hunting.run('DeviceInfo | count'), {
          tuning: { retry: { maxAttempts: 2, baseDelayMs: 10 } },
        }),
      );
      expect(error).toBeInstanceOf(HuntingQuotaError);
      expect(as(error, HuntingQuotaError).quota).toBe('calls');
      expect(error.message).toMatch(/45 queries a minute/);
      expect((await routeCalls())[GRAPH_ROUTE]).toEqual({ '429': 2 });
    } finally {
      await simPost(sim, '/_sim/faults', { clear: true });
    }
  });
});
