import { describe, expect, it } from 'vitest';
import { DefenderErrorCode } from '../../src/defender/index.js';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

interface Summary {
  machines: number;
  findings: number;
}
interface Stats {
  blobDownloads: { started: number; completed: number; aborted: number };
  requests: { byRoute: Record<string, Record<string, number>> };
}

const sim = await useSimulator({ machines: 600, seed: 31, findingsPerMachine: 40, exportFileMachines: 250 });
const truth = await simGet<Summary>(sim, '/_sim/truth/summary');
const exportCalls = async (): Promise<number> => {
  const stats = await simGet<Stats>(sim, '/_sim/stats');
  return Object.values(
    stats.requests.byRoute['GET /api/machines/SoftwareVulnerabilitiesExport'] ?? {},
  ).reduce((a, b) => a + b, 0);
};

describe('via-files export', () => {
  it('should read every record of every file exactly once', async () => {
    const client = clientFor(sim);
    const files = new Set<number>();
    const ids: string[] = [];
    for await (const batch of client.exportFiles.records()) {
      files.add(batch.file);
      for (const f of batch.items) ids.push(f.id);
      expect(batch.rejected).toEqual([]);
    }
    expect(files).toEqual(new Set([0, 1, 2]));
    expect(ids.length).toBe(truth.findings);
    expect(new Set(ids).size).toBe(truth.findings);
  });

  it('should hand out records while the file is still downloading', async () => {
    const client = clientFor(sim);
    await simPost(sim, '/_sim/reset-stats', {});
    await simPost(sim, '/_sim/faults', { queue: [{ fault: 'trickle', path: '/_blob/', count: 1 }] });
    const records = client.exportFiles.records({ batchSize: 50 });
    const first = await records.next();
    expect(first.done).toBe(false);
    const stats = await simGet<Stats>(sim, '/_sim/stats');
    expect(stats.blobDownloads.started).toBe(1);
    expect(stats.blobDownloads.completed).toBe(0);
    await records.return(undefined);
  });

  it('should answer an expired link with a fresh export and resume where it broke', async () => {
    const client = clientFor(sim);
    const before = await exportCalls();
    // The first download breaks mid-file after records were handed out; its retry finds the link expired.
    await simPost(sim, '/_sim/faults', {
      queue: [
        { fault: 'reset', path: '/_blob/', count: 1 },
        { fault: 'expired-sas', path: '/_blob/', count: 1 },
      ],
    });
    const { ids } = await drain(client.exportFiles.records({ batchSize: 10 }), (f) => f.id);
    expect(ids.length).toBe(truth.findings);
    expect(new Set(ids).size).toBe(truth.findings);
    expect((await exportCalls()) - before).toBe(2);
  });

  it('should answer an empty file body with a fresh export', async () => {
    const client = clientFor(sim);
    const before = await exportCalls();
    await simPost(sim, '/_sim/faults', { queue: [{ fault: 'empty-file', path: '/_blob/', count: 1 }] });
    const { ids } = await drain(client.exportFiles.records(), (f) => f.id);
    expect(new Set(ids).size).toBe(truth.findings);
    expect((await exportCalls()) - before).toBe(2);
  });

  it('should retry a file broken mid-download on its own', async () => {
    const client = clientFor(sim, {}, { tuning: { retry: { baseDelayMs: 10 } } });
    const before = await exportCalls();
    await simPost(sim, '/_sim/faults', { queue: [{ fault: 'reset', path: '/_blob/', count: 2 }] });
    const { ids } = await drain(client.exportFiles.records({ batchSize: 10 }), (f) => f.id);
    expect(ids.length).toBe(truth.findings);
    expect(new Set(ids).size).toBe(truth.findings);
    expect((await exportCalls()) - before).toBe(1);
  });

  it('should stop with a clear error when the links keep expiring', async () => {
    const client = clientFor(sim);
    await simPost(sim, '/_sim/faults', { queue: [{ fault: 'expired-sas', path: '/_blob/', count: 10 }] });
    try {
      await expect(drain(client.exportFiles.records({ maxRefreshes: 2 }), (f) => f.id)).rejects.toMatchObject(
        {
          code: DefenderErrorCode.ExportExpired,
        },
      );
    } finally {
      await simPost(sim, '/_sim/faults', { clear: true });
    }
  });
});

describe('delta export', () => {
  it('should report what changed since a time, as New and Fixed rows', async () => {
    const local = await useSimulator({ machines: 200, seed: 32, findingsPerMachine: 20 });
    const client = clientFor(local);
    const { now } = await simGet<{ now: string }>(local, '/_sim/truth/summary');
    await simPost(local, '/_sim/advance', { hours: 6 });
    const statuses = new Map<string, number>();
    let rows = 0;
    for await (const batch of client.findings.changes(now)) {
      for (const f of batch.items) {
        rows++;
        statuses.set(f.status ?? 'none', (statuses.get(f.status ?? 'none') ?? 0) + 1);
        expect(f.eventTimestamp?.raw).toBeTruthy();
      }
    }
    expect(rows).toBeGreaterThan(0);
    expect(statuses.get('New')).toBeGreaterThan(0);
    expect(statuses.get('Fixed')).toBeGreaterThan(0);
  });
});
