import type { PageRequest } from '../db/list-queries.js';
import { PatchesRepository } from './patches-repository.js';
import { listPatches, type PatchFilter, type PatchSort } from './patch-queries.js';
import { withCloudExposure } from '../cloud/cloud-cve-queries.js';

/** Patches: the sync's recount, and the patch list with each patch's exposed cloud resources. */
export class Patches extends PatchesRepository {
  list(filter: PatchFilter, sort: PatchSort, page: PageRequest) {
    return listPatches(this.db, filter, sort, page);
  }

  /** The patches, each with the number of cloud resources whose findings name one of its CVEs. */
  withCloudExposure<P extends { integrationId: string; key: string }>(patches: readonly P[]) {
    return withCloudExposure(this.db, this.dialect, patches);
  }
}
