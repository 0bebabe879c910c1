import { Repository } from '../db/repository.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';
import {
  toAuditEntry,
  toAuditLogRow,
  type AuditEntry,
  type AuditOutcome,
  type NewAuditEntry,
} from './audit-entry-mapper.js';

export interface AuditFilter {
  readonly actor?: string | undefined;
  /** The start of the action's text, e.g. `POST /api/v1/integrations`. */
  readonly action?: string | undefined;
  readonly outcome?: AuditOutcome | undefined;
  /** ISO instants, inclusive. */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/** Append-only: entries are added and read, never changed or removed by the application. */
export class AuditLogRepository extends Repository {
  async append(entry: NewAuditEntry): Promise<void> {
    await this.db.insertInto('audit_log').values(toAuditLogRow(entry)).execute();
  }

  /** Deletes up to `limit` entries recorded before `cutoff`, oldest first; answers how many went. */
  async pruneBefore(cutoff: string, limit: number): Promise<number> {
    const doomed = this.db
      .selectFrom('audit_log')
      .select('id')
      .where('at', '<', cutoff)
      .orderBy('at')
      .limit(limit);
    const result = await this.db.deleteFrom('audit_log').where('id', 'in', doomed).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  #filtered(filter: AuditFilter) {
    let query = this.db.selectFrom('audit_log');
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined)
      query = query.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '\\$&')}%`);
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<=', filter.until);
    return query;
  }

  /** Newest first. */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const query = this.#filtered(filter);
    return fetchPage(
      page,
      query.selectAll().orderBy('id', 'desc'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows.map(toAuditEntry),
    );
  }

  /** Oldest first from after `afterId`, for exports read page by page. */
  async from(filter: AuditFilter, afterId: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.#filtered(filter)
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toAuditEntry);
  }
}
