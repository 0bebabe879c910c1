import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi } from '../server/api-harness.js';
import { isMobileOrIotPlatform } from '../../src/domain/device-platforms.js';
import type { TruthMachine } from '../../src/simulator/index.js';

interface Endpoint {
  id: number;
  machineId: string;
  osPlatform: string | null;
  onboardingStatus: string | null;
  healthStatus: string | null;
}
interface Outcome {
  endpointId: number;
  ok: boolean;
  error: { code: string; message: string } | null;
}
interface ErrorAnswer {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface Filters {
  dropMobileAndIot: boolean;
  onboardingStatuses: string[];
  deviceGroups: string[];
  tags: string[];
}

/** Phone and tablet spellings the simulator writes besides iOS and Android. */
const mobileSpellings = ['AndroidEnterprise', 'Fire OS'];

describe.each(dialects)('devices that are not endpoints, on %s', (dialect) => {
  it('should drop Fire OS, Android Enterprise and the other mobile and IoT devices by default, and import them when told', async () => {
    const sim = await useSimulator({ machines: 200, seed: 53, findingsPerMachine: 1 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const truth = await simGet<TruthMachine[]>(sim, '/_sim/truth/machines');
    for (const spelling of [...mobileSpellings, 'Android', 'iOS'])
      expect(
        truth.filter((m) => m.osPlatform === spelling).length,
        `the tenant has ${spelling} devices`,
      ).toBeGreaterThan(0);
    const mobileOrIot = truth.filter((m) => isMobileOrIotPlatform(m.osPlatform));

    const run = await api.hub.sync.runDataset(integration.id, 'machines');
    expect(run.skippedReasons).toMatchObject({ 'mobile or IoT platform': mobileOrIot.length });
    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const imported = new Set(endpoints.map((e) => e.machineId));
    expect(mobileOrIot.filter((m) => imported.has(m.id))).toEqual([]);

    // Kept through the API: the next machines run imports them (those with a DNS name and an IP).
    const kept = await api.call<{ filters: Filters }>('PATCH', `/api/v1/integrations/${integration.id}`, {
      filters: { dropMobileAndIot: false },
    });
    expect(kept.status).toBe(200);
    expect(kept.body.filters).toEqual({
      dropMobileAndIot: false,
      onboardingStatuses: [],
      deviceGroups: [],
      tags: [],
    });
    const again = await api.hub.sync.runDataset(integration.id, 'machines');
    expect(again.skippedReasons).not.toHaveProperty(['mobile or IoT platform']);
    const platforms = new Set((await allPages<Endpoint>(api, '/api/v1/endpoints')).map((e) => e.osPlatform));
    for (const spelling of mobileSpellings) expect(platforms).toContain(spelling);
  });

  it('should import devices Defender only discovered and refuse every action on one with ACTION_DEVICE_NOT_ONBOARDED', async () => {
    const sim = await useSimulator({ machines: 200, seed: 53, findingsPerMachine: 1, retryAfterSeconds: 0 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.runDataset(integration.id, 'machines');
    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const discovered = endpoints.filter((e) => e.onboardingStatus !== 'Onboarded');
    expect(discovered.length, 'discovered-only devices are imported by default').toBeGreaterThan(0);
    const truth = new Map(
      (await simGet<TruthMachine[]>(sim, '/_sim/truth/machines')).map((m) => [m.id, m.onboardingStatus]),
    );
    for (const e of discovered) expect(truth.get(e.machineId)).toBe(e.onboardingStatus);
    const target = discovered[0]!;
    const sentBefore = (await simGet<unknown[]>(sim, '/_sim/truth/machine-actions')).length;

    for (const body of [
      { type: 'scan', comment: 'look' },
      { type: 'isolate', comment: 'contain' },
      { type: 'release', comment: 'free' },
      { type: 'collectInvestigationPackage', comment: 'forensics' },
      { type: 'isolate', comment: 'what if', dryRun: true },
    ]) {
      const refused = await api.call<ErrorAnswer>('POST', `/api/v1/endpoints/${target.id}/actions`, body);
      expect(refused.status, body.type).toBe(409);
      expect(refused.body.error.code).toBe('ACTION_DEVICE_NOT_ONBOARDED');
      expect(refused.body.error.message).toContain(`onboarding status ${target.onboardingStatus ?? ''}`);
      expect(refused.body.error.details).toEqual({
        endpointId: target.id,
        onboardingStatus: target.onboardingStatus,
      });
    }
    // A bulk request answers it per endpoint: the onboarded one is still sent.
    const onboarded = endpoints.find(
      (e) => e.onboardingStatus === 'Onboarded' && e.healthStatus === 'Active',
    );
    const bulk = await api.call<{ items: Outcome[] }>('POST', '/api/v1/actions/bulk', {
      type: 'scan',
      comment: 'sweep',
      endpointIds: [target.id, onboarded!.id],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.items.map((o) => [o.endpointId, o.ok, o.error?.code ?? null])).toEqual([
      [target.id, false, 'ACTION_DEVICE_NOT_ONBOARDED'],
      [onboarded!.id, true, null],
    ]);
    // Nothing reached Defender for the discovered device.
    expect((await simGet<unknown[]>(sim, '/_sim/truth/machine-actions')).length).toBe(sentBefore + 1);
  });

  it('should take the filters through the API, checked, and change one without resetting the others', async () => {
    const sim = await useSimulator({ machines: 200, seed: 53, findingsPerMachine: 1 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const path = `/api/v1/integrations/${integration.id}`;
    const set = await api.call<{ filters: Filters }>('PATCH', path, {
      filters: { dropMobileAndIot: false, tags: [' VIP ', 'VIP', 'Finance'], deviceGroups: ['Mobile'] },
    });
    expect(set.body.filters).toEqual({
      dropMobileAndIot: false,
      onboardingStatuses: [],
      deviceGroups: ['Mobile'],
      tags: ['VIP', 'Finance'],
    });
    // One filter changed: the others stay as they were (no default resets them).
    const one = await api.call<{ filters: Filters }>('PATCH', path, {
      filters: { onboardingStatuses: ['onboarded'] },
    });
    expect(one.body.filters).toEqual({
      dropMobileAndIot: false,
      onboardingStatuses: ['Onboarded'],
      deviceGroups: ['Mobile'],
      tags: ['VIP', 'Finance'],
    });
    const wrong = await api.call<ErrorAnswer>('PATCH', path, {
      filters: { onboardingStatuses: ['Onbaorded'], tags: [''] },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_INPUT');
    expect(wrong.body.error.message).toBe(
      'filters.onboardingStatuses.0: "Onbaorded" is not an onboarding status Defender reports; use Onboarded, ' +
        'CanBeOnboarded, Unsupported, InsufficientInfo (none: every status). filters.tags.0: is empty; give a ' +
        'name or leave it out.',
    );
    // Emptied lists keep every group and tag; the onboarded-only filter drops the discovered devices.
    const cleared = await api.call<{ filters: Filters }>('PATCH', path, {
      filters: { deviceGroups: [], tags: [] },
    });
    expect(cleared.body.filters).toEqual({
      dropMobileAndIot: false,
      onboardingStatuses: ['Onboarded'],
      deviceGroups: [],
      tags: [],
    });
    const run = await api.hub.sync.runDataset(integration.id, 'machines');
    expect(run.skippedReasons).toHaveProperty(['filtered onboarding status']);
    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
    expect(endpoints.length).toBe(run.upserted);
    expect(endpoints.length).toBeGreaterThan(0);
    expect(endpoints.filter((e) => e.onboardingStatus !== 'Onboarded')).toEqual([]);
  });
});
