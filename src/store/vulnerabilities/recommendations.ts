import type { PageRequest } from '../db/list-queries.js';
import type { EndpointKey } from '../endpoints/endpoint-queries.js';
import { RecommendationsRepository } from './recommendations-repository.js';
import {
  getRecommendation,
  listEndpointRecommendations,
  listRecommendations,
  type RecommendationFilter,
} from './recommendation-queries.js';

/** Security recommendations: the sync's writes and links, and the list, pages and an endpoint's share. */
export class Recommendations extends RecommendationsRepository {
  /** Most exposure impact first, as the Defender portal ranks them. */
  list(filter: RecommendationFilter, page: PageRequest) {
    return listRecommendations(this.db, filter, page);
  }

  /** By Defender's id, in one integration or, without one, the first integration that has it. */
  get(recommendationId: string, integrationId?: string) {
    return getRecommendation(this.db, recommendationId, integrationId);
  }

  /** The recommendations that concern one endpoint, most exposure impact first. */
  forEndpoint(endpoint: EndpointKey, page: PageRequest) {
    return listEndpointRecommendations(this.db, endpoint, page);
  }
}
