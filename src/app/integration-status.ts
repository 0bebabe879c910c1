import { connectionStatus, type ConnectionStatus } from '../domain/connection-status.js';
import { featureLimit, type FeatureLimit } from '../domain/permissions.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import type { IntegrationService } from '../integrations/integration-service.js';
import { datasets } from '../sync/sync-service.js';
import { datasetRunsFor } from '../sync/dataset.js';
import type { DatasetRuns, Repositories, SyncRun } from '../store/index.js';

/** A run as the status shows it: what it did and how it ended, without the paging counters. */
export type RunView = Pick<
  SyncRun,
  | 'id'
  | 'status'
  | 'startedAt'
  | 'finishedAt'
  | 'upserted'
  | 'removed'
  | 'skipped'
  | 'errorCode'
  | 'errorMessage'
  | 'notPermitted'
>;

export interface DatasetStatus {
  readonly dataset: DatasetName;
  /** The latest run, whatever its state; null when the dataset never ran. */
  readonly lastRun: RunView | null;
  readonly lastSuccessAt: string | null;
}

export interface IntegrationStatus extends ConnectionStatus {
  readonly id: string;
  readonly name: string;
  readonly product: Integration['product'];
  readonly enabled: boolean;
  readonly credentialExpiresAt: string | null;
  /** Limited: each feature not permitted, what it needs and what granting it would add. */
  readonly limits: FeatureLimit[];
  /** One per dataset the integration imports, in the order a full sync runs them. */
  readonly datasets: DatasetStatus[];
}

/** The connection status of every integration (or of the one given), its datasets' runs read all at once. */
export async function integrationStatuses(
  integrations: IntegrationService,
  syncRuns: Pick<Repositories['syncRuns'], 'latestPerDataset'>,
  integrationId?: string,
): Promise<IntegrationStatus[]> {
  const [all, runs] = await Promise.all([integrations.list(), syncRuns.latestPerDataset(integrationId)]);
  const byKey = new Map(runs.map((r) => [`${r.integrationId}\n${r.dataset}`, r]));
  return all
    .filter((integration) => integrationId === undefined || integration.id === integrationId)
    .map((integration) => statusOf(integration, (dataset) => byKey.get(`${integration.id}\n${dataset}`)));
}

function statusOf(
  integration: Integration,
  runsOf: (dataset: DatasetName) => DatasetRuns | undefined,
): IntegrationStatus {
  const imported = datasets
    .filter((d) => datasetRunsFor(d, integration))
    .map((d) => ({ name: d.name, runs: runsOf(d.name) }));
  const status = connectionStatus({
    enabled: integration.enabled,
    datasets: imported.map(({ runs }) =>
      runs === undefined
        ? []
        : [runs.latest, ...(runs.latestConclusive === undefined ? [] : [runs.latestConclusive])],
    ),
  });
  return {
    id: integration.id,
    name: integration.name,
    product: integration.product,
    enabled: integration.enabled,
    ...status,
    credentialExpiresAt: integration.credential.expiresAt,
    limits: status.notPermitted.map(featureLimit),
    datasets: imported.map(({ name, runs }) => ({
      dataset: name,
      lastRun: runs === undefined ? null : runView(runs.latest),
      lastSuccessAt: runs?.lastSuccessAt ?? null,
    })),
  };
}

function runView(run: SyncRun): RunView {
  return {
    id: run.id,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    upserted: run.upserted,
    removed: run.removed,
    skipped: run.skipped,
    errorCode: run.errorCode,
    errorMessage: run.errorMessage,
    notPermitted: run.notPermitted,
  };
}
