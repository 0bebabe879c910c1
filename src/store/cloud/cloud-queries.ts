import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { Repository } from '../db/repository.js';
import type { CloudStatus } from '../../domain/cloud-status.js';
import {
  containsText,
  fetchPage,
  parseSort,
  sortValues,
  type Page,
  type PageRequest,
} from '../db/list-queries.js';
import { rankOf } from '../db/level-sql.js';
import { riskLevels, type RiskLevel } from '../../domain/levels.js';
import {
  toAssessment,
  toFinding,
  toSecureScores,
  toSubscription,
  type CloudAssessment,
  type CloudFinding,
  type CloudSecureScore,
  type CloudSubscription,
} from './cloud-mapper.js';

export interface CloudScope {
  readonly integrationId?: string | undefined;
  readonly subscription?: string | undefined;
}

export interface CloudAssessmentFilter extends CloudScope {
  readonly status?: CloudStatus | undefined;
  readonly severity?: string | undefined;
  readonly resourceType?: string | undefined;
  /** One resource's id, any case. */
  readonly resource?: string | undefined;
}

export interface CloudFindingFilter extends CloudScope {
  readonly status?: CloudStatus | undefined;
  readonly severity?: string | undefined;
  readonly cve?: string | undefined;
  readonly resourceType?: string | undefined;
  /** One resource's id, any case: its own findings and those of its assessments (see insertFindingCves). */
  readonly resource?: string | undefined;
}

export interface CloudResourceFilter extends CloudScope {
  readonly resourceType?: string | undefined;
  /** Any of these levels. */
  readonly riskLevels?: readonly RiskLevel[] | undefined;
  /** Part of the resource id, any case. */
  readonly search?: string | undefined;
  /** Only resources with an unhealthy finding naming this CVE (any case). */
  readonly cve?: string | undefined;
}

export const cloudResourceSortFields = ['riskLevel', 'resourceId', 'findings', 'cves'] as const;
type CloudResourceSortField = (typeof cloudResourceSortFields)[number];
export const cloudResourceSorts = sortValues(cloudResourceSortFields);
export type CloudResourceSort = (typeof cloudResourceSorts)[number];

/** A resource as its assessments name it, with its unhealthy assessments counted by severity. */
export interface CloudResource {
  readonly integrationId: string;
  readonly subscriptionId: string;
  readonly resourceId: string;
  readonly resourceType: string | null;
  readonly assessments: number;
  readonly unhealthy: { readonly High: number; readonly Medium: number; readonly Low: number };
  /** cloudResourceRiskLevel of its worst unhealthy assessment and worst open finding. */
  readonly riskLevel: RiskLevel;
  /** Its open (unhealthy) findings. */
  readonly findings: number;
  /** Distinct CVEs its open findings name. */
  readonly cves: number;
}

/** Defender for Cloud posture as the API lists it: filtered, sorted and paged reads, mapped to their API shape. */
export class CloudQueries extends Repository {
  subscriptions(filter: CloudScope, page: PageRequest): Promise<Page<CloudSubscription>> {
    const query = this.db.selectFrom('cloud_subscriptions').where(scope(filter));
    return fetchPage(
      page,
      query.selectAll().orderBy('integration_id').orderBy('display_name').orderBy('subscription_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows.map(toSubscription),
    );
  }

  /** Each secure score in scope with its daily readings since `sinceDay` (YYYY-MM-DD), oldest first. */
  async secureScores(filter: CloudScope, sinceDay: string): Promise<CloudSecureScore[]> {
    const [scores, days] = await Promise.all([this.#scores(filter), this.#scoreHistory(filter, sinceDay)]);
    return toSecureScores(scores, days);
  }

  #scores(filter: CloudScope) {
    return this.db
      .selectFrom('cloud_secure_scores')
      .where(scope(filter))
      .selectAll()
      .orderBy('integration_id')
      .orderBy('subscription_id')
      .orderBy('name')
      .execute();
  }

  #scoreHistory(filter: CloudScope, sinceDay: string) {
    return this.db
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

  assessments(filter: CloudAssessmentFilter, page: PageRequest): Promise<Page<CloudAssessment>> {
    let query = this.db.selectFrom('cloud_assessments').where(scope(filter));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.severity !== undefined) query = query.where('severity', '=', filter.severity);
    if (filter.resourceType !== undefined)
      query = query.where(sql<string>`lower(resource_type)`, '=', filter.resourceType.toLowerCase());
    if (filter.resource !== undefined)
      query = query.where(sql<string>`lower(resource_id)`, '=', filter.resource.toLowerCase());
    return fetchPage(
      page,
      query.selectAll().orderBy('integration_id').orderBy('assessment_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows.map(toAssessment),
    );
  }

  findings(filter: CloudFindingFilter, page: PageRequest): Promise<Page<CloudFinding>> {
    let query = this.db.selectFrom('cloud_findings as f').where(scope(filter));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
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
    const { cve, resource } = filter;
    if (cve !== undefined)
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('cloud_finding_cves as l')
            .select('l.finding_id')
            .whereRef('l.integration_id', '=', 'f.integration_id')
            .whereRef('l.finding_id', '=', 'f.finding_id')
            .where('l.cve_id', '=', cve.toUpperCase()),
        ),
      );
    if (resource !== undefined) {
      const id = resource.toLowerCase();
      query = query.where((eb) =>
        eb.or([
          eb(sql<string>`lower(f.resource_id)`, '=', id),
          eb.exists(
            eb
              .selectFrom('cloud_assessments as a')
              .select('a.assessment_id')
              .whereRef('a.integration_id', '=', 'f.integration_id')
              .whereRef('a.assessment_id', '=', 'f.assessment_id')
              .where(sql<string>`lower(a.resource_id)`, '=', id),
          ),
        ]),
      );
    }
    return fetchPage(
      page,
      query.selectAll().orderBy('integration_id').orderBy('finding_id'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows.map(toFinding),
    );
  }

  /**
   * Distinct resources of the assessments with their risk level (cloudResourceRiskLevel, computed here in SQL:
   * the highest risk rank of its unhealthy assessments and of the unhealthy findings of those assessments), open
   * findings and distinct CVEs; the riskiest first unless sorted otherwise.
   */
  resources(
    filter: CloudResourceFilter,
    sort: CloudResourceSort,
    page: PageRequest,
  ): Promise<Page<CloudResource>> {
    const rows = this.#resourceRows(filter);
    const { field, direction } = parseSort(sort);
    const sortColumn = {
      riskLevel: 'risk_rank',
      resourceId: 'resource_id',
      findings: 'findings',
      cves: 'cves',
    } as const satisfies Record<CloudResourceSortField, string>;
    const ordered = rows
      .selectAll()
      .orderBy(sortColumn[field], direction)
      .orderBy('high', 'desc')
      .orderBy('medium', 'desc')
      .orderBy('low', 'desc')
      .orderBy('resource_id')
      .orderBy('integration_id');
    const total = rows.select((eb) => eb.fn.countAll<number>().as('total'));
    return fetchPage(page, ordered, total, (items) =>
      items.map((r) => ({
        integrationId: r.integration_id,
        subscriptionId: r.subscription_id,
        resourceId: r.resource_id ?? '',
        resourceType: r.resource_type,
        assessments: Number(r.assessments),
        unhealthy: { High: Number(r.high), Medium: Number(r.medium), Low: Number(r.low) },
        riskLevel: riskLevels[r.risk_rank] ?? 'None',
        findings: Number(r.findings),
        cves: Number(r.cves),
      })),
    );
  }

  /** The resources as one relation `x`, filtered, for the page and its total. */
  #resourceRows(filter: CloudResourceFilter) {
    const db = this.db;
    const findingRank = sql<number>`coalesce(fa.finding_rank, 0)`;
    const joined = db
      .selectFrom(this.#assessedResources(filter).as('r'))
      .leftJoin(this.#openFindingsByResource(filter.integrationId).as('fa'), (join) =>
        join
          .onRef('fa.integration_id', '=', 'r.integration_id')
          .onRef('fa.resource_id', '=', 'r.resource_id'),
      )
      .leftJoin(this.#cvesByResource(filter.integrationId).as('ca'), (join) =>
        join
          .onRef('ca.integration_id', '=', 'r.integration_id')
          .onRef('ca.resource_id', '=', 'r.resource_id'),
      )
      .select([
        'r.integration_id',
        'r.subscription_id',
        'r.resource_id',
        'r.resource_type',
        'r.assessments',
        'r.high',
        'r.medium',
        'r.low',
        // cloudResourceRiskLevel: the worse of the two ranks (None when neither has one).
        sql<number>`case when ${findingRank} > r.assessment_rank then ${findingRank} else r.assessment_rank end`.as(
          'risk_rank',
        ),
        sql<number | string>`coalesce(fa.findings, 0)`.as('findings'),
        sql<number | string>`coalesce(ca.cves, 0)`.as('cves'),
      ]);
    let rows = db.selectFrom(joined.as('x'));
    if (filter.riskLevels !== undefined && filter.riskLevels.length > 0)
      rows = rows.where(
        'risk_rank',
        'in',
        filter.riskLevels.map((level) => riskLevels.indexOf(level)),
      );
    const cve = filter.cve;
    if (cve !== undefined)
      rows = rows.where((eb) =>
        eb.exists(
          eb
            .selectFrom('cloud_finding_cves as l')
            .select(sql`1`.as('one'))
            .whereRef('l.integration_id', '=', 'x.integration_id')
            .whereRef('l.resource_id', '=', 'x.resource_id')
            .where('l.cve_id', '=', cve.toUpperCase())
            .where('l.status', '=', 'unhealthy'),
        ),
      );
    return rows;
  }

  /** The assessed resources in scope, with their unhealthy assessments by severity and the worst one's rank. */
  #assessedResources(filter: CloudResourceFilter) {
    let base = this.db
      .selectFrom('cloud_assessments')
      .where(scope(filter))
      .where('resource_id', 'is not', null);
    if (filter.resourceType !== undefined)
      base = base.where(sql<string>`lower(resource_type)`, '=', filter.resourceType.toLowerCase());
    const search = filter.search?.trim();
    if (search !== undefined && search !== '')
      base = base.where((eb) => containsText(eb.ref('resource_id'), search));
    const unhealthy = (severity: string) =>
      sql<number | string>`sum(case when status = 'unhealthy' and severity = ${severity} then 1 else 0 end)`;
    return base
      .select((eb) => [
        'integration_id',
        'subscription_id',
        'resource_id',
        eb.fn.max('resource_type').as('resource_type'),
        eb.fn.countAll<number | string>().as('assessments'),
        unhealthy('High').as('high'),
        unhealthy('Medium').as('medium'),
        unhealthy('Low').as('low'),
        sql<number>`max(case when status = 'unhealthy' then ${riskRankOf('severity')} else 0 end)`.as(
          'assessment_rank',
        ),
      ])
      .groupBy(['integration_id', 'subscription_id', 'resource_id']);
  }

  /** Open findings per resource their assessment assesses (as the CVE links place them), and the worst's rank. */
  #openFindingsByResource(integrationId: string | undefined) {
    const query = this.db
      .selectFrom('cloud_findings as f')
      .innerJoin('cloud_assessments as a', (join) =>
        join
          .onRef('a.integration_id', '=', 'f.integration_id')
          .onRef('a.assessment_id', '=', 'f.assessment_id'),
      )
      .where('f.status', '=', 'unhealthy')
      .select([
        'a.integration_id',
        'a.resource_id',
        sql<number | string>`count(*)`.as('findings'),
        sql<number>`max(${riskRankOf('f.severity')})`.as('finding_rank'),
      ])
      .groupBy(['a.integration_id', 'a.resource_id']);
    return integrationId === undefined ? query : query.where('f.integration_id', '=', integrationId);
  }

  /** Distinct CVEs of the open findings per resource. */
  #cvesByResource(integrationId: string | undefined) {
    const query = this.db
      .selectFrom('cloud_finding_cves')
      .where('status', '=', 'unhealthy')
      .select(['integration_id', 'resource_id', sql<number | string>`count(distinct cve_id)`.as('cves')])
      .groupBy(['integration_id', 'resource_id']);
    return integrationId === undefined ? query : query.where('integration_id', '=', integrationId);
  }
}

/** A severity column's rank on the risk scale (None 0 … Critical 4), 0 for no or an unknown word. */
function riskRankOf(column: string): RawBuilder<number> {
  return sql<number>`coalesce(${rankOf(column, riskLevels)}, 0)`;
}

/** An integration and a subscription (ids compared ignoring case), for any of the cloud tables. */
function scope(filter: CloudScope): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (filter.integrationId !== undefined) parts.push(sql`integration_id = ${filter.integrationId}`);
  if (filter.subscription !== undefined)
    parts.push(sql`lower(subscription_id) = ${filter.subscription.toLowerCase()}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
