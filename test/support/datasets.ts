import { datasetNames } from '../../src/integrations/integration-schema.js';

/**
 * What a full sync with every import on answers: each dataset once, succeeded, in the declared order. The sync
 * service keeps its own list of datasets to run, so this still checks that it runs them all, in this order.
 */
export const everyDatasetSucceeded: readonly (readonly [string, string])[] = datasetNames.map(
  (d) => [d, 'succeeded'] as const,
);
