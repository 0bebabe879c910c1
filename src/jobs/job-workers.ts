import type { Page, Repositories } from '../store/index.js';
import type { SyncJobView } from './sync-job.js';

/**
 * The jobs with the process that runs each active one: the runner its sync run records (the engine keeps no
 * worker on a job). One read per active job, and a page holds few.
 */
export async function jobsWithWorkers(
  page: Page<SyncJobView>,
  syncRuns: Pick<Repositories['syncRuns'], 'running'>,
): Promise<Page<SyncJobView & { worker: string | null }>> {
  const items = await Promise.all(
    page.items.map(async (job) => {
      if (job.state !== 'active') return { ...job, worker: null };
      const [run] = await syncRuns.running(job.integrationId, job.dataset);
      return { ...job, worker: run?.runner ?? null };
    }),
  );
  return { ...page, items };
}
