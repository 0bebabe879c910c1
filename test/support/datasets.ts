import { datasetNames } from '../../src/domain/datasets.js';

/** Datasets of Defender for Cloud integrations (product cloud): an endpoint integration never runs them. */
export const cloudDatasetNames: readonly string[] = ['cloudPosture'];

/**
 * What a full sync of an endpoint integration with every import on answers: each of its datasets once,
 * succeeded, in the declared order. The sync service keeps its own list of datasets to run, so this still checks
 * that it runs them all, in this order.
 */
export const everyDatasetSucceeded: readonly (readonly [string, string])[] = datasetNames
  .filter((d) => !cloudDatasetNames.includes(d))
  .map((d) => [d, 'succeeded'] as const);
