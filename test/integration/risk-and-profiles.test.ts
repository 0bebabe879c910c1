import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi } from '../server/api-harness.js';
import {
  alertRisk,
  compareFindingExposure,
  endpointRiskLevel,
  findingExposureRisk,
} from '../../src/domain/endpoint-risk.js';
import { exposureLevelRisk, maxRisk, riskScoreRisk, type RiskLevel } from '../../src/domain/levels.js';
import { osProfiles } from '../../src/domain/os-profile.js';
import type { TruthAlert, TruthMachine } from '../../src/simulator/control.js';

interface Endpoint {
  id: number;
  machineId: string;
  osPlatform: string | null;
  riskScore: string | null;
  exposureLevel: string | null;
  riskLevel: RiskLevel;
  riskParts: { exposure: RiskLevel; alert: RiskLevel; riskScore: RiskLevel; exposureLevel: RiskLevel };
}
interface Page<T> {
  items: T[];
  total: number;
}
interface Profile {
  id: number;
  name: string;
  kind: string;
  integrationId: string | null;
  endpoints: number;
}
interface TruthFinding {
  cveId: string | null;
  vulnerabilitySeverityLevel: string | null;
  exploitabilityLevel: string | null;
  cvssScore: number | null;
}

type Sim = Awaited<ReturnType<typeof useSimulator>>;

const truthFindings = (sim: Sim, machineId: string) =>
  simGet<TruthFinding[]>(sim, `/_sim/truth/findings?machineId=${encodeURIComponent(machineId)}`);

/** Each endpoint's risk parts worked out from the simulator's truth, machine by machine. */
async function expectedRisk(sim: Sim, endpoints: readonly Endpoint[]) {
  const alerts = await simGet<TruthAlert[]>(sim, '/_sim/truth/alerts');
  const expected = new Map<string, { exposure: RiskLevel; alert: RiskLevel; level: RiskLevel }>();
  for (const endpoint of endpoints) {
    const findings = await truthFindings(sim, endpoint.machineId);
    const exposure = maxRisk(
      ...findings
        .filter((f) => f.cveId !== null)
        .map((f) => findingExposureRisk(f.vulnerabilitySeverityLevel, f.exploitabilityLevel)),
    );
    const alert = alertRisk(alerts.filter((a) => a.machineId === endpoint.machineId));
    const level = endpointRiskLevel({
      exposure,
      alert,
      riskScore: riskScoreRisk(endpoint.riskScore),
      exposureLevel: exposureLevelRisk(endpoint.exposureLevel),
    });
    expected.set(endpoint.machineId, { exposure, alert, level });
  }
  return expected;
}

const stored = (endpoints: readonly Endpoint[]) =>
  new Map(
    endpoints.map((e) => [
      e.machineId,
      { exposure: e.riskParts.exposure, alert: e.riskParts.alert, level: e.riskLevel },
    ]),
  );

describe.each(dialects)('endpoint risk and profiles on %s', (dialect) => {
  it('should rate every endpoint as its findings, alerts and Defender ratings say, and follow changes', async () => {
    const sim = await useSimulator({ machines: 120, seed: 83, findingsPerMachine: 8 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);

    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const before = await expectedRisk(sim, endpoints);
    expect(stored(endpoints)).toEqual(before);
    // The tenant must exercise the rule: several levels, and alerts as well as findings behind them.
    expect(new Set([...before.values()].map((r) => r.level)).size).toBeGreaterThan(2);
    expect([...before.values()].some((r) => r.alert !== 'None')).toBe(true);

    for (const level of ['None', 'Low', 'Medium', 'High', 'Critical'] as const) {
      const listed = await allPages<Endpoint>(api, `/api/v1/endpoints?riskLevel=${level.toLowerCase()}`);
      expect(listed.map((e) => e.machineId).sort()).toEqual(
        endpoints
          .filter((e) => e.riskLevel === level)
          .map((e) => e.machineId)
          .sort(),
      );
    }
    const severe = await allPages<Endpoint>(api, '/api/v1/endpoints?riskLevel=High,Critical');
    expect(severe.length).toBe(endpoints.filter((e) => ['High', 'Critical'].includes(e.riskLevel)).length);
    const bad = await api.call<{ error: { message: string } }>('GET', '/api/v1/endpoints?riskLevel=Severe');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('None, Low, Medium, High, Critical');

    await simPost(sim, '/_sim/advance', { hours: 72 });
    await api.hub.sync.syncIntegration(integration.id);
    const later = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const after = await expectedRisk(sim, later);
    expect(after).not.toEqual(before);
    expect(stored(later)).toEqual(after);
  });

  it("should show Defender's view of an endpoint: its worst vulnerability, the risk parts and portal links", async () => {
    const sim = await useSimulator({ machines: 60, seed: 84, findingsPerMachine: 10 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);
    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');

    let withFindings = 0;
    for (const endpoint of endpoints.slice(0, 25)) {
      const findings = (await truthFindings(sim, endpoint.machineId)).filter((f) => f.cveId !== null);
      const { status, body } = await api.call<{
        defender: {
          worstVulnerability: {
            id: string;
            severity: string | null;
            exploitabilityLevel: string | null;
          } | null;
          exposureRiskLevel: string;
          alertRiskLevel: string;
          vulnerabilityCount: number;
          overviewUrl: string;
          vulnerabilitiesUrl: string;
          alertsUrl: string;
          riskScore: string | null;
        };
      }>('GET', `/api/v1/endpoints/${endpoint.id}`);
      expect(status).toBe(200);
      const worst = findings
        .map((f) => ({ ...f, severity: f.vulnerabilitySeverityLevel }))
        .sort(compareFindingExposure)[0];
      const view = body.defender;
      expect(view.worstVulnerability?.id ?? null).toBe(worst?.cveId ?? null);
      expect(view.vulnerabilityCount).toBe(new Set(findings.map((f) => f.cveId)).size);
      expect(view.exposureRiskLevel).toBe(endpoint.riskParts.exposure);
      expect(view.alertRiskLevel).toBe(endpoint.riskParts.alert);
      expect(view.riskScore).toBe(endpoint.riskScore);
      const device = `https://security.microsoft.com/machines/v2/${endpoint.machineId}`;
      expect(view.overviewUrl).toBe(`${device}/overview?tid=${sim.tenantId}`);
      expect(view.vulnerabilitiesUrl).toBe(`${device}/vulnerabilities?tid=${sim.tenantId}`);
      expect(view.alertsUrl).toBe(`${device}/alerts?tid=${sim.tenantId}`);
      if (worst !== undefined) withFindings++;
    }
    expect(withFindings).toBeGreaterThan(0);
  });

  it('should give OS profiles after a sync, drop them on disable with the endpoints kept, and bring them back', async () => {
    const sim = await useSimulator({ machines: 80, seed: 85, findingsPerMachine: 2 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.runDataset(integration.id, 'machines');
    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const imported = new Set(endpoints.map((e) => e.machineId));

    // OS profiles counted from the simulator's own list of machines.
    const machines = await simGet<TruthMachine[]>(sim, '/_sim/truth/machines');
    const expectedOs = new Map<string, number>();
    for (const m of machines.filter((m) => imported.has(m.id))) {
      const name = osProfiles(m.osPlatform, null)?.os;
      if (name !== undefined) expectedOs.set(name, (expectedOs.get(name) ?? 0) + 1);
    }
    expect(expectedOs.size).toBeGreaterThan(1);
    const osCounts = async () =>
      new Map(
        (await api.call<{ items: Profile[] }>('GET', '/api/v1/profiles')).body.items
          .filter((p) => p.kind === 'os')
          .map((p) => [p.name, p.endpoints]),
      );
    expect(await osCounts()).toEqual(expectedOs);
    const [someOs, itsCount] = [...expectedOs][0]!;
    const byProfile = await api.call<Page<Endpoint>>(
      'GET',
      `/api/v1/endpoints?profile=${someOs.toUpperCase()}`,
    );
    expect(byProfile.body.total).toBe(itsCount);
    expect(byProfile.body.items.every((e) => osProfiles(e.osPlatform, null)?.os === someOs)).toBe(true);

    // A rule profile applies only where Defender gives no OS details: none here while the integration is on.
    const rule = await api.call<Profile>('POST', '/api/v1/profiles', {
      name: 'all named',
      rule: { namePattern: '*' },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.endpoints).toBe(0);
    const taken = await api.call('POST', '/api/v1/profiles', { name: 'all named', rule: { tag: 'x' } });
    expect(taken.status).toBe(409);
    const invalid = await api.call<{ error: { message: string } }>('POST', '/api/v1/profiles', {
      name: 'bad',
      rule: { ipRange: '10.0.0.0/33' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/ipRange/);

    expect((await api.call('POST', `/api/v1/integrations/${integration.id}/disable`)).status).toBe(200);
    expect((await osCounts()).size).toBe(0);
    expect((await allPages<Endpoint>(api, '/api/v1/endpoints')).length).toBe(endpoints.length);
    const named = endpoints.length;
    const ruleNow = (await api.call<{ items: Profile[] }>('GET', '/api/v1/profiles')).body.items.find(
      (p) => p.id === rule.body.id,
    );
    expect(ruleNow?.endpoints).toBe(named);

    expect((await api.call('POST', `/api/v1/integrations/${integration.id}/enable`)).status).toBe(200);
    expect(await osCounts()).toEqual(expectedOs);
    const ruleAfter = (await api.call<{ items: Profile[] }>('GET', '/api/v1/profiles')).body.items.find(
      (p) => p.id === rule.body.id,
    );
    expect(ruleAfter?.endpoints).toBe(0);
  });
});
