import type { Kysely } from 'kysely';

/**
 * Which API each alert and incident was read from: Graph (`graph`), Defender for Endpoint's `/api/alerts`
 * (`mde`) or the Microsoft 365 Defender incidents API (`xdr`), whichever the token allowed. Every row stored
 * before was read through Graph, the only source there was.
 */
export function up() {
  return async (db: Kysely<unknown>): Promise<void> => {
    for (const table of ['alerts', 'incidents'])
      await db.schema
        .alterTable(table)
        .addColumn('source', 'text', (column) => column.notNull().defaultTo('graph'))
        .execute();
  };
}
