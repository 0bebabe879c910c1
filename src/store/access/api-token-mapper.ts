import type { Selectable } from 'kysely';
import type { ApiTokensTable, Role, UsersTable } from '../db/schema.js';

/** An API token as the API and the CLI list it: never its hash. */
export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  username: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A live token with what a request's principal is made from: its user and that user's role now. */
export interface ActiveApiToken {
  readonly id: number;
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  readonly userRole: Role;
  readonly lastUsedAt: string | null;
}

type ApiTokenRow = Selectable<ApiTokensTable>;
type UserColumns = Pick<Selectable<UsersTable>, 'username'>;

export function toApiToken(row: ApiTokenRow & UserColumns): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    username: row.username,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function toActiveApiToken(row: ApiTokenRow & UserColumns & { user_role: Role }): ActiveApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    role: row.role,
    userRole: row.user_role,
    lastUsedAt: row.last_used_at,
  };
}
