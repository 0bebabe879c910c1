import type { Role } from '../db/schema.js';
import { Repository } from '../db/repository.js';
import {
  toUser,
  toUserCredentials,
  toUserUpdate,
  type User,
  type UserChange,
  type UserCredentials,
} from './user-mapper.js';

/** Local users. Names are stored lower case. */
export class UsersRepository extends Repository {
  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async find(id: number): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async findByName(username: string): Promise<User | undefined> {
    const row = await this.#byName(username);
    return row === undefined ? undefined : toUser(row);
  }

  /** The user of that name with the password hash a sign-in checks. */
  async credentials(username: string): Promise<UserCredentials | undefined> {
    const row = await this.#byName(username);
    return row === undefined ? undefined : toUserCredentials(row);
  }

  #byName(username: string) {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username.toLowerCase())
      .executeTakeFirst();
  }

  async insert(user: { username: string; role: Role; passwordHash: string; now: string }): Promise<User> {
    const row = await this.db
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
    return toUser(row);
  }

  async update(id: number, change: UserChange): Promise<void> {
    await this.db.updateTable('users').set(toUserUpdate(change)).where('id', '=', id).execute();
  }

  /** One more failed sign-in, counted in the database so every process sees it; answers the new count. */
  async addFailedLogin(id: number): Promise<number> {
    const row = await this.db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    return row.failed_logins;
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async adminCount(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
