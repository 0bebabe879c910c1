import type { PageRequest } from '../db/list-queries.js';
import { EndpointsRepository } from './endpoints-repository.js';
import type { BulkWriter } from '../bulk/bulk-writer.js';
import {
  endpointKey,
  getEndpoint,
  listEndpoints,
  listEndpointsAfter,
  type EndpointCursor,
  type EndpointFilter,
  type EndpointKey,
  type EndpointSort,
  type EndpointStore,
} from './endpoint-queries.js';
import { listEndpointFindings, type FindingFilter } from '../vulnerabilities/finding-queries.js';
import { listEndpointSoftware } from '../vulnerabilities/software-queries.js';

/** The endpoints feature: the sync's writes, and the reads of the endpoint list and one endpoint's pages. */
export class Endpoints extends EndpointsRepository {
  readonly #store: EndpointStore;

  constructor(store: EndpointStore, bulk: BulkWriter) {
    super(store, bulk);
    this.#store = store;
  }

  list(filter: EndpointFilter, sort: EndpointSort, page: PageRequest) {
    return listEndpoints(this.#store, filter, sort, page);
  }

  /** The list's next rows after a keyset cursor: what an export reads page by page. */
  listAfter(filter: EndpointFilter, sort: EndpointSort, after: EndpointCursor | undefined, limit: number) {
    return listEndpointsAfter(this.#store, filter, sort, after, limit);
  }

  get(id: number) {
    return getEndpoint(this.#store.db, id);
  }

  /** What identifies an endpoint in Defender (its integration and machine id), for its other pages and actions. */
  key(id: number) {
    return endpointKey(this.#store.db, id);
  }

  findings(endpoint: EndpointKey, filter: FindingFilter, page: PageRequest) {
    return listEndpointFindings(this.#store.db, endpoint, filter, page);
  }

  software(endpoint: EndpointKey, page: PageRequest) {
    return listEndpointSoftware(this.#store.db, endpoint, page);
  }
}
