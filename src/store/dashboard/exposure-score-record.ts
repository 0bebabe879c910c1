import type { Insertable } from 'kysely';
import type { ExposureScoresTable } from '../db/schema.js';

/** One exposure score reading: the organisation's or a device group's. */
export interface ExposureScoreRecord {
  readonly integrationId: string;
  /** organisationScope for the organisation, else the device group's id. */
  readonly scope: string;
  readonly rbacGroupName: string | null;
  readonly score: number;
  /** Defender's `time` as received, and as an ISO instant. */
  readonly timeRaw: string;
  readonly timeAt: string;
}

export function exposureScoreRow(r: ExposureScoreRecord): Insertable<ExposureScoresTable> {
  return {
    integration_id: r.integrationId,
    scope: r.scope,
    rbac_group_name: r.rbacGroupName,
    score: r.score,
    time_raw: r.timeRaw,
    time_at: r.timeAt,
  };
}
