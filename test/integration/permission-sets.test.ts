import { describe, expect, it } from 'vitest';
import type { SimulatorStats, TruthAlert } from '../../src/simulator/index.js';
import { integrationStatuses } from '../../src/app/integration-status.js';
import { testSavedIntegration } from '../../src/integrations/connection-test.js';
import { features, type Feature } from '../../src/domain/permissions.js';
import { dialects } from '../support/stores.js';
import { addSimulatorIntegration, useHub, type TestHub } from '../support/hub.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import {
  assetAndVulnerability,
  endpointAnalytics,
  patchTool,
  securityPlatform,
} from '../support/permission-sets.js';

/**
 * The permission sets adopters bring, each granted exactly by the simulator, against an integration that imports
 * everything (the defaults): what the app may read is read, what it may not is "not permitted", never failed.
 */
interface PermissionSet {
  readonly name: string;
  readonly roles: readonly string[];
  readonly seed: number;
  /** The datasets whose runs are not permitted at all. */
  readonly notPermittedRuns: readonly string[];
  /** Every feature not read, in table order (a run may read one of its features and not the other). */
  readonly notPermitted: readonly Feature[];
  readonly label: string;
  /** The alert and incident lists the connection test reads: through the source a sync would use. */
  readonly activityRoutes: readonly string[];
}

const activityRoutes = [
  'GET /v1.0/security/alerts_v2',
  'GET /api/alerts',
  'GET /v1.0/security/incidents',
  'GET /api/incidents',
];

const sets: readonly PermissionSet[] = [
  {
    name: 'patch tool',
    roles: patchTool,
    seed: 81,
    notPermittedRuns: [
      'machines',
      'alerts',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ],
    notPermitted: [
      'assets',
      'software',
      'recommendations',
      'exposureScore',
      'alerts',
      'incidents',
      'machineActions',
      'entraDevices',
    ],
    label:
      'Connected — limited: assets need Machine.Read.All; software needs Software.Read.All; recommendations need ' +
      'SecurityRecommendation.Read.All; exposure score needs Score.Read.All; alerts need Alert.Read.All or ' +
      'SecurityAlert.Read.All; incidents need Incident.Read.All or SecurityIncident.Read.All; machine actions ' +
      'need Machine.Read.All; Entra devices need Device.Read.All',
    activityRoutes: [],
  },
  {
    name: 'asset and vulnerability',
    roles: assetAndVulnerability,
    seed: 82,
    notPermittedRuns: ['alerts', 'incidents', 'software', 'recommendations', 'entraDevices'],
    notPermitted: ['software', 'recommendations', 'exposureScore', 'alerts', 'incidents', 'entraDevices'],
    label:
      'Connected — limited: software needs Software.Read.All; recommendations need SecurityRecommendation.Read.All; ' +
      'exposure score needs Score.Read.All; alerts need Alert.Read.All or SecurityAlert.Read.All; incidents need ' +
      'Incident.Read.All or SecurityIncident.Read.All; Entra devices need Device.Read.All',
    activityRoutes: [],
  },
  {
    name: 'endpoint analytics',
    roles: endpointAnalytics,
    seed: 83,
    notPermittedRuns: ['incidents', 'recommendations', 'entraDevices'],
    notPermitted: ['recommendations', 'exposureScore', 'incidents', 'entraDevices'],
    label:
      'Connected — limited: recommendations need SecurityRecommendation.Read.All; exposure score needs ' +
      'Score.Read.All; incidents need Incident.Read.All or SecurityIncident.Read.All; Entra devices need ' +
      'Device.Read.All',
    activityRoutes: ['GET /api/alerts'],
  },
  {
    name: 'security platform',
    roles: securityPlatform,
    seed: 84,
    // The recommendations run reads the exposure score (Score.Read.All) and not the recommendations.
    notPermittedRuns: [],
    notPermitted: ['recommendations'],
    label: 'Connected — limited: recommendations need SecurityRecommendation.Read.All',
    activityRoutes: ['GET /api/alerts', 'GET /api/incidents'],
  },
];

async function statusOf(hub: TestHub, id: string) {
  const [status] = await integrationStatuses(hub.integrations, hub.data.syncRuns, id);
  return status;
}

describe.each(dialects)('permission sets on %s', (dialect) => {
  describe.each(sets)('the $name set', (set) => {
    it('should test as limited, read what it may and mark the rest not permitted, never failing', async () => {
      const sim = await useSimulator({
        machines: 120,
        seed: set.seed,
        findingsPerMachine: 2,
        roles: [...set.roles],
      });
      const hub = await useHub(dialect);
      const integration = await addSimulatorIntegration(hub, sim);

      const tested = await testSavedIntegration(hub.integrations, integration.id);
      expect(tested.ok, JSON.stringify(tested.steps)).toBe(true);
      expect(tested.label).toBe(set.label);
      expect(tested.notPermitted).toEqual(set.notPermitted);
      const { byRoute } = (await simGet<SimulatorStats>(sim, '/_sim/stats')).requests;
      expect(activityRoutes.filter((route) => byRoute[route] !== undefined)).toEqual(set.activityRoutes);
      for (const step of tested.steps.filter((s) => s.code === 'TEST_STEP_NOT_PERMITTED'))
        expect(step.message).toMatch(/^Not permitted, not read: /);
      // The permission table: every feature, granted exactly where one of its permissions is.
      expect(tested.permissions.map((p) => p.feature)).toEqual([...features]);
      for (const row of tested.permissions.filter((p) => p.feature !== 'cloudPosture'))
        expect(row.granted, row.feature).toBe(
          row.sources.some((s) => s.permissions.some((p) => set.roles.includes(p.name))),
        );

      const runs = await hub.sync.syncIntegration(integration.id);
      const failed = runs.filter((r) => r.status === 'failed');
      expect(failed.map((r) => `${r.dataset}: ${r.errorMessage ?? ''}`)).toEqual([]);
      expect(runs.filter((r) => r.status === 'notPermitted').map((r) => r.dataset)).toEqual(
        set.notPermittedRuns,
      );
      for (const run of runs.filter((r) => r.status === 'notPermitted')) {
        expect(run.errorCode).toBe('SYNC_NOT_PERMITTED');
        expect(run.apiCalls, `${run.dataset} made no API call`).toBe(0);
      }

      const status = await statusOf(hub, integration.id);
      expect(status?.state).toBe('limited');
      expect(status?.label).toBe(set.label);
      expect(status?.notPermitted).toEqual(set.notPermitted);
      expect(status?.limits.map((l) => l.feature)).toEqual(set.notPermitted);
      expect(status?.limits.every((l) => l.enables.length > 0 && l.accepted.length > 0)).toBe(true);
    });
  });

  it('should read alerts through /api/alerts with the endpoint-analytics set, equal to the truth', async () => {
    const sim = await useSimulator({
      machines: 100,
      seed: 85,
      findingsPerMachine: 1,
      roles: endpointAnalytics,
    });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    await hub.sync.runDataset(integration.id, 'alerts');
    const truth = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    const stored = await hub.db.selectFrom('alerts').select(['alert_id', 'source']).execute();
    expect(stored.map((a) => a.alert_id).sort()).toEqual(truth.map((a) => a.id).sort());
    expect(new Set(stored.map((a) => a.source))).toEqual(new Set(['mde']));
  });

  it('should keep what was stored when a permission is revoked, and resume from the cursor once granted back', async () => {
    const sim = await useSimulator({
      machines: 150,
      seed: 86,
      findingsPerMachine: 1,
      roles: endpointAnalytics,
    });
    const hub = await useHub(dialect);
    const integration = await addSimulatorIntegration(hub, sim);
    expect((await hub.sync.runDataset(integration.id, 'machines')).status).toBe('succeeded');
    expect((await hub.sync.runDataset(integration.id, 'alerts')).status).toBe('succeeded');
    const endpoints = async () =>
      hub.db.selectFrom('endpoints').select(['machine_id', 'stale']).orderBy('machine_id').execute();
    const alerts = async () =>
      hub.db.selectFrom('alerts').select(['alert_id', 'last_update_raw']).orderBy('alert_id').execute();
    const storedEndpoints = await endpoints();
    const storedAlerts = await alerts();
    const cursor = await hub.data.cursors.get(integration.id, 'alerts');
    expect(storedAlerts.length).toBeGreaterThan(10);

    // Revoked between two syncs: the runs are not permitted, nothing stored goes, the cursor stays.
    const revoked = ['Machine.Read.All', 'Machine.ReadWrite.All', 'Alert.Read.All', 'Alert.ReadWrite.All'];
    await simPost(sim, '/_sim/control', { roles: endpointAnalytics.filter((r) => !revoked.includes(r)) });
    await simPost(sim, '/_sim/advance', { hours: 12 });
    const machinesRun = await hub.sync.runDataset(integration.id, 'machines');
    const alertsRun = await hub.sync.runDataset(integration.id, 'alerts');
    expect([machinesRun.status, alertsRun.status]).toEqual(['notPermitted', 'notPermitted']);
    expect(alertsRun.errorMessage).toMatch(
      /^Not permitted: alerts need Alert\.Read\.All or SecurityAlert\.Read\.All/,
    );
    expect(await endpoints()).toEqual(storedEndpoints);
    expect(await alerts()).toEqual(storedAlerts);
    expect(await hub.data.cursors.get(integration.id, 'alerts')).toBe(cursor);
    const limited = await statusOf(hub, integration.id);
    expect(limited?.state).toBe('limited');
    expect(limited?.label).toBe(
      'Connected — limited: assets need Machine.Read.All; alerts need Alert.Read.All or SecurityAlert.Read.All',
    );

    // Granted back: the alerts read resumes from the stored cursor (less its overlap), not from the start.
    await simPost(sim, '/_sim/control', { roles: endpointAnalytics });
    const resumed = await hub.sync.runDataset(integration.id, 'alerts');
    expect([resumed.status, resumed.errorCode]).toEqual(['succeeded', null]);
    const truth = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
    const since = new Date(Date.parse(cursor!) - 10 * 60_000).toISOString().replace(/Z$/, '0000Z');
    expect(resumed.recordsIn).toBe(truth.filter((a) => a.lastUpdateDateTime >= since).length);
    expect(resumed.recordsIn).toBeLessThan(truth.length);
    expect(resumed.completeness).toContain(`from ${cursor}`);
    expect((await alerts()).map((a) => a.alert_id)).toEqual(truth.map((a) => a.id).sort());
    expect((await hub.sync.runDataset(integration.id, 'machines')).status).toBe('succeeded');
    expect((await statusOf(hub, integration.id))?.state).toBe('connected');
  });
});
