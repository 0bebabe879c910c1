import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { HubError } from '../../errors.js';
import type { Database } from './schema.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { SearchPathPostgresDialect } from './postgres-dialect.js';
import { postgresBulkWriter, sqliteBulkWriter, type BulkWriter } from '../bulk/bulk-writer.js';
import { up as initial } from '../migrations/0001-initial.js';
import { up as jobs } from '../migrations/0002-jobs.js';
import { up as cveExposure } from '../migrations/0003-cve-exposure.js';
import { up as syncRunRunner } from '../migrations/0004-sync-run-runner.js';
import { up as riskAndProfiles } from '../migrations/0005-risk-and-profiles.js';
import { up as patchesAndStrategies } from '../migrations/0006-patches-and-strategies.js';
import { up as strategyEndpointFields } from '../migrations/0007-strategy-endpoint-fields.js';
import { up as machineActions } from '../migrations/0008-machine-actions.js';
import { up as software } from '../migrations/0009-software.js';
import { up as recommendations } from '../migrations/0010-recommendations.js';
import { up as hunting } from '../migrations/0011-hunting.js';
import { up as auth } from '../migrations/0012-auth.js';
import { up as secretExpiry } from '../migrations/0013-secret-expiry.js';
import { up as auditLog } from '../migrations/0014-audit-log.js';
import { up as entraDevices } from '../migrations/0015-entra-devices.js';
import { up as cloudPosture } from '../migrations/0016-cloud-posture.js';
import { up as cloudFindingCves } from '../migrations/0017-cloud-finding-cves.js';
import { up as endpointListOrder } from '../migrations/0018-endpoint-list-order.js';
import { up as findingSoftwareCves } from '../migrations/0019-finding-software-cves.js';
import { up as activitySource } from '../migrations/0020-activity-source.js';
import { up as networkAccessible } from '../migrations/0021-network-accessible.js';
import { up as findingsWithoutEndpoints } from '../migrations/0022-findings-without-endpoints.js';
import { up as notPermittedRuns } from '../migrations/0023-not-permitted-runs.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL schema the tables live in, when not the default. */
  readonly schema: string | undefined;
  /** Where the data lives, without credentials (for logs and the ready line). */
  readonly location: string;
  /** Batch writes of thousands of rows (findings), off the main thread where the database allows. */
  readonly bulk: BulkWriter;
  close(): Promise<void>;
}

export class StoreError extends HubError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('STORE_ERROR', message, options);
  }
}

// PostgreSQL returns bigint (count(*), bigserial ids) as strings; every such value here fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens the store named by a DATABASE_URL: `sqlite:PATH` (the embedded default) or `postgres://…`.
 */
export function openStore(databaseUrl: string, options: { schema?: string } = {}): Store {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new StoreError(`"${schema}" is not a valid schema name.`);
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    const url = new URL(databaseUrl);
    const db = new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      schema,
      location: `postgres://${url.host}${url.pathname}${schema === undefined ? '' : ` (schema ${schema})`}`,
      bulk: postgresBulkWriter(db),
      close: () => db.destroy(),
    };
  }
  if (!databaseUrl.startsWith('sqlite:')) {
    throw new StoreError(
      `DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl.split(':')[0] ?? ''}:…".`,
    );
  }
  const path = databaseUrl.slice('sqlite:'.length);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // The bulk writes run on the writer thread's connection with its own, larger cache; this one serves reads and
  // the smaller writes, where the operating system's page cache does most of the work.
  const connection = openSqliteConnection(path, { cacheMiB: 16 });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  const bulk = sqliteBulkWriter(db, connection, path);
  return {
    db,
    dialect: 'sqlite',
    schema: undefined,
    location: `sqlite:${path}`,
    bulk,
    close: async () => {
      await bulk.close();
      await db.destroy();
    },
  };
}

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': { up: initial(dialect) },
    '0002-jobs': { up: jobs(dialect) },
    '0003-cve-exposure': { up: cveExposure() },
    '0004-sync-run-runner': { up: syncRunRunner() },
    '0005-risk-and-profiles': { up: riskAndProfiles(dialect) },
    '0006-patches-and-strategies': { up: patchesAndStrategies(dialect) },
    '0007-strategy-endpoint-fields': { up: strategyEndpointFields() },
    '0008-machine-actions': { up: machineActions() },
    '0009-software': { up: software() },
    '0010-recommendations': { up: recommendations(dialect) },
    '0011-hunting': { up: hunting(dialect) },
    '0012-auth': { up: auth(dialect) },
    '0013-secret-expiry': { up: secretExpiry() },
    '0014-audit-log': { up: auditLog(dialect) },
    '0015-entra-devices': { up: entraDevices() },
    '0016-cloud-posture': { up: cloudPosture() },
    '0017-cloud-finding-cves': { up: cloudFindingCves(dialect) },
    '0018-endpoint-list-order': { up: endpointListOrder(dialect) },
    '0019-finding-software-cves': { up: findingSoftwareCves() },
    '0020-activity-source': { up: activitySource() },
    '0021-network-accessible': { up: networkAccessible(dialect) },
    '0022-findings-without-endpoints': { up: findingsWithoutEndpoints() },
    '0023-not-permitted-runs': { up: notPermittedRuns() },
  };
}

/** Brings the schema to the newest version. Safe to run from several processes at once on PostgreSQL. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(migrations(store.dialect)) },
    ...(store.schema === undefined ? {} : { migrationTableSchema: store.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new StoreError(
      `The database migration failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
