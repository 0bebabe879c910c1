import type { Selectable, Updateable } from 'kysely';
import type { Role, UsersTable } from '../db/schema.js';

/** A local user as the API and the CLI show it: never the password hash. */
export interface User {
  id: number;
  username: string;
  role: Role;
  passwordSetAt: string;
  lastLoginAt: string | null;
  lockedUntil: string | null;
  createdAt: string;
}

/** What a sign-in checks: the user and, apart from it so it is never answered, the password hash. */
export interface UserCredentials {
  readonly user: User;
  readonly passwordHash: string;
}

/** The columns a change sets; a new password also sets when it was set. */
export interface UserChange {
  readonly role?: Role;
  readonly passwordHash?: string;
  readonly passwordSetAt?: string;
  readonly failedLogins?: number;
  readonly lockedUntil?: string | null;
  readonly lastLoginAt?: string;
  readonly updatedAt?: string;
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    passwordSetAt: row.password_set_at,
    lastLoginAt: row.last_login_at,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
  };
}

export function toUserCredentials(row: Selectable<UsersTable>): UserCredentials {
  return { user: toUser(row), passwordHash: row.password_hash };
}

/** Only the fields the change names: an absent one leaves its column alone. */
export function toUserUpdate(change: UserChange): Updateable<UsersTable> {
  return {
    ...(change.role === undefined ? {} : { role: change.role }),
    ...(change.passwordHash === undefined ? {} : { password_hash: change.passwordHash }),
    ...(change.passwordSetAt === undefined ? {} : { password_set_at: change.passwordSetAt }),
    ...(change.failedLogins === undefined ? {} : { failed_logins: change.failedLogins }),
    ...(change.lockedUntil === undefined ? {} : { locked_until: change.lockedUntil }),
    ...(change.lastLoginAt === undefined ? {} : { last_login_at: change.lastLoginAt }),
    ...(change.updatedAt === undefined ? {} : { updated_at: change.updatedAt }),
  };
}
