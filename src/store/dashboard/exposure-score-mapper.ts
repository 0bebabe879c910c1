import type { Selectable } from 'kysely';
import type { ExposureScoresTable } from '../db/schema.js';

/** `scope` of the organisation's readings (device groups carry their id). */
export const organisationScope = '';

export interface ExposureScoreReading {
  readonly score: number;
  /** Defender's `time` as received. */
  readonly time: string;
}

/** An integration's newest readings: its organisation's score and its device groups', by name. */
export interface ExposureScores {
  readonly integrationId: string;
  organisation: ExposureScoreReading | null;
  readonly deviceGroups: (ExposureScoreReading & {
    readonly rbacGroupId: string;
    readonly rbacGroupName: string | null;
  })[];
}

type ExposureScoreRow = Selectable<ExposureScoresTable>;

export function toReading(row: ExposureScoreRow): ExposureScoreReading {
  return { score: row.score, time: row.time_raw };
}

/** The newest readings, grouped per integration: its organisation score and its device groups' by name. */
export function toExposureScores(rows: readonly ExposureScoreRow[]): ExposureScores[] {
  const byIntegration = new Map<string, ExposureScores>();
  for (const row of rows) {
    let scores = byIntegration.get(row.integration_id);
    if (scores === undefined) {
      scores = { integrationId: row.integration_id, organisation: null, deviceGroups: [] };
      byIntegration.set(row.integration_id, scores);
    }
    const reading = toReading(row);
    if (row.scope === organisationScope) scores.organisation = reading;
    else scores.deviceGroups.push({ ...reading, rbacGroupId: row.scope, rbacGroupName: row.rbac_group_name });
  }
  for (const scores of byIntegration.values())
    scores.deviceGroups.sort((a, b) => (a.rbacGroupName ?? '').localeCompare(b.rbacGroupName ?? ''));
  return [...byIntegration.values()];
}
