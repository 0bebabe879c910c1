import type { ApiHttp } from '../api-http.js';
import type { Batch } from '../paging.js';
import {
  validateExposureScore,
  validateRecommendation,
  type ExposureScore,
  type Recommendation,
} from '../schemas/recommendation.js';
import { validateMachineReference, type MachineReference } from '../schemas/software.js';
import { ODataCollection, type ListOptions } from './odata-collection.js';
import { singleRecord } from './single-record.js';
import type { SubListOptions } from './software.js';

/** Microsoft's cap on `$top` for `GET /api/recommendations`. */
export const recommendationsPageCap = 10_000;

/**
 * Security recommendations (filter on `id`, `productName`, `vendor`, `remediationType`, `status`, …) and the
 * exposure score they feed, for the organisation and per device group.
 */
export class RecommendationsResource {
  readonly #http: ApiHttp;
  readonly #apiBaseUrl: string;
  readonly #recommendations: ODataCollection<Recommendation>;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    this.#http = http;
    this.#apiBaseUrl = apiBaseUrl;
    this.#recommendations = new ODataCollection(http, `${apiBaseUrl}/api/recommendations`, {
      pageCap: recommendationsPageCap,
      validate: validateRecommendation,
    });
  }

  list(options: ListOptions = {}): AsyncGenerator<Batch<Recommendation>, void, undefined> {
    return this.#recommendations.list(options);
  }

  get(id: string, signal?: AbortSignal): Promise<Recommendation> {
    return this.#recommendations.get(id, signal);
  }

  /** The devices the recommendation is about. */
  machineReferences(
    id: string,
    options: SubListOptions = {},
  ): AsyncGenerator<Batch<MachineReference>, void, undefined> {
    return new ODataCollection(
      this.#http,
      `${this.#apiBaseUrl}/api/recommendations/${encodeURIComponent(id)}/machineReferences`,
      { pageCap: recommendationsPageCap, validate: validateMachineReference },
    ).list(options);
  }

  /** The organisation's exposure score (0–100, lower is better). Needs Score.Read.All. */
  exposureScore(signal?: AbortSignal): Promise<ExposureScore> {
    return singleRecord(
      this.#http,
      `${this.#apiBaseUrl}/api/exposureScore`,
      'default',
      validateExposureScore,
      signal,
    );
  }

  /** One exposure score per device group. */
  exposureScoreByMachineGroups(
    options: SubListOptions = {},
  ): AsyncGenerator<Batch<ExposureScore>, void, undefined> {
    return new ODataCollection(this.#http, `${this.#apiBaseUrl}/api/exposureScore/ByMachineGroups`, {
      pageCap: recommendationsPageCap,
      validate: validateExposureScore,
    }).list(options);
  }
}
