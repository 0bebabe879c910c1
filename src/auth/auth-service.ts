import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseInput } from '../parse-input.js';
import { lowerRole, roleAllows, type Role } from '../domain/roles.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { LoginLimiter } from './login-limiter.js';
import {
  createTokenInput,
  createUserInput,
  loginInput,
  passwordSchema,
  updateUserInput,
} from './auth-input.js';
import {
  accountLocked,
  lastAdmin,
  loginFailed,
  roleTooLow,
  tokenNotFound,
  userNameTaken,
  userNotFound,
} from './auth-errors.js';
import type { ApiToken, Repositories, User } from '../store/index.js';

/** Who a request acts for: a signed-in user (session) or an API token's. */
export interface Principal {
  readonly kind: 'session' | 'token';
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  readonly tokenId?: number;
  /** The session's CSRF token, which state-changing requests of a session must echo. */
  readonly csrfToken?: string;
}

export interface AuthOptions {
  /** A session unused this long ends. */
  readonly idleMinutes: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxHours: number;
  /** Failed sign-ins in a row that lock an account, and for how long. */
  readonly lockAfter: number;
  readonly lockMinutes: number;
  readonly now?: () => Date;
}

export const defaultAuthOptions: AuthOptions = {
  idleMinutes: 30,
  maxHours: 12,
  lockAfter: 5,
  lockMinutes: 15,
};

export interface SignedIn {
  /** The cookie's value: shown to the browser only, never stored. */
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly user: User;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const newSecret = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;
/** The CSRF token is derived from the session's value, so it needs no storage and dies with the session. */
const csrfOf = (sessionToken: string): string =>
  createHash('sha256').update(`csrf\n${sessionToken}`).digest('base64url');
// Session and token last-use times are written at most this often: a page's or a script's every call
// should not be a write (the idle expiry is measured from it, a minute at most behind).
const touchEveryMs = 60_000;

/** Local users, their sessions and API tokens: who may get in, and as which role. */
export class AuthService {
  readonly #repos: Pick<Repositories, 'users' | 'sessions' | 'apiTokens'>;
  readonly #options: AuthOptions;
  readonly #limiter = new LoginLimiter();

  constructor(
    repos: Pick<Repositories, 'users' | 'sessions' | 'apiTokens'>,
    options: Partial<AuthOptions> = {},
  ) {
    this.#repos = repos;
    this.#options = { ...defaultAuthOptions, ...options };
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  // ---- users

  async listUsers(): Promise<User[]> {
    return this.#repos.users.list();
  }

  async getUser(id: number): Promise<User> {
    return this.#user(id);
  }

  /** A new user; without a password one is generated and answered once. */
  async createUser(input: unknown): Promise<{ user: User; password?: string }> {
    const { username, role, password } = parseInput(createUserInput, input);
    if ((await this.#repos.users.findByName(username)) !== undefined) throw userNameTaken(username);
    const chosen = password ?? generatePassword();
    const user = await this.#repos.users.insert({
      username,
      role,
      passwordHash: await hashPassword(chosen),
      now: this.#now().toISOString(),
    });
    return { user, ...(password === undefined ? { password: chosen } : {}) };
  }

  /** A new role and/or password; either one ends the user's sessions. */
  async updateUser(id: number, input: unknown): Promise<User> {
    const change = parseInput(updateUserInput, input);
    const user = await this.#user(id);
    if (change.role !== undefined && change.role !== 'admin' && user.role === 'admin')
      await this.#keepAnAdmin();
    const now = this.#now().toISOString();
    await this.#repos.users.update(id, {
      ...(change.role === undefined ? {} : { role: change.role }),
      ...(change.password === undefined
        ? {}
        : {
            passwordHash: await hashPassword(change.password),
            passwordSetAt: now,
            failedLogins: 0,
            lockedUntil: null,
          }),
      updatedAt: now,
    });
    await this.#repos.sessions.removeForUser(id);
    return this.#user(id);
  }

  /** Sets a password (generated when none is given, and answered once) and unlocks the account. */
  async resetPassword(username: string, password?: string): Promise<{ user: User; password?: string }> {
    const user = await this.#repos.users.findByName(username);
    if (user === undefined) throw userNotFound(username);
    const chosen = password === undefined ? generatePassword() : parseInput(passwordSchema, password);
    const updated = await this.updateUser(user.id, { password: chosen });
    return { user: updated, ...(password === undefined ? { password: chosen } : {}) };
  }

  async removeUser(id: number): Promise<void> {
    const user = await this.#user(id);
    if (user.role === 'admin') await this.#keepAnAdmin();
    await this.#repos.users.remove(id);
  }

  /** On a hub with no user: the first admin, with the given password or a generated one (answered once). */
  async ensureFirstAdmin(
    password: string | undefined,
  ): Promise<{ username: string; password?: string } | undefined> {
    if ((await this.#repos.users.count()) > 0) return undefined;
    const created = await this.createUser({
      username: 'admin',
      role: 'admin',
      ...(password === undefined ? {} : { password }),
    });
    return {
      username: created.user.username,
      ...(created.password === undefined ? {} : { password: created.password }),
    };
  }

  async #user(id: number): Promise<User> {
    const user = await this.#repos.users.find(id);
    if (user === undefined) throw userNotFound(id);
    return user;
  }

  async #keepAnAdmin(): Promise<void> {
    if ((await this.#repos.users.adminCount()) <= 1) throw lastAdmin();
  }

  // ---- sessions

  /**
   * Checks a password and opens a session. Every failure answers alike, whether the name exists or not; an
   * account locks after too many failures in a row, and an address is slowed down across accounts.
   */
  async login(input: unknown, address: string): Promise<SignedIn> {
    const { username, password } = parseInput(loginInput, input);
    this.#limiter.check(address);
    const now = this.#now();
    const credentials = await this.#repos.users.credentials(username);
    const user = credentials?.user;
    if (user?.lockedUntil != null && Date.parse(user.lockedUntil) > now.getTime())
      throw accountLocked(Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / 60_000));
    // A made-up hash keeps the time of an unknown name close to that of a wrong password.
    const ok = await verifyPassword(password, credentials?.passwordHash ?? unknownUserHash);
    if (user === undefined || !ok) {
      this.#limiter.fail(address);
      if (user !== undefined) await this.#failed(user, now);
      throw loginFailed();
    }
    await this.#repos.users.update(user.id, {
      failedLogins: 0,
      lockedUntil: null,
      lastLoginAt: now.toISOString(),
    });
    // Sessions that ended are dropped as new ones begin, so the table holds live sessions only.
    await this.#repos.sessions.removeExpired(
      now.toISOString(),
      new Date(now.getTime() - this.#options.idleMinutes * 60_000).toISOString(),
    );
    const sessionToken = newSecret('');
    const expiresAt = new Date(now.getTime() + this.#options.maxHours * 3_600_000).toISOString();
    await this.#repos.sessions.insert({
      tokenHash: sha256(sessionToken),
      userId: user.id,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt,
      address,
    });
    return { sessionToken, csrfToken: csrfOf(sessionToken), expiresAt, user };
  }

  async #failed(user: User, now: Date): Promise<void> {
    const failures = await this.#repos.users.addFailedLogin(user.id);
    if (failures < this.#options.lockAfter) return;
    await this.#repos.users.update(user.id, {
      lockedUntil: new Date(now.getTime() + this.#options.lockMinutes * 60_000).toISOString(),
      failedLogins: 0,
    });
  }

  /** The session's principal while it is neither idle too long nor past its absolute end. */
  async session(sessionToken: string): Promise<Principal | undefined> {
    const hash = sha256(sessionToken);
    const session = await this.#repos.sessions.find(hash);
    if (session === undefined) return undefined;
    const now = this.#now();
    const idleEnd = Date.parse(session.lastSeenAt) + this.#options.idleMinutes * 60_000;
    if (Date.parse(session.expiresAt) <= now.getTime() || idleEnd <= now.getTime()) {
      await this.#repos.sessions.remove(hash);
      return undefined;
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) >= touchEveryMs)
      await this.#repos.sessions.touch(hash, now.toISOString());
    return {
      kind: 'session',
      userId: session.userId,
      username: session.username,
      role: session.role,
      csrfToken: csrfOf(sessionToken),
    };
  }

  async logout(sessionToken: string): Promise<void> {
    await this.#repos.sessions.remove(sha256(sessionToken));
  }

  /** Whether a request's header carries its session's CSRF token (compared in constant time). */
  static csrfMatches(principal: Principal, header: string | undefined): boolean {
    if (principal.csrfToken === undefined || header === undefined) return false;
    const a = Buffer.from(principal.csrfToken);
    const b = Buffer.from(header);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  // ---- API tokens

  /** A token for scripts, with a role no higher than its creator's; the value is answered once. */
  async createToken(principal: Principal, input: unknown): Promise<{ token: string; view: ApiToken }> {
    const { name, role } = parseInput(createTokenInput, input);
    if (!roleAllows(principal.role, role)) throw roleTooLow(role, principal.role);
    const token = newSecret('dh_');
    const view = await this.#repos.apiTokens.insert({
      tokenHash: sha256(token),
      userId: principal.userId,
      name,
      role,
      now: this.#now().toISOString(),
    });
    return { token, view };
  }

  /** Admins see every token; others their own. */
  async listTokens(principal: Principal): Promise<ApiToken[]> {
    return this.#repos.apiTokens.list(principal.role === 'admin' ? undefined : principal.userId);
  }

  /** Revokes at once: the next request with it is refused. Admins may revoke anyone's. */
  async revokeToken(principal: Principal, id: number): Promise<void> {
    const owner = await this.#repos.apiTokens.ownerOf(id);
    if (owner === undefined || (owner !== principal.userId && principal.role !== 'admin'))
      throw tokenNotFound(id);
    await this.#repos.apiTokens.revoke(id, this.#now().toISOString());
  }

  /** The token's principal: its own role, capped by its user's role now (a demoted user's tokens follow). */
  async token(value: string): Promise<Principal | undefined> {
    const token = await this.#repos.apiTokens.findActive(sha256(value));
    if (token === undefined) return undefined;
    const now = this.#now();
    if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) >= touchEveryMs)
      await this.#repos.apiTokens.touch(token.id, now.toISOString());
    return {
      kind: 'token',
      userId: token.userId,
      username: token.username,
      role: lowerRole(token.role, token.userRole),
      tokenId: token.id,
    };
  }

  /** A token for the hub's own use (the demo's ready line): the first admin's, created on demand. */
  async issueAdminToken(name: string): Promise<string> {
    const admin = (await this.#repos.users.list()).find((u) => u.role === 'admin');
    if (admin === undefined) throw userNotFound('admin');
    const principal: Principal = { kind: 'token', userId: admin.id, username: admin.username, role: 'admin' };
    return (await this.createToken(principal, { name, role: 'admin' })).token;
  }
}

const unknownUserHash = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
