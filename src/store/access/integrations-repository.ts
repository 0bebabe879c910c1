import type { Kysely } from 'kysely';
import type { Database, IntegrationRow, IntegrationUpdate, NewIntegrationRow } from '../db/schema.js';

/** The only code that reads and writes the integrations table. Rows in, rows out: mapping is the service's. */
export class IntegrationsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(row: NewIntegrationRow): Promise<IntegrationRow> {
    return this.#db.insertInto('integrations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  list(): Promise<IntegrationRow[]> {
    return this.#db.selectFrom('integrations').selectAll().orderBy('name').execute();
  }

  find(id: string): Promise<IntegrationRow | undefined> {
    return this.#db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(name: string): Promise<IntegrationRow | undefined> {
    return this.#db.selectFrom('integrations').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async update(id: string, changes: IntegrationUpdate): Promise<IntegrationRow | undefined> {
    return this.#db
      .updateTable('integrations')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('integrations').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
