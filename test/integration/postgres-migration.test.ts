import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/db/database.js';
import { postgresUrl } from '../support/stores.js';

/**
 * Several hubs, or another application, may share one PostgreSQL database, each in a schema of its own. What
 * happens in the others' schemas meanwhile must not fail our migration.
 */
describe('PostgreSQL migrations beside other schemas', () => {
  const admin = new pg.Client({ connectionString: postgresUrl });
  beforeAll(() => admin.connect());
  afterAll(() => admin.end());

  it('should migrate while other schemas of the database are created and dropped', async () => {
    const stop = new AbortController();
    let churned = 0;
    // Schemas with tables with serial columns, so that a catalog scan meets them: created and dropped at once.
    const churn = (async () => {
      while (!stop.signal.aborted) {
        const other = `churn_${randomBytes(6).toString('hex')}`;
        await admin.query(
          `create schema ${other}; create table ${other}.a (id serial primary key, b text, c int, d int);` +
            ` create table ${other}.b (id serial primary key, e text)`,
        );
        await admin.query(`drop schema ${other} cascade`);
        churned += 1;
      }
    })();
    const migrated: string[] = [];
    try {
      for (let i = 0; i < 8; i += 1) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        await admin.query(`create schema ${schema}`);
        const store = openStore(postgresUrl, { schema });
        try {
          expect((await migrateToLatest(store)).length).toBeGreaterThan(15);
          // The migrator found its own tables in our schema, and only there: a second run has nothing to do.
          const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
          expect(tables.map((t) => t.name)).toEqual(
            expect.arrayContaining(['kysely_migration', 'endpoints']),
          );
          expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schema]));
          expect(await migrateToLatest(store)).toEqual([]);
          migrated.push(schema);
        } finally {
          await store.close();
          await admin.query(`drop schema ${schema} cascade`);
        }
      }
    } finally {
      stop.abort();
      await churn;
    }
    expect(migrated).toHaveLength(8);
    // The race was there to be lost: other schemas came and went while we migrated.
    expect(churned).toBeGreaterThan(8);
  }, 120_000);
});
