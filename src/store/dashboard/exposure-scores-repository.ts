import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';
import { exposureScoreRow, type ExposureScoreRecord } from './exposure-score-record.js';

/** Exposure score readings, the organisation's and each device group's, kept over time. */
export class ExposureScoresRepository extends Repository {
  /** Readings already stored (same scope and time) are replaced, so a re-run of a sync adds nothing. */
  async record(readings: readonly ExposureScoreRecord[]): Promise<void> {
    await upsertRows(this.db, 'exposure_scores', readings.map(exposureScoreRow), [
      'integration_id',
      'scope',
      'time_at',
    ]);
  }
}
