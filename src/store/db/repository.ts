import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect } from './dialect.js';

/** What every repository works over: the database, and which of the two it is where their SQL differs. */
export interface Connection {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
}

/** The base of every repository and feature object: the connection, bound once, for its reads and writes. */
export abstract class Repository {
  protected readonly db: Kysely<Database>;
  protected readonly dialect: Dialect;

  constructor(connection: Connection) {
    this.db = connection.db;
    this.dialect = connection.dialect;
  }
}
