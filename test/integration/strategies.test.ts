import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi } from '../server/api-harness.js';
import { patchKey } from '../../src/domain/patch-metadata.js';
import { truthFindings } from '../support/truth-findings.js';
import {
  evaluateStrategy,
  parseStrategyExpression,
  type StrategyRow,
} from '../../src/domain/strategy/index.js';
import { strategyMatches } from '../../src/store/patches/strategy-matches.js';
import { databaseOf } from '../../src/store/testing.js';

interface Page<T> {
  items: T[];
  total: number;
}
interface Patch {
  integrationId: string;
  key: string;
  name: string;
  softwareVendor: string | null;
  softwareName: string | null;
  metadata: Record<string, string | boolean | null>;
  maxCvss: number | null;
  cveCount: number;
  endpointCount: number;
}
interface Endpoint {
  id: number;
  machineId: string;
  computerDnsName: string | null;
  rbacGroupName: string | null;
  machineTags: string[];
  riskLevel: string;
}
interface Match extends Patch {
  matchedEndpoints: number;
  endpoints: { id: number }[];
}
const strategies = [
  'Defender.SeverityLevel in ("Critical","High") and Defender.KnownExploitExists = true',
  'endpoint.risklevel >= "high" OR Endpoint.Profile contains "server"',
  'not (Software.Vendor = "microsoft") and (Cvss >= 7 or Endpoint.Tag != "test") and Patch.EndpointCount > 1',
  'Defender.SeverityLevel >= "High" and Endpoint.RiskLevel >= "High"',
  'Defender.NetworkAccessible = true and Endpoint.RiskLevel >= "Medium"',
  // Patch and endpoint conditions under or and not: what is left of it differs from patch to patch.
  'not (Defender.KnownExploitExists = true and Endpoint.RiskLevel <= "Medium") or (Cvss < 5 and Endpoint.Name contains "1")',
];

describe.each(dialects)('patch strategies on %s', (dialect) => {
  it("should select exactly the patch × device pairs a brute-force evaluation over the tenant's truth selects", async () => {
    const sim = await useSimulator({ machines: 80, seed: 87, findingsPerMachine: 10 });
    const api = await useApi(dialect);
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    await api.hub.sync.syncIntegration(integration.id);

    const patches = new Map((await allPages<Patch>(api, '/api/v1/patches')).map((p) => [p.key, p]));
    const endpoints = await allPages<Endpoint>(api, '/api/v1/endpoints');
    const profiles = new Map<number, string[]>();
    for (const e of endpoints) {
      const { body } = await api.call<{ profiles: { name: string }[] }>('GET', `/api/v1/endpoints/${e.id}`);
      profiles.set(
        e.id,
        body.profiles.map((p) => p.name),
      );
    }
    // Which device each patch applies to, from the simulator's own findings: an endpoint, or (undefined) a device
    // the import filters left out.
    const byMachine = new Map(endpoints.map((e) => [e.machineId, e]));
    const pairKeys = new Set<string>();
    const pairs: [Patch, Endpoint | undefined][] = [];
    for (const f of await truthFindings(sim)) {
      const key = patchKey({
        softwareVendor: f.softwareVendor,
        softwareName: f.softwareName,
        fixingUpdate: f.recommendedSecurityUpdate,
        fixingUpdateId: f.recommendedSecurityUpdateId,
      });
      if (key === null || pairKeys.has(`${key}\n${f.deviceId}`)) continue;
      pairKeys.add(`${key}\n${f.deviceId}`);
      pairs.push([patches.get(key)!, byMachine.get(f.deviceId)]);
    }
    expect(
      pairs.some(([, e]) => e === undefined),
      'devices that are not endpoints have findings',
    ).toBe(true);
    // A device that is not an endpoint has no endpoint fields (a risk level outside the scale counts as none).
    const row = (p: Patch, e: Endpoint | undefined): StrategyRow => ({
      patch: {
        severityLevel: p.metadata['Defender.SeverityLevel'] as string | null,
        exploitabilityLevel: p.metadata['Defender.ExploitabilityLevel'] as string | null,
        knownExploitExists: p.metadata['Defender.KnownExploitExists'] === true,
        securityUpdateAvailable: p.metadata['Defender.SecurityUpdateAvailable'] === true,
        networkAccessible: p.metadata['Defender.NetworkAccessible'] === true,
        vendor: p.softwareVendor,
        software: p.softwareName,
        cvss: p.maxCvss,
        name: p.name,
        cveCount: p.cveCount,
        endpointCount: p.endpointCount,
      },
      endpoint:
        e === undefined
          ? { profiles: [], deviceGroup: null, name: null, riskLevel: '', tags: [] }
          : {
              profiles: profiles.get(e.id) ?? [],
              deviceGroup: e.rbacGroupName,
              name: e.computerDnsName,
              riskLevel: e.riskLevel,
              tags: e.machineTags,
            },
    });

    for (const expression of strategies) {
      const created = await api.call<{ id: number; expression: string }>('POST', '/api/v1/patch-strategies', {
        name: expression.slice(0, 40),
        expression,
      });
      expect(created.status).toBe(201);
      const expr = parseStrategyExpression(expression);
      // Per patch: the endpoints selected, and how many devices that are not endpoints.
      const expected = new Map<string, { endpoints: number[]; others: number }>();
      for (const [patch, endpoint] of pairs) {
        if (!evaluateStrategy(expr, row(patch, endpoint))) continue;
        const selected = expected.get(patch.key) ?? { endpoints: [], others: 0 };
        if (endpoint === undefined) selected.others++;
        else selected.endpoints = [...selected.endpoints, endpoint.id].sort((a, b) => a - b);
        expected.set(patch.key, selected);
      }
      expect(expected.size).toBeGreaterThan(0);
      expect(expected.size).toBeLessThan(patches.size);

      const matches = await allPages<Match>(
        api,
        `/api/v1/patch-strategies/${created.body.id}/matches?endpointLimit=1000`,
      );
      expect(
        new Map(
          matches.map((m) => [
            m.key,
            { endpoints: m.endpoints.map((e) => e.id), others: m.matchedEndpoints - m.endpoints.length },
          ]),
        ),
      ).toEqual(expected);
      // Read two patches and three endpoint ids per query, so every batch boundary of the walk is crossed.
      const batched = await strategyMatches(
        databaseOf(api.hub.data),
        api.hub.data.engine,
        expr,
        { page: 1, pageSize: 1000, endpointLimit: 1000 },
        { patches: 2, endpointIds: 3 },
      );
      expect(batched.items.map((m) => [m.key, m.endpoints.map((e) => e.id)])).toEqual(
        matches.map((m) => [m.key, m.endpoints.map((e) => e.id)]),
      );
      const firstTwo = await api.call<Page<Match>>(
        'GET',
        `/api/v1/patch-strategies/${created.body.id}/matches?pageSize=3&endpointLimit=2`,
      );
      expect(firstTwo.body.total).toBe(expected.size);
      for (const m of firstTwo.body.items) expect(m.endpoints).toEqual(m.endpoints.slice(0, 2));
      const second = await api.call<Page<Match>>(
        'GET',
        `/api/v1/patch-strategies/${created.body.id}/matches?page=2&pageSize=3&endpointLimit=2`,
      );
      expect(second.body.items.map((m) => [m.key, m.matchedEndpoints, m.endpoints.map((e) => e.id)])).toEqual(
        matches.slice(3, 6).map((m) => [m.key, m.matchedEndpoints, m.endpoints.slice(0, 2).map((e) => e.id)]),
      );
    }
  });

  it('should refuse a bad expression with its line, column and what was expected, and keep names unique', async () => {
    const api = await useApi(dialect);
    const bad = await api.call<{
      error: { code: string; message: string; details: Record<string, unknown> };
    }>('POST', '/api/v1/patch-strategies', {
      name: 'broken',
      expression: 'Defender.SeverityLevel in ("Critical",\n  "High" and Cvss > 7',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_STRATEGY_EXPRESSION');
    expect(bad.body.error.message).toMatch(/^Line 2, column 10: /);
    expect(bad.body.error.details).toMatchObject({ line: 2, column: 10 });

    const check = await api.call<{ ok: boolean; error?: { line: number; expected: string } }>(
      'POST',
      '/api/v1/patch-strategies/validate',
      { expression: 'Cvss >' },
    );
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ ok: false, error: { line: 1, expected: 'a value' } });
    const good = await api.call('POST', '/api/v1/patch-strategies/validate', {
      expression: 'cvss>=7 AND defender.knownexploitexists=TRUE',
    });
    expect(good.body).toEqual({ ok: true, expression: 'Cvss >= 7 and Defender.KnownExploitExists = true' });

    const first = await api.call<{ id: number }>('POST', '/api/v1/patch-strategies', {
      name: 'urgent',
      expression: 'Cvss >= 9',
    });
    expect(first.status).toBe(201);
    expect(
      (await api.call('POST', '/api/v1/patch-strategies', { name: 'urgent', expression: 'Cvss >= 8' }))
        .status,
    ).toBe(409);
    const changed = await api.call<{ expression: string }>(
      'PATCH',
      `/api/v1/patch-strategies/${first.body.id}`,
      {
        expression: 'cvss >= 8',
      },
    );
    expect(changed.body.expression).toBe('Cvss >= 8');
    expect((await api.call('DELETE', `/api/v1/patch-strategies/${first.body.id}`)).status).toBe(204);
    expect((await api.call('GET', `/api/v1/patch-strategies/${first.body.id}/matches`)).status).toBe(404);
  });
});
