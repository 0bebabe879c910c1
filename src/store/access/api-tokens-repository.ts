import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, Database, Role, UsersTable } from '../db/schema.js';

export type ApiTokenRow = Selectable<ApiTokensTable>;
export type ApiTokenWithUser = ApiTokenRow & {
  username: UsersTable['username'];
  user_role: UsersTable['role'];
};

/** API tokens, by the SHA-256 of their value. */
export class ApiTokensRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  insert(row: {
    tokenHash: string;
    userId: number;
    name: string;
    role: Role;
    now: string;
  }): Promise<ApiTokenRow> {
    return this.#db
      .insertInto('api_tokens')
      .values({
        token_hash: row.tokenHash,
        user_id: row.userId,
        name: row.name,
        role: row.role,
        created_at: row.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A live (not revoked) token with its user. */
  findActive(tokenHash: string): Promise<ApiTokenWithUser | undefined> {
    return this.#db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .selectAll('t')
      .select(['u.username', 'u.role as user_role'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .executeTakeFirst();
  }

  find(id: number): Promise<ApiTokenRow | undefined> {
    return this.#db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A user's tokens, or everyone's; newest first. */
  list(userId?: number): Promise<(ApiTokenRow & { username: string })[]> {
    let query = this.#db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .selectAll('t')
      .select('u.username');
    if (userId !== undefined) query = query.where('t.user_id', '=', userId);
    return query.orderBy('t.id', 'desc').execute();
  }

  async touch(id: number, now: string): Promise<void> {
    await this.#db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async revoke(id: number, now: string): Promise<void> {
    await this.#db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
