import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, Role, UsersTable } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;

/** Local users. Names are stored lower case. */
export class UsersRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  list(): Promise<UserRow[]> {
    return this.#db.selectFrom('users').selectAll().orderBy('username').execute();
  }

  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  find(id: number): Promise<UserRow | undefined> {
    return this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(username: string): Promise<UserRow | undefined> {
    return this.#db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username.toLowerCase())
      .executeTakeFirst();
  }

  insert(user: { username: string; role: Role; passwordHash: string; now: string }): Promise<UserRow> {
    return this.#db
      .insertInto('users')
      .values({
        username: user.username.toLowerCase(),
        role: user.role,
        password_hash: user.passwordHash,
        password_set_at: user.now,
        created_at: user.now,
        updated_at: user.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(id: number, change: Updateable<UsersTable>): Promise<void> {
    await this.#db.updateTable('users').set(change).where('id', '=', id).execute();
  }

  /** One more failed sign-in, counted in the database so every process sees it; answers the new count. */
  async addFailedLogin(id: number): Promise<number> {
    const row = await this.#db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    return row.failed_logins;
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.#db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async adminCount(): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
