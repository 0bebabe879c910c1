import type { Insertable, Selectable } from 'kysely';
import type { Role, SessionsTable, UsersTable } from '../db/schema.js';

/** A live UI session with its user, as a request's principal is made from it. */
export interface Session {
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  readonly lastSeenAt: string;
  /** The absolute expiry; the idle one is counted from `lastSeenAt`. */
  readonly expiresAt: string;
}

/** A session opened at sign-in, stored by the SHA-256 of its cookie's value. */
export interface NewSession {
  readonly tokenHash: string;
  readonly userId: number;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly address: string | null;
}

type SessionWithUserRow = Selectable<SessionsTable> & Pick<Selectable<UsersTable>, 'username' | 'role'>;

export function toSession(row: SessionWithUserRow): Session {
  return {
    userId: row.user_id,
    username: row.username,
    role: row.role,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

export function toSessionRow(session: NewSession): Insertable<SessionsTable> {
  return {
    token_hash: session.tokenHash,
    user_id: session.userId,
    created_at: session.createdAt,
    last_seen_at: session.lastSeenAt,
    expires_at: session.expiresAt,
    address: session.address,
  };
}
