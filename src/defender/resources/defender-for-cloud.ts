import type { ApiHttp } from '../api-http.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import type { RecordValidator } from '../schemas/record.js';
import {
  validateAssessment,
  validateSecureScore,
  validateSecureScoreControl,
  validateSubAssessment,
  validateSubscription,
  type ArmSubscription,
  type Assessment,
  type SecureScore,
  type SecureScoreControl,
  type SubAssessment,
} from '../schemas/defender-for-cloud.js';

/** The api-versions the client reads (the ones the published specs document for these lists). */
export const ARM_API_VERSIONS = {
  subscriptions: '2022-12-01',
  secureScores: '2020-01-01',
  assessments: '2021-06-01',
  subAssessments: '2019-01-01-preview',
} as const;

export interface ArmListOptions {
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * Microsoft Defender for Cloud through Azure Resource Manager: the subscriptions the app sees and, per
 * subscription, secure scores, their controls, assessments and sub-assessments. Each list pages by ARM's
 * `nextLink` through the one pager and the one retry policy. A subscription the app holds no role on answers
 * 403, surfaced as an ArmAuthorizationError (DEFENDER_PERMISSION_MISSING) naming the subscription.
 */
export class DefenderForCloudResource {
  readonly #http: ApiHttp;
  readonly #base: string;

  constructor(http: ApiHttp, armBaseUrl: string) {
    this.#http = http;
    this.#base = armBaseUrl;
  }

  subscriptions(options: ArmListOptions = {}): AsyncGenerator<Batch<ArmSubscription>, void, undefined> {
    return this.#list('/subscriptions', ARM_API_VERSIONS.subscriptions, validateSubscription, options);
  }

  secureScores(
    subscriptionId: string,
    options: ArmListOptions = {},
  ): AsyncGenerator<Batch<SecureScore>, void, undefined> {
    return this.#list(
      `${security(subscriptionId)}/secureScores`,
      ARM_API_VERSIONS.secureScores,
      validateSecureScore,
      options,
    );
  }

  secureScoreControls(
    subscriptionId: string,
    secureScoreName: string,
    options: ArmListOptions = {},
  ): AsyncGenerator<Batch<SecureScoreControl>, void, undefined> {
    return this.#list(
      `${security(subscriptionId)}/secureScores/${encodeURIComponent(secureScoreName)}/secureScoreControls`,
      ARM_API_VERSIONS.secureScores,
      validateSecureScoreControl,
      options,
    );
  }

  assessments(
    subscriptionId: string,
    options: ArmListOptions = {},
  ): AsyncGenerator<Batch<Assessment>, void, undefined> {
    return this.#list(
      `${security(subscriptionId)}/assessments`,
      ARM_API_VERSIONS.assessments,
      validateAssessment,
      options,
    );
  }

  subAssessments(
    subscriptionId: string,
    options: ArmListOptions = {},
  ): AsyncGenerator<Batch<SubAssessment>, void, undefined> {
    return this.#list(
      `${security(subscriptionId)}/subAssessments`,
      ARM_API_VERSIONS.subAssessments,
      validateSubAssessment,
      options,
    );
  }

  #list<T>(
    path: string,
    apiVersion: string,
    validate: RecordValidator<T>,
    options: ArmListOptions,
  ): AsyncGenerator<Batch<T>, void, undefined> {
    return paginate(this.#http, {
      request: {
        url: withQuery(`${this.#base}${path}`, { 'api-version': apiVersion }),
        audience: 'arm',
        apiClass: 'arm',
        signal: options.signal,
      },
      mode: { kind: 'nextLink' },
      validate,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
  }
}

function security(subscriptionId: string): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Security`;
}
