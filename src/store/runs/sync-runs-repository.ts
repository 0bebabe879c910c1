import { Repository } from '../db/repository.js';
import { interruptedRunCode } from '../../domain/connection-status.js';
import { latestDatasetRuns, type DatasetRuns } from './sync-run-queries.js';
import { toSyncRun, toSyncRunEndColumns, type SyncRun, type SyncRunEnd } from './sync-run-mapper.js';

export class SyncRunsRepository extends Repository {
  async start(integrationId: string, dataset: string, now: string, runner: string): Promise<number> {
    const row = await this.db
      .insertInto('sync_runs')
      .values({
        integration_id: integrationId,
        dataset,
        status: 'running',
        started_at: now,
        skipped_reasons: '{}',
        runner,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async finish(id: number, end: SyncRunEnd): Promise<void> {
    await this.db.updateTable('sync_runs').set(toSyncRunEndColumns(end)).where('id', '=', id).execute();
  }

  /**
   * Deletes up to `limit` finished runs that started before `cutoff`, never the latest run of an integration's
   * dataset (what is due next is read from it). Answers how many went.
   */
  async pruneBefore(cutoff: string, limit: number): Promise<number> {
    const doomed = this.db
      .selectFrom('sync_runs as r')
      .select('r.id')
      .where('r.started_at', '<', cutoff)
      .where('r.status', '<>', 'running')
      .where((eb) =>
        eb(
          'r.id',
          '<',
          eb
            .selectFrom('sync_runs as l')
            .select((m) => m.fn.max('l.id').as('latest'))
            .whereRef('l.integration_id', '=', 'r.integration_id')
            .whereRef('l.dataset', '=', 'r.dataset'),
        ),
      )
      .limit(limit);
    const result = await this.db.deleteFrom('sync_runs').where('id', 'in', doomed).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The runs of an integration's dataset still marked running, with the process that runs each. */
  running(integrationId: string, dataset: string): Promise<{ id: number; runner: string | null }[]> {
    return this.db
      .selectFrom('sync_runs')
      .select(['id', 'runner'])
      .where('integration_id', '=', integrationId)
      .where('dataset', '=', dataset)
      .where('status', '=', 'running')
      .execute();
  }

  /** Runs left "running" by a process that died: they are failed, and say why. */
  async failInterrupted(ids: readonly number[], now: string): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .updateTable('sync_runs')
      .set({
        status: 'failed',
        finished_at: now,
        error_code: interruptedRunCode,
        error_message: 'The process stopped during the run.',
      })
      .where('id', 'in', ids)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async latest(integrationId: string, dataset: string): Promise<SyncRun | undefined> {
    const row = await this.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('dataset', '=', dataset)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toSyncRun(row);
  }

  async get(id: number): Promise<SyncRun | undefined> {
    const row = await this.db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toSyncRun(row);
  }

  /** The latest runs of each dataset that ever ran, of every integration or of the one given. */
  latestPerDataset(integrationId?: string): Promise<DatasetRuns[]> {
    return latestDatasetRuns(this.db, integrationId);
  }
}
