import type { Kysely, Selectable } from 'kysely';
import type { Database, ExposureScoresTable } from '../db/schema.js';
import { upsertRows } from '../db/upsert.js';
import { exposureScoreRow, type ExposureScoreRecord } from './exposure-score-record.js';

export type ExposureScoreRow = Selectable<ExposureScoresTable>;

/** `scope` of the organisation's readings (device groups carry their id). */
export const organisationScope = '';

/** Exposure score readings, the organisation's and each device group's, kept over time. */
export class ExposureScoresRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Readings already stored (same scope and time) are replaced, so a re-run of a sync adds nothing. */
  async record(readings: readonly ExposureScoreRecord[]): Promise<void> {
    await upsertRows(this.#db, 'exposure_scores', readings.map(exposureScoreRow), [
      'integration_id',
      'scope',
      'time_at',
    ]);
  }

  /** The newest reading of every scope, per integration (or of one); the organisation's scope sorts first. */
  latest(integrationId?: string): Promise<ExposureScoreRow[]> {
    let newest = this.#db
      .selectFrom('exposure_scores')
      .select((eb) => ['integration_id', 'scope', eb.fn.max('time_at').as('time_at')])
      .groupBy(['integration_id', 'scope']);
    if (integrationId !== undefined) newest = newest.where('integration_id', '=', integrationId);
    return this.#db
      .selectFrom('exposure_scores as s')
      .innerJoin(newest.as('n'), (join) =>
        join
          .onRef('n.integration_id', '=', 's.integration_id')
          .onRef('n.scope', '=', 's.scope')
          .onRef('n.time_at', '=', 's.time_at'),
      )
      .selectAll('s')
      .orderBy('s.integration_id')
      .orderBy('s.scope')
      .execute();
  }

  /** One scope's readings, oldest first, from `since` on. */
  history(integrationId: string, scope: string, since: string): Promise<ExposureScoreRow[]> {
    return this.#db
      .selectFrom('exposure_scores')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('scope', '=', scope)
      .where('time_at', '>=', since)
      .orderBy('time_at')
      .execute();
  }
}
