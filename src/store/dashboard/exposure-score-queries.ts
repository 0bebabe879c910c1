import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  toExposureScores,
  toReading,
  type ExposureScoreReading,
  type ExposureScores,
} from './exposure-score-mapper.js';

/** The newest reading of every scope, per integration (or of one); the organisation's scope sorts first. */
export async function latestExposureScores(
  db: Kysely<Database>,
  integrationId?: string,
): Promise<ExposureScores[]> {
  let newest = db
    .selectFrom('exposure_scores')
    .select((eb) => ['integration_id', 'scope', eb.fn.max('time_at').as('time_at')])
    .groupBy(['integration_id', 'scope']);
  if (integrationId !== undefined) newest = newest.where('integration_id', '=', integrationId);
  const rows = await db
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
  return toExposureScores(rows);
}

/** One scope's readings, oldest first, from `since` on. */
export async function exposureScoreHistory(
  db: Kysely<Database>,
  integrationId: string,
  scope: string,
  since: string,
): Promise<ExposureScoreReading[]> {
  const rows = await db
    .selectFrom('exposure_scores')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('scope', '=', scope)
    .where('time_at', '>=', since)
    .orderBy('time_at')
    .execute();
  return rows.map(toReading);
}
