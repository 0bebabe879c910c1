import type { Connection } from '../db/repository.js';
import { Repository } from '../db/repository.js';
import type { SnapshotsRepository } from './snapshots-repository.js';
import { dashboardCounts } from './dashboard-queries.js';

/** The dashboard's figures: risk, open findings and alerts, each one grouped statement. */
export class Dashboard extends Repository {
  readonly #snapshots: SnapshotsRepository;

  constructor(connection: Connection, snapshots: SnapshotsRepository) {
    super(connection);
    this.#snapshots = snapshots;
  }

  counts(integrationId: string | undefined) {
    return dashboardCounts({ db: this.db, snapshots: this.#snapshots }, integrationId);
  }
}
