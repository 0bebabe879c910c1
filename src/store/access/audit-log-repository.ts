import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../db/schema.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';

export type AuditEntryRow = Selectable<AuditLogTable>;

export interface AuditFilter {
  readonly actor?: string | undefined;
  /** The start of the action's text, e.g. `POST /api/v1/integrations`. */
  readonly action?: string | undefined;
  readonly outcome?: AuditLogTable['outcome'] | undefined;
  /** ISO instants, inclusive. */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/** Append-only: entries are added and read, never changed or removed by the application. */
export class AuditLogRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(entry: Insertable<AuditLogTable>): Promise<void> {
    await this.#db.insertInto('audit_log').values(entry).execute();
  }

  #filtered(filter: AuditFilter) {
    let query = this.#db.selectFrom('audit_log');
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined)
      query = query.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '\\$&')}%`);
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<=', filter.until);
    return query;
  }

  /** Newest first. */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntryRow>> {
    const query = this.#filtered(filter);
    return fetchPage(
      page,
      query.selectAll().orderBy('id', 'desc'),
      query.select((eb) => eb.fn.countAll<number>().as('total')),
      (rows) => rows,
    );
  }

  /** Oldest first from after `afterId`, for exports read page by page. */
  from(filter: AuditFilter, afterId: number, limit: number): Promise<AuditEntryRow[]> {
    return this.#filtered(filter).selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  }
}
