import { Repository } from '../db/repository.js';
import { toSession, toSessionRow, type NewSession, type Session } from './session-mapper.js';

/** UI sessions, by the SHA-256 of their cookie value. */
export class SessionsRepository extends Repository {
  async insert(session: NewSession): Promise<void> {
    await this.db.insertInto('sessions').values(toSessionRow(session)).execute();
  }

  async find(tokenHash: string): Promise<Session | undefined> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('s')
      .select(['u.username', 'u.role'])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  }

  async touch(tokenHash: string, now: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async remove(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** Every session of a user: after a password reset or a role change, they sign in again. */
  async removeForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async removeExpired(now: string, idleSince: string): Promise<void> {
    await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
      .execute();
  }
}
