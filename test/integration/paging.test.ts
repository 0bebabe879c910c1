import { describe, expect, it } from 'vitest';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

interface Summary {
  machines: number;
  findings: number;
  vulnerabilities: number;
  alerts: number;
  incidents: number;
  byPlatform: Record<string, number>;
}

describe('paging past the 10,000-machine page cap', () => {
  it('should return every machine exactly once', async () => {
    const sim = await useSimulator({ machines: 23_456, seed: 3, findingsPerMachine: 1 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim);
    const { ids, rejected } = await drain(client.machines.list(), (m) => m.id);
    expect(rejected).toEqual([]);
    expect(ids.length).toBe(truth.machines);
    expect(new Set(ids).size).toBe(truth.machines);
    // 10,000 + 10,000 + 3,456: the short third page ends the list.
    expect(client.stats.calls).toBe(Math.ceil(truth.machines / 10_000));
  });

  it('should read a tenant without machines (the API answers 404) as empty', async () => {
    const sim = await useSimulator({ machines: 0, seed: 4 });
    const client = clientFor(sim);
    expect(await drain(client.machines.list(), (m) => m.id)).toEqual({ ids: [], rejected: [] });
  });

  it('should pass an OData filter through', async () => {
    const sim = await useSimulator({ machines: 3000, seed: 5, findingsPerMachine: 1 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim);
    const { ids } = await drain(client.machines.list({ filter: "osPlatform eq 'Windows11'" }), (m) => m.id);
    expect(ids.length).toBe(truth.byPlatform.Windows11);
  });
});

describe('riding out faults', () => {
  it('should survive a 429 storm with no lost or repeated page', async () => {
    const sim = await useSimulator({
      machines: 12_000,
      seed: 6,
      findingsPerMachine: 1,
      retryAfterSeconds: 1,
    });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim);
    await simPost(sim, '/_sim/faults', { queue: [{ fault: '429', path: '/api/machines', count: 3 }] });
    const started = Date.now();
    const { ids } = await drain(client.machines.list({ pageSize: 2000 }), (m) => m.id);
    expect(new Set(ids).size).toBe(truth.machines);
    expect(ids.length).toBe(truth.machines);
    expect(client.stats.byStatus['429']).toBe(3);
    // Retry-After: 1 was honoured, three times.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it('should resume a page cut off mid-body without duplicates', async () => {
    const sim = await useSimulator({ machines: 400, seed: 7, findingsPerMachine: 30 });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim, {}, { tuning: { retry: { baseDelayMs: 10 } } });
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: 'reset', path: '/api/machines/SoftwareVulnerabilitiesByMachine', count: 2 }],
    });
    // Small batches: records are handed out before the cut, so the retried page must skip them.
    const { ids } = await drain(client.findings.exportJson({ pageSize: 5000, batchSize: 10 }), (f) => f.id);
    expect(ids.length).toBe(truth.findings);
    expect(new Set(ids).size).toBe(truth.findings);
    expect(client.stats.retries).toBeGreaterThanOrEqual(2);
  });

  it('should skip malformed records with a reason and keep the rest', async () => {
    const sim = await useSimulator({
      machines: 2000,
      seed: 8,
      findingsPerMachine: 1,
      faults: 'malformed:0.02',
    });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim);
    const { ids, rejected } = await drain(client.machines.list(), (m) => m.id);
    expect(rejected.length).toBeGreaterThan(0);
    expect(ids.length + rejected.length).toBe(truth.machines);
    for (const reason of rejected) expect(reason).toMatch(/\w+: /);
  });

  it('should ride out random 5xx, resets and slow answers', async () => {
    const sim = await useSimulator({
      machines: 300,
      seed: 9,
      findingsPerMachine: 20,
      faults: '500:0.1,503:0.05,reset:0.05,slow:0.05',
      slowMs: 200,
      retryAfterSeconds: 0,
    });
    const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
    const client = clientFor(sim, {}, { tuning: { retry: { baseDelayMs: 20, maxAttempts: 10 } } });
    const { ids } = await drain(client.findings.exportJson({ pageSize: 500 }), (f) => f.id);
    expect(ids.length).toBe(truth.findings);
    expect(new Set(ids).size).toBe(truth.findings);
  });
});
