import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import type {
  CloudAssessmentsTable,
  CloudFindingsTable,
  CloudSecureScoreDaysTable,
  CloudSecureScoresTable,
  CloudStatus,
  CloudSubscriptionsTable,
} from './cloud-schema.js';
import { upsertRows } from './upsert.js';
import { fetchPage, type Page, type PageRequest } from './list-queries.js';

export type CloudSubscriptionRow = Selectable<CloudSubscriptionsTable>;
export type CloudSecureScoreRow = Selectable<CloudSecureScoresTable>;
export type CloudSecureScoreDayRow = Selectable<CloudSecureScoreDaysTable>;
export type CloudAssessmentRow = Selectable<CloudAssessmentsTable>;
export type CloudFindingRow = Selectable<CloudFindingsTable>;

/** The per-subscription lists a read replaces whole. */
export type CloudList = 'cloud_secure_scores' | 'cloud_assessments' | 'cloud_findings';

export interface CloudScope {
  readonly integrationId?: string | undefined;
  readonly subscription?: string | undefined;
}

export interface CloudAssessmentFilter extends CloudScope {
  readonly status?: CloudStatus | undefined;
  readonly severity?: string | undefined;
  readonly resourceType?: string | undefined;
}

export interface CloudFindingFilter extends CloudScope {
  readonly severity?: string | undefined;
  readonly cve?: string | undefined;
  readonly resourceType?: string | undefined;
}

export interface CloudResourceFilter extends CloudScope {
  readonly resourceType?: string | undefined;
}

/** A resource as its assessments name it, with its unhealthy assessments counted by severity. */
export interface CloudResource {
  readonly integrationId: string;
  readonly subscriptionId: string;
  readonly resourceId: string;
  readonly resourceType: string | null;
  readonly assessments: number;
  readonly unhealthy: { readonly High: number; readonly Medium: number; readonly Low: number };
}

/** Defender for Cloud posture per integration: subscriptions, secure scores, assessments, findings. */
export class CloudRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async upsertSubscription(row: Insertable<CloudSubscriptionsTable>): Promise<void> {
    await upsertRows(this.#db, 'cloud_subscriptions', [row], ['integration_id', 'subscription_id']);
  }

  /** A subscription the list no longer has goes, with everything read of it. */
  async removeSubscriptionsNotSeen(integrationId: string, runId: number): Promise<number> {
    const gone = await this.#db
      .selectFrom('cloud_subscriptions')
      .select('subscription_id')
      .where('integration_id', '=', integrationId)
      .where('run_id', '!=', runId)
      .execute();
    const ids = gone.map((g) => g.subscription_id);
    if (ids.length === 0) return 0;
    await this.#db.transaction().execute(async (trx) => {
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
    scores: readonly Insertable<CloudSecureScoresTable>[],
    days: readonly Insertable<CloudSecureScoreDaysTable>[],
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await upsertRows(trx, 'cloud_secure_scores', scores, ['integration_id', 'subscription_id', 'name']);
      await upsertRows(trx, 'cloud_secure_score_days', days, [
        'integration_id',
        'subscription_id',
        'name',
        'day',
      ]);
    });
  }

  /** One page of assessments as one transaction. */
  async upsertAssessments(rows: readonly Insertable<CloudAssessmentsTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db
      .transaction()
      .execute((trx) => upsertRows(trx, 'cloud_assessments', rows, ['integration_id', 'assessment_id']));
  }

  /** One page of sub-assessments as one transaction. */
  async upsertFindings(rows: readonly Insertable<CloudFindingsTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db
      .transaction()
      .execute((trx) => upsertRows(trx, 'cloud_findings', rows, ['integration_id', 'finding_id']));
  }

  /** Rows of one subscription's list, and of those the ones the run did not see. */
  async counts(
    table: CloudList,
    integrationId: string,
    subscriptionId: string,
    runId: number,
  ): Promise<{ total: number; unseen: number }> {
    const row = await this.#db
      .selectFrom(table)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('total'),
        eb.fn.sum<number | string>(eb.case().when('run_id', '!=', runId).then(1).else(0).end()).as('unseen'),
      ])
      .where('integration_id', '=', integrationId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return { total: Number(row?.total ?? 0), unseen: Number(row?.unseen ?? 0) };
  }

  async removeNotSeen(
    table: CloudList,
    integrationId: string,
    subscriptionId: string,
    runId: number,
  ): Promise<void> {
    await this.#db
      .deleteFrom(table)
      .where('integration_id', '=', integrationId)
      .where('subscription_id', '=', subscriptionId)
      .where('run_id', '!=', runId)
      .execute();
  }

  subscriptions(filter: CloudScope, page: PageRequest): Promise<Page<CloudSubscriptionRow>> {
    const query = this.#db.selectFrom('cloud_subscriptions').where(scope(filter));
    return fetchPage(
      page,
      query.selectAll().orderBy('integration_id').orderBy('display_name').orderBy('subscription_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  secureScores(filter: CloudScope): Promise<CloudSecureScoreRow[]> {
    return this.#db
      .selectFrom('cloud_secure_scores')
      .where(scope(filter))
      .selectAll()
      .orderBy('integration_id')
      .orderBy('subscription_id')
      .orderBy('name')
      .execute();
  }

  /** Daily readings since `day` (YYYY-MM-DD), oldest first. */
  scoreHistory(filter: CloudScope, sinceDay: string): Promise<CloudSecureScoreDayRow[]> {
    return this.#db
      .selectFrom('cloud_secure_score_days')
      .where(scope(filter))
      .selectAll()
      .where('day', '>=', sinceDay)
      .orderBy('integration_id')
      .orderBy('subscription_id')
      .orderBy('name')
      .orderBy('day')
      .execute();
  }

  assessments(filter: CloudAssessmentFilter, page: PageRequest): Promise<Page<CloudAssessmentRow>> {
    let query = this.#db.selectFrom('cloud_assessments').where(scope(filter));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.severity !== undefined) query = query.where('severity', '=', filter.severity);
    if (filter.resourceType !== undefined)
      query = query.where(sql<string>`lower(resource_type)`, '=', filter.resourceType.toLowerCase());
    return fetchPage(
      page,
      query.selectAll().orderBy('integration_id').orderBy('assessment_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  findings(filter: CloudFindingFilter, page: PageRequest): Promise<Page<CloudFindingRow>> {
    let query = this.#db.selectFrom('cloud_findings').where(scope(filter));
    if (filter.severity !== undefined) query = query.where('severity', '=', filter.severity);
    if (filter.resourceType !== undefined) {
      const type = filter.resourceType.toLowerCase();
      query = query.where((eb) =>
        eb.or([
          eb(sql<string>`lower(resource_type)`, '=', type),
          eb(sql<string>`lower(assessed_resource_type)`, '=', type),
        ]),
      );
    }
    if (filter.cve !== undefined)
      // cve_ids is a JSON list of quoted ids: the quoted id matches exactly one member.
      query = query.where(sql<string>`upper(cve_ids)`, 'like', `%"${filter.cve.toUpperCase()}"%`);
    return fetchPage(
      page,
      query.selectAll().orderBy('integration_id').orderBy('finding_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  /** Distinct resources of the assessments, the most unhealthy High first. */
  resources(filter: CloudResourceFilter, page: PageRequest): Promise<Page<CloudResource>> {
    let base = this.#db
      .selectFrom('cloud_assessments')
      .where(scope(filter))
      .where('resource_id', 'is not', null);
    if (filter.resourceType !== undefined)
      base = base.where(sql<string>`lower(resource_type)`, '=', filter.resourceType.toLowerCase());
    const unhealthy = (severity: string) =>
      sql<number | string>`sum(case when status = 'unhealthy' and severity = ${severity} then 1 else 0 end)`;
    const grouped = base
      .select((eb) => [
        'integration_id',
        'subscription_id',
        'resource_id',
        eb.fn.max('resource_type').as('resource_type'),
        eb.fn.countAll<number | string>().as('assessments'),
        unhealthy('High').as('high'),
        unhealthy('Medium').as('medium'),
        unhealthy('Low').as('low'),
      ])
      .groupBy(['integration_id', 'subscription_id', 'resource_id']);
    const rows = this.#db
      .selectFrom(grouped.as('r'))
      .selectAll()
      .orderBy('high', 'desc')
      .orderBy('medium', 'desc')
      .orderBy('low', 'desc')
      .orderBy('resource_id');
    const total = this.#db.selectFrom(grouped.as('r')).select((eb) => eb.fn.countAll<number>().as('total'));
    return fetchPage(page, rows, total, (items) =>
      items.map((r) => ({
        integrationId: r.integration_id,
        subscriptionId: r.subscription_id,
        resourceId: r.resource_id ?? '',
        resourceType: r.resource_type,
        assessments: Number(r.assessments),
        unhealthy: { High: Number(r.high), Medium: Number(r.medium), Low: Number(r.low) },
      })),
    );
  }
}

/** An integration and a subscription (ids compared ignoring case), for any of the cloud tables. */
function scope(filter: CloudScope): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (filter.integrationId !== undefined) parts.push(sql`integration_id = ${filter.integrationId}`);
  if (filter.subscription !== undefined)
    parts.push(sql`lower(subscription_id) = ${filter.subscription.toLowerCase()}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
