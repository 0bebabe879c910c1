import { Repository } from '../db/repository.js';
import { upsertChunkRows, upsertRows } from '../db/upsert.js';
import { insertFindingCves } from './cloud-finding-cves.js';
import {
  cloudAssessmentRow,
  cloudFindingRow,
  cloudSecureScoreDayRow,
  cloudSecureScoreRow,
  cloudSubscriptionRow,
  type CloudAssessmentRecord,
  type CloudFindingRecord,
  type CloudSecureScoreDayRecord,
  type CloudSecureScoreRecord,
  type CloudSubscriptionRecord,
} from './cloud-records.js';

/** The per-subscription lists a read replaces whole, and their tables. */
const cloudListTables = {
  secureScores: 'cloud_secure_scores',
  assessments: 'cloud_assessments',
  findings: 'cloud_findings',
} as const;
export type CloudList = keyof typeof cloudListTables;

/** Defender for Cloud posture per integration: subscriptions, secure scores, assessments, findings. */
export class CloudRepository extends Repository {
  async upsertSubscription(subscription: CloudSubscriptionRecord): Promise<void> {
    await upsertRows(
      this.db,
      'cloud_subscriptions',
      [cloudSubscriptionRow(subscription)],
      ['integration_id', 'subscription_id'],
    );
  }

  /** A subscription the list no longer has goes, with everything read of it. */
  async removeSubscriptionsNotSeen(integrationId: string, runId: number): Promise<number> {
    const gone = await this.db
      .selectFrom('cloud_subscriptions')
      .select('subscription_id')
      .where('integration_id', '=', integrationId)
      .where('run_id', '!=', runId)
      .execute();
    const ids = gone.map((g) => g.subscription_id);
    if (ids.length === 0) return 0;
    await this.db.transaction().execute(async (trx) => {
      for (const table of [
        'cloud_secure_score_days',
        'cloud_secure_scores',
        'cloud_assessments',
        'cloud_findings',
        'cloud_subscriptions',
      ] as const)
        await trx
          .deleteFrom(table)
          .where('integration_id', '=', integrationId)
          .where('subscription_id', 'in', ids)
          .execute();
    });
    return ids.length;
  }

  /** Scores and the day's reading of each, in one transaction. */
  async recordScores(
    scores: readonly CloudSecureScoreRecord[],
    days: readonly CloudSecureScoreDayRecord[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await upsertRows(trx, 'cloud_secure_scores', scores.map(cloudSecureScoreRow), [
        'integration_id',
        'subscription_id',
        'name',
      ]);
      await upsertRows(trx, 'cloud_secure_score_days', days.map(cloudSecureScoreDayRow), [
        'integration_id',
        'subscription_id',
        'name',
        'day',
      ]);
    });
  }

  /** One page of assessments as one transaction. */
  async upsertAssessments(assessments: readonly CloudAssessmentRecord[]): Promise<void> {
    if (assessments.length === 0) return;
    const rows = assessments.map(cloudAssessmentRow);
    await this.db
      .transaction()
      .execute((trx) => upsertRows(trx, 'cloud_assessments', rows, ['integration_id', 'assessment_id']));
  }

  /**
   * One page of sub-assessments as one transaction, with their CVE links rewritten from the rows just stored (a
   * finding's CVE list can change between reads).
   */
  async upsertFindings(findings: readonly CloudFindingRecord[]): Promise<void> {
    if (findings.length === 0) return;
    const rows = findings.map(cloudFindingRow);
    await this.db.transaction().execute(async (trx) => {
      await upsertRows(trx, 'cloud_findings', rows, ['integration_id', 'finding_id']);
      for (const integrationId of new Set(rows.map((r) => r.integration_id))) {
        const own = rows.filter((r) => r.integration_id === integrationId);
        for (let i = 0; i < own.length; i += upsertChunkRows) {
          const findingIds = own.slice(i, i + upsertChunkRows).map((r) => r.finding_id);
          await trx
            .deleteFrom('cloud_finding_cves')
            .where('integration_id', '=', integrationId)
            .where('finding_id', 'in', findingIds)
            .execute();
          await insertFindingCves(trx, this.dialect, { integrationId, findingIds });
        }
      }
    });
  }

  /** Rows of one subscription's list, and of those the ones the run did not see. */
  async counts(
    list: CloudList,
    integrationId: string,
    subscriptionId: string,
    runId: number,
  ): Promise<{ total: number; unseen: number }> {
    const row = await this.db
      .selectFrom(cloudListTables[list])
      .select((eb) => [
        eb.fn.countAll<number | string>().as('total'),
        eb.fn.sum<number | string>(eb.case().when('run_id', '!=', runId).then(1).else(0).end()).as('unseen'),
      ])
      .where('integration_id', '=', integrationId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return { total: Number(row?.total ?? 0), unseen: Number(row?.unseen ?? 0) };
  }

  /** Deletes the rows of one subscription's list the run did not see; answers how many. */
  async removeNotSeen(
    list: CloudList,
    integrationId: string,
    subscriptionId: string,
    runId: number,
  ): Promise<number> {
    const result = await this.db
      .deleteFrom(cloudListTables[list])
      .where('integration_id', '=', integrationId)
      .where('subscription_id', '=', subscriptionId)
      .where('run_id', '!=', runId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
