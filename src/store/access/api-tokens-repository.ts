import type { Role } from '../db/schema.js';
import { Repository } from '../db/repository.js';
import { toActiveApiToken, toApiToken, type ActiveApiToken, type ApiToken } from './api-token-mapper.js';

/** API tokens, by the SHA-256 of their value. */
export class ApiTokensRepository extends Repository {
  /** Answers the new token as `list` shows it. */
  async insert(token: {
    tokenHash: string;
    userId: number;
    name: string;
    role: Role;
    now: string;
  }): Promise<ApiToken> {
    const { id } = await this.db
      .insertInto('api_tokens')
      .values({
        token_hash: token.tokenHash,
        user_id: token.userId,
        name: token.name,
        role: token.role,
        created_at: token.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await this.#withUser().where('t.id', '=', id).executeTakeFirstOrThrow();
    return toApiToken(row);
  }

  /** A live (not revoked) token with its user. */
  async findActive(tokenHash: string): Promise<ActiveApiToken | undefined> {
    const row = await this.#withUser()
      .select('u.role as user_role')
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : toActiveApiToken(row);
  }

  /** The id of the user the token belongs to; undefined when there is no such token. */
  async ownerOf(id: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select('user_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.user_id;
  }

  /** A user's tokens, or everyone's; newest first. */
  async list(userId?: number): Promise<ApiToken[]> {
    let query = this.#withUser();
    if (userId !== undefined) query = query.where('t.user_id', '=', userId);
    const rows = await query.orderBy('t.id', 'desc').execute();
    return rows.map(toApiToken);
  }

  #withUser() {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .selectAll('t')
      .select('u.username');
  }

  async touch(id: number, now: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async revoke(id: number, now: string): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
