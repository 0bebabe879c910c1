import { describe, expect, it } from 'vitest';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import type { SyncJobView } from '../../src/jobs/sync-job.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { useSimulator } from '../support/simulator.js';
import { useApi } from './api-harness.js';

interface JobPage {
  items: (SyncJobView & { worker: string | null })[];
  total: number;
}

describe('sync jobs over the API (PostgreSQL)', () => {
  it('should queue "sync now" for the workers (202) and list the jobs by integration, dataset and state', async () => {
    const api = await useApi('postgres');
    const sim = await useSimulator({ machines: 10, seed: 81 });
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', {
      ...simulatorIntegrationSettings(sim, 'queued'),
    });
    expect(created.status).toBe(201);
    const { id } = created.body;

    const asked = await api.call<{ runs: unknown[]; jobs: SyncJobView[] }>(
      'POST',
      `/api/v1/integrations/${id}/sync`,
      { dataset: 'alerts', full: true },
    );
    expect(asked.status, asked.text).toBe(202);
    expect(asked.body.runs).toEqual([]);
    expect(asked.body.jobs.map((j) => [j.dataset, j.state, j.full])).toEqual([['alerts', 'queued', true]]);
    // Asked again while it waits: still one job.
    const again = await api.call<{ jobs: SyncJobView[] }>('POST', `/api/v1/integrations/${id}/sync`, {
      dataset: 'alerts',
    });
    expect(again.body.jobs).toHaveLength(1);
    // Every dataset: findings wait for the machines run to queue them.
    const all = await api.call<{ jobs: SyncJobView[] }>('POST', `/api/v1/integrations/${id}/sync`);
    expect(all.status).toBe(202);
    expect(all.body.jobs.map((j) => j.dataset)).toContain('machines');
    expect(all.body.jobs.map((j) => j.dataset)).not.toContain('findings');

    const viewer = await api.tokenFor('viewer');
    const alerts = await api.call<JobPage>(
      'GET',
      `/api/v1/jobs?integration=${id}&dataset=alerts`,
      undefined,
      {
        token: viewer,
      },
    );
    expect(alerts.status).toBe(200);
    expect(alerts.body.total).toBe(1);
    expect(alerts.body.items[0]).toMatchObject({ dataset: 'alerts', state: 'queued', worker: null });

    await new SyncWorker(api.hub.jobs!, api.hub.sync, { concurrency: 2 }).drain();
    const completed = await api.call<JobPage>('GET', `/api/v1/jobs?integration=${id}&state=completed`);
    expect(completed.body.items.map((j) => j.dataset)).toEqual(
      expect.arrayContaining(['alerts', 'findings']),
    );
    expect(completed.body.items.every((j) => j.finishedAt !== null && j.attempts === 1)).toBe(true);
    expect((await api.call<JobPage>('GET', `/api/v1/jobs?state=queued`)).body.total).toBe(0);

    expect((await api.call('GET', '/api/v1/jobs?state=sleeping')).status).toBe(400);
    expect((await api.call('GET', '/api/v1/jobs', undefined, { token: null })).status).toBe(401);
    expect(
      (await api.call('POST', `/api/v1/integrations/${id}/sync`, undefined, { token: viewer })).status,
    ).toBe(403);
  });

  it('should say where the runs are when the hub runs on SQLite', async () => {
    const api = await useApi('sqlite');
    const answer = await api.call<{ error: { code: string; message: string } }>('GET', '/api/v1/jobs');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('JOBS_NEED_POSTGRES');
    expect(answer.body.error.message).toContain('/api/v1/sync-runs');
  });
});
