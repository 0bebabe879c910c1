import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openStore, type Store } from './db/database.js';
import type { Dialect } from './db/dialect.js';
import type { Database } from './db/schema.js';
import type { ExportFilter, ExportRecord } from './db/export-source.js';
import { createRepositories, type Repositories } from './repositories.js';
import { Dashboard } from './dashboard/dashboard.js';
import { CarriedSyncJobs } from './runs/carried-sync-jobs.js';
import { endpointExport } from './endpoints/endpoint-export.js';
import { findingExport } from './vulnerabilities/finding-export.js';
import { alertExport } from './activity/alert-export.js';

const exportSources = { endpoints: endpointExport, findings: findingExport, alerts: alertExport } as const;
export type ExportDataset = keyof typeof exportSources;
export const exportDatasets = Object.keys(exportSources) as ExportDataset[];

/** A dataset's export: its columns (the CSV header) and its records, streamed a page at a time by keyset. */
export interface DatasetExport {
  readonly columns: readonly string[];
  records(filter: ExportFilter, pageSize?: number): AsyncIterable<ExportRecord>;
}

/**
 * What the hub keeps, feature by feature, over one database: the layers above read and write through these
 * objects and never see a connection, a dialect or a table row.
 */
export interface HubData extends Repositories {
  /** Which database holds the data: the embedded SQLite file or PostgreSQL. */
  readonly engine: Dialect;
  /** Where the data lives, without credentials (for logs and the ready line). */
  readonly location: string;
  /** The migrations this opening applied, oldest first (empty when the schema was up to date). */
  readonly migrationsApplied: readonly string[];
  readonly dashboard: Dashboard;
  readonly exports: Readonly<Record<ExportDataset, DatasetExport>>;
  /**
   * PostgreSQL only: the schema the tables live in (the `schema` option, else the connection's search_path), and
   * the jobs the queue before pg-boss held, for the job engine to take over.
   */
  readonly postgres: { readonly schema: string; readonly carriedJobs: CarriedSyncJobs } | undefined;
  /** Answers once the database answers a trivial query; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Tests look at the tables themselves (that a secret is sealed, that a row is gone): they, and only they, reach the
// opened store through store/testing.ts.
const stores = new WeakMap<HubData, Store>();

/** The opened store under a HubData: for tests that inspect the tables. */
export function storeUnder(data: HubData): Store {
  const store = stores.get(data);
  if (store === undefined) throw new Error('not a HubData made by createStore');
  return store;
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

/**
 * Opens the database a DATABASE_URL names (`sqlite:PATH`, the embedded default, or `postgres://…`), brings its
 * schema to the newest version and binds every feature to it.
 */
export async function createStore(databaseUrl: string, options: { schema?: string } = {}): Promise<HubData> {
  const store = openStore(databaseUrl, options);
  let migrationsApplied: string[];
  try {
    migrationsApplied = await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { db } = store;
  const repositories = createRepositories(store);
  const bound = (source: (typeof exportSources)[ExportDataset]): DatasetExport => ({
    columns: source.columns,
    records: (filter, pageSize) => source.records(db, filter, pageSize),
  });
  const data: HubData = {
    ...repositories,
    engine: store.dialect,
    location: store.location,
    migrationsApplied,
    dashboard: new Dashboard(store, repositories.snapshots),
    exports: {
      endpoints: bound(exportSources.endpoints),
      findings: bound(exportSources.findings),
      alerts: bound(exportSources.alerts),
    },
    postgres:
      store.dialect === 'postgres'
        ? { schema: await currentSchema(db), carriedJobs: new CarriedSyncJobs(db) }
        : undefined,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => store.close(),
  };
  stores.set(data, store);
  return data;
}
