import { sql } from 'kysely';
import { severityLevels } from '../../domain/levels.js';
import { Repository } from '../db/repository.js';
import { levelAt, rankOf } from '../db/level-sql.js';

export type Counts = Record<string, number>;

export interface Snapshot {
  day: string;
  endpointsByRisk: Counts;
  openFindingsBySeverity: Counts;
  patchesBySeverity: Counts;
}

const parseCounts = (text: string): Counts => JSON.parse(text) as Counts;

function counted(rows: readonly { key: string | null; n: number }[]): Counts {
  const counts: Counts = {};
  for (const r of rows) counts[r.key ?? 'Unknown'] = (counts[r.key ?? 'Unknown'] ?? 0) + r.n;
  return counts;
}

function add(into: Counts, from: Counts): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

/** One row per integration and UTC day of what its data looked like, for trend charts. */
export class SnapshotsRepository extends Repository {
  /**
   * Counts the integration's data now and stores it as today's snapshot (a later one the same day replaces it).
   * `openFindingsBySeverity`: counts the caller already holds (a findings run that saw every open finding).
   */
  async take(
    integrationId: string,
    now: Date,
    known: { readonly openFindingsBySeverity?: Readonly<Counts> } = {},
  ): Promise<Snapshot> {
    const db = this.db;
    const [risk, findings, patches] = await Promise.all([
      this.#riskCounts(integrationId),
      known.openFindingsBySeverity ?? this.#openFindingCounts(integrationId),
      db
        .selectFrom('patches')
        .select(['severity as key', sql<number>`count(*)`.as('n')])
        .where('integration_id', '=', integrationId)
        .groupBy('severity')
        .execute(),
    ]);
    const snapshot: Snapshot = {
      day: now.toISOString().slice(0, 10),
      endpointsByRisk: risk,
      openFindingsBySeverity: { ...findings },
      patchesBySeverity: counted(patches),
    };
    const row = {
      integration_id: integrationId,
      day: snapshot.day,
      endpoints_by_risk: JSON.stringify(snapshot.endpointsByRisk),
      findings_by_severity: JSON.stringify(snapshot.openFindingsBySeverity),
      patches_by_severity: JSON.stringify(snapshot.patchesBySeverity),
      taken_at: now.toISOString(),
    };
    await db
      .insertInto('daily_snapshots')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['integration_id', 'day']).doUpdateSet({
          endpoints_by_risk: row.endpoints_by_risk,
          findings_by_severity: row.findings_by_severity,
          patches_by_severity: row.patches_by_severity,
          taken_at: row.taken_at,
        }),
      )
      .execute();
    return snapshot;
  }

  /**
   * Machines and alerts runs change endpoint risk only: today's snapshot takes the new risk counts without
   * recounting millions of findings (or is taken whole if there is none yet).
   */
  async refreshRisk(integrationId: string, now: Date): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    const risk = await this.#riskCounts(integrationId);
    const result = await this.db
      .updateTable('daily_snapshots')
      .set({ endpoints_by_risk: JSON.stringify(risk), taken_at: now.toISOString() })
      .where('integration_id', '=', integrationId)
      .where('day', '=', day)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) await this.take(integrationId, now);
  }

  async #openFindingCounts(integrationId: string): Promise<Counts> {
    const severity = levelAt(sql<number>`${rankOf('severity', severityLevels)}`, severityLevels);
    const rows = await this.db
      .selectFrom('findings')
      .select([severity.as('key'), sql<number>`count(*)`.as('n')])
      .where('integration_id', '=', integrationId)
      .where('status', '=', 'open')
      .where('cve_id', 'is not', null)
      .groupBy(severity)
      .execute();
    return counted(rows);
  }

  async #riskCounts(integrationId: string): Promise<Counts> {
    const rows = await this.db
      .selectFrom('endpoints')
      .select(['risk_level as key', sql<number>`count(*)`.as('n')])
      .where('integration_id', '=', integrationId)
      .where('stale', '=', 0)
      .groupBy('risk_level')
      .execute();
    return counted(rows);
  }

  /**
   * Open vulnerability findings by severity as the newest snapshot of each integration (or of the one given)
   * counted them, summed: what the last findings run left, without recounting millions of rows.
   */
  async newestOpenFindings(integrationId: string | undefined): Promise<Counts> {
    let newest = this.db
      .selectFrom('daily_snapshots')
      .select(['integration_id', (eb) => eb.fn.max('day').as('day')])
      .groupBy('integration_id');
    if (integrationId !== undefined) newest = newest.where('integration_id', '=', integrationId);
    const rows = await this.db
      .selectFrom('daily_snapshots as s')
      .innerJoin(newest.as('n'), (join) =>
        join.onRef('n.integration_id', '=', 's.integration_id').onRef('n.day', '=', 's.day'),
      )
      .select('s.findings_by_severity')
      .execute();
    const counts: Counts = {};
    for (const row of rows) add(counts, parseCounts(row.findings_by_severity));
    return counts;
  }

  /** Snapshots from `sinceDay` on, oldest first; without an integration, each day summed over all of them. */
  async trends(integrationId: string | undefined, sinceDay: string): Promise<Snapshot[]> {
    let query = this.db.selectFrom('daily_snapshots').selectAll().where('day', '>=', sinceDay);
    if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
    const rows = await query.orderBy('day').execute();
    const byDay = new Map<string, Snapshot>();
    for (const r of rows) {
      const day = byDay.get(r.day) ?? {
        day: r.day,
        endpointsByRisk: {},
        openFindingsBySeverity: {},
        patchesBySeverity: {},
      };
      add(day.endpointsByRisk, parseCounts(r.endpoints_by_risk));
      add(day.openFindingsBySeverity, parseCounts(r.findings_by_severity));
      add(day.patchesBySeverity, parseCounts(r.patches_by_severity));
      byDay.set(r.day, day);
    }
    return [...byDay.values()];
  }
}
