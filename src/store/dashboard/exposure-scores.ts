import { ExposureScoresRepository } from './exposure-scores-repository.js';
import { exposureScoreHistory, latestExposureScores } from './exposure-score-queries.js';

/** The exposure score over time: the sync's readings, the newest per integration, and one scope's history. */
export class ExposureScores extends ExposureScoresRepository {
  /** The newest reading of every scope, grouped per integration (or of one). */
  latest(integrationId?: string) {
    return latestExposureScores(this.db, integrationId);
  }

  /** One scope's readings, oldest first, from `since` on. */
  history(integrationId: string, scope: string, since: string) {
    return exposureScoreHistory(this.db, integrationId, scope, since);
  }
}
