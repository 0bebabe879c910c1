import type { PageRequest } from '../db/list-queries.js';
import { SoftwareRepository } from './software-repository.js';
import { getSoftware, listSoftware, type SoftwareFilter } from './software-catalog-queries.js';

/** The software inventory: the sync's writes and links, and the product list and pages. */
export class Software extends SoftwareRepository {
  /** Most exposed first. */
  list(filter: SoftwareFilter, page: PageRequest) {
    return listSoftware(this.db, filter, page);
  }

  /** By Defender's id, in one integration or, without one, the first integration that has it. */
  get(softwareId: string, integrationId?: string) {
    return getSoftware(this.db, softwareId, integrationId);
  }
}
