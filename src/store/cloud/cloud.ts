import type { Connection } from '../db/repository.js';
import type { PageRequest } from '../db/list-queries.js';
import { CloudRepository } from './cloud-repository.js';
import {
  CloudQueries,
  type CloudAssessmentFilter,
  type CloudFindingFilter,
  type CloudResourceFilter,
  type CloudResourceSort,
  type CloudScope,
} from './cloud-queries.js';

/** Defender for Cloud: the posture sync's writes, and the lists the API and UI read. */
export class Cloud extends CloudRepository {
  readonly #queries: CloudQueries;

  constructor(connection: Connection) {
    super(connection);
    this.#queries = new CloudQueries(connection);
  }

  subscriptions(filter: CloudScope, page: PageRequest) {
    return this.#queries.subscriptions(filter, page);
  }

  /** Each secure score with its daily readings since `sinceDay` (YYYY-MM-DD), oldest first. */
  secureScores(filter: CloudScope, sinceDay: string) {
    return this.#queries.secureScores(filter, sinceDay);
  }

  assessments(filter: CloudAssessmentFilter, page: PageRequest) {
    return this.#queries.assessments(filter, page);
  }

  findings(filter: CloudFindingFilter, page: PageRequest) {
    return this.#queries.findings(filter, page);
  }

  resources(filter: CloudResourceFilter, sort: CloudResourceSort, page: PageRequest) {
    return this.#queries.resources(filter, sort, page);
  }
}
