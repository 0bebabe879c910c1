import type { Selectable } from 'kysely';
import type { Database } from './schema.js';
import { Repository, type Connection } from './repository.js';

/** The tables of what a user names and edits one at a time: integrations, patch strategies, saved hunts. */
export type NamedTable = 'integrations' | 'patch_strategies' | 'hunting_queries';
type Row<T extends NamedTable> = Selectable<Database[T]>;
/** Integrations are keyed by a UUID, the others by a row number. */
type Id<T extends NamedTable> = T extends 'integrations' ? string : number;

/**
 * The reads and the removal every named record has: the list by name, one by id or by name, delete by id. The
 * subclass adds its writes. Kysely cannot type one builder over a table chosen by a type parameter, so these
 * queries name the table as the union (they touch only `id` and `name`, which all three have) and each row
 * goes to the subclass's mapper under its own table's type.
 */
export abstract class NamedRecords<T extends NamedTable, Item> extends Repository {
  readonly #table: NamedTable;
  readonly #toItem: (row: Row<T>) => Item;

  constructor(connection: Connection, table: T, toItem: (row: Row<T>) => Item) {
    super(connection);
    this.#table = table;
    this.#toItem = toItem;
  }

  async list(): Promise<Item[]> {
    const rows = await this.db.selectFrom(this.#table).selectAll().orderBy('name').execute();
    return rows.map((row) => this.#toItem(row as Row<T>));
  }

  find(id: Id<T>): Promise<Item | undefined> {
    return this.#first('id', id);
  }

  findByName(name: string): Promise<Item | undefined> {
    return this.#first('name', name);
  }

  async remove(id: Id<T>): Promise<boolean> {
    const result = await this.db.deleteFrom(this.#table).where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async #first(column: 'id' | 'name', value: string | number): Promise<Item | undefined> {
    const row = await this.db
      .selectFrom(this.#table)
      .selectAll()
      .where(column, '=', value)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#toItem(row as Row<T>);
  }
}
