import { describe, expect, it } from 'vitest';
import { simGet, useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi } from './api-harness.js';
import type { TruthMachine } from '../../src/simulator/control.js';

interface HuntingAnswer {
  schema: { name: string; type: string }[];
  results: Record<string, unknown>[];
  source: string;
}
interface ErrorAnswer {
  error: { code: string; message: string };
}

describe('POST /api/v1/hunting/query', () => {
  it("should answer a query with the rows of the tenant's truth, and refuse what the service refuses", async () => {
    const sim = await useSimulator({ machines: 150, seed: 19, findingsPerMachine: 1 });
    const api = await useApi('sqlite');
    const integration = await api.hub.integrations.create(simulatorSettings(sim));
    const machines = await simGet<TruthMachine[]>(sim, '/_sim/truth/machines');
    const expected = new Map<string, number>();
    for (const m of machines) expected.set(m.osPlatform, (expected.get(m.osPlatform) ?? 0) + 1);

    const answer = await api.call<HuntingAnswer>('POST', '/api/v1/hunting/query', {
      integration: integration.name,
      query: 'DeviceInfo | summarize n = count() by OSPlatform',
      timespan: 'P3650D',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.source).toBe('graph');
    expect(answer.body.schema.map((c) => c.name)).toEqual(['OSPlatform', 'n']);
    expect(new Map(answer.body.results.map((r) => [String(r.OSPlatform), Number(r.n)]))).toEqual(expected);

    const unsupported = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', {
      integration: integration.id,
      query: 'DeviceInfo | join kind=inner (AlertInfo) on DeviceId',
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe('HUNTING_QUERY_INVALID');
    expect(unsupported.body.error.message).toMatch(/join/);

    const empty = await api.call<ErrorAnswer>('POST', '/api/v1/hunting/query', {
      integration: integration.id,
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('query is required');
  });
});
