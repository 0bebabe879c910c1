import { describe, expect, it } from 'vitest';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import type { TruthAlert } from '../../src/simulator/index.js';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { GRAPH, MDE, SimHarness, type ODataPage } from './helpers.js';

const harness = await SimHarness.start({ machines: 300, seed: 93, findingsPerMachine: 1 });
const token = await harness.token(MDE);
const truth = await harness.json<TruthAlert[]>('/_sim/truth/alerts');

describe('GET /api/alerts (Defender for Endpoint)', () => {
  it("should send the published alert and evidence fields, in the published example's order", async (ctx) => {
    requireFixtures(ctx);
    const published = JSON.parse(readFixture('defender', 'alerts-list-expand-evidence.json')) as ODataPage;
    const example = published.value[0]!;
    const evidenceFields = Object.keys((example.evidence as Record<string, unknown>[])[0]!);
    const page = await harness.json<ODataPage>('/api/alerts?$expand=evidence', token);
    expect(page['@odata.context']).toBe(`${harness.sim.url}/api/$metadata#Alerts`);
    expect(page.value).toHaveLength(truth.length);
    let evidence = 0;
    for (const alert of page.value) {
      expect(Object.keys(alert)).toEqual(Object.keys(example));
      for (const item of alert.evidence as Record<string, unknown>[]) {
        expect(Object.keys(item)).toEqual(evidenceFields);
        evidence++;
      }
    }
    expect(evidence).toBeGreaterThan(0);
  });

  it('should hold the same alerts as the truth, in Defender for Endpoint words', async () => {
    const page = await harness.json<ODataPage>('/api/alerts', token);
    const byId = new Map(truth.map((a) => [a.id, a]));
    for (const alert of page.value) {
      const expected = byId.get(String(alert.id));
      expect(String(alert.severity).toLowerCase()).toBe(expected?.severity);
      expect(alert.machineId).toBe(expected?.machineId);
      expect(String(alert.incidentId)).toBe(expected?.incidentId);
      expect(alert.lastUpdateTime).toBe(expected?.lastUpdateDateTime);
    }
    expect(new Set(page.value.map((a) => a.status))).toEqual(new Set(['New', 'InProgress', 'Resolved']));
  });

  it('should cap $top at 10,000 and want Alert.Read.All on a WindowsDefenderATP token', async () => {
    const over = await harness.call('/api/alerts?$top=10001', { token });
    expect(over.status).toBe(400);
    expect(JSON.parse(over.text)).toMatchObject({ error: { code: 'BadRequest' } });
    expect((await harness.call('/api/alerts', { token: await harness.token(GRAPH) })).status).toBe(401);
    await harness.post('/_sim/control', { roles: ALL_ROLES.filter((r) => !r.startsWith('Alert.')) });
    try {
      const refused = await harness.call('/api/alerts', { token: await harness.token(MDE) });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({
        error: {
          code: 'Forbidden',
          message:
            'The application does not have any of the required application permissions (Alert.Read.All, Alert.ReadWrite.All) to access the resource.',
        },
      });
    } finally {
      await harness.post('/_sim/control', { roles: null });
    }
  });
});
