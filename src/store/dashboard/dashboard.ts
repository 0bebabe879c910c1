import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SnapshotsRepository } from './snapshots-repository.js';
import { dashboardCounts } from './dashboard-queries.js';

/** The dashboard's figures: risk, open findings and alerts, each one grouped statement. */
export class Dashboard {
  readonly #db: Kysely<Database>;
  readonly #snapshots: SnapshotsRepository;

  constructor(db: Kysely<Database>, snapshots: SnapshotsRepository) {
    this.#db = db;
    this.#snapshots = snapshots;
  }

  counts(integrationId: string | undefined) {
    return dashboardCounts({ db: this.#db, snapshots: this.#snapshots }, integrationId);
  }
}
