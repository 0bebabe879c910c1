import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openStore, type Store } from '../../src/store/db/database.js';

/** The local PostgreSQL CI starts (trust auth, database `test`); TEST_DATABASE_URL overrides it. */
export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export const dialects = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof dialects)[number];

/**
 * A fresh, migrated store: a new SQLite file, or a new schema in the test database (so test files running in
 * parallel never see each other's rows). `dispose` drops it again.
 */
export async function freshStore(
  dialect: TestDialect,
): Promise<{ store: Store; url: string; schema: string | undefined; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'dh-store-')), 'hub.db')}`;
    const store = openStore(url);
    await migrateToLatest(store);
    return { store, url, schema: undefined, dispose: () => store.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = postgresUrl;
  const store = openStore(url, { schema });
  await migrateToLatest(store);
  return {
    store,
    url,
    schema,
    dispose: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      // The job engine's tables live beside the hub's (src/jobs/sync-job-queue.ts, jobSchemaBeside).
      await cleanup.query(`drop schema ${schema} cascade; drop schema if exists ${schema}_jobs cascade`);
      await cleanup.end();
    },
  };
}
