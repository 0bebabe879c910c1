import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import type { Store } from './db/database.js';
import { storeUnder, type HubData } from './data.js';

/*
 * For tests only (the layering rules keep the rest of src/ away from this file): what is under a hub's data, to
 * look at the tables themselves.
 */

export function storeOf(data: HubData): Store {
  return storeUnder(data);
}

export function databaseOf(data: HubData): Kysely<Database> {
  return storeUnder(data).db;
}

export type { Database, Store };
