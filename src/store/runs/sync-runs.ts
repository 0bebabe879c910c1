import type { PageRequest } from '../db/list-queries.js';
import { SyncRunsRepository } from './sync-runs-repository.js';
import { listSyncRuns, type SyncRunFilter } from './sync-run-queries.js';

/** Sync runs: the runner's bookkeeping, and the run history as the API and the CLI show it. */
export class SyncRuns extends SyncRunsRepository {
  list(filter: SyncRunFilter, page: PageRequest) {
    return listSyncRuns(this.db, filter, page);
  }
}
