import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable, UsersTable } from '../db/schema.js';

export type SessionWithUser = Selectable<SessionsTable> & {
  username: UsersTable['username'];
  role: UsersTable['role'];
};

/** UI sessions, by the SHA-256 of their cookie value. */
export class SessionsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(row: Insertable<SessionsTable>): Promise<void> {
    await this.#db.insertInto('sessions').values(row).execute();
  }

  find(tokenHash: string): Promise<SessionWithUser | undefined> {
    return this.#db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('s')
      .select(['u.username', 'u.role'])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touch(tokenHash: string, now: string): Promise<void> {
    await this.#db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async remove(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** Every session of a user: after a password reset or a role change, they sign in again. */
  async removeForUser(userId: number): Promise<void> {
    await this.#db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async removeExpired(now: string, idleSince: string): Promise<void> {
    await this.#db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
      .execute();
  }
}
