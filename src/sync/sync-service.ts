import { ConflictError, HubError, InvalidInputError } from '../errors.js';
import type { DefenderClient } from '../defender/index.js';
import type { ApiCallEvent } from '../defender/api-http.js';
import type { DefenderClientTuning } from '../defender/config.js';
import type { IntegrationService } from '../integrations/integration-service.js';
import { CredentialUpkeep } from '../integrations/credential-upkeep.js';
import { datasetNames, type DatasetName } from '../domain/datasets.js';
import { datasetOfProduct, datasetRunsFor, type Dataset } from './dataset.js';
import { RunCounters, type SyncProgress } from './run-counters.js';
import { runnerAlive, thisRunner } from './run-owner.js';
import { machinesDataset, type MachinesDeps } from './datasets/machines.js';
import { machineActionsDataset, type MachineActionsDeps } from './datasets/machine-actions.js';
import { softwareDataset, type SoftwareDeps } from './datasets/software.js';
import { recommendationsDataset, type RecommendationsDeps } from './datasets/recommendations.js';
import { findingsDataset, type FindingsDeps } from './datasets/findings.js';
import { vulnerabilitiesDataset, type VulnerabilitiesDeps } from './datasets/vulnerabilities.js';
import { alertsDataset, incidentsDataset, type ActivityDeps } from './datasets/activity.js';
import { cloudPostureDataset, type CloudPostureDeps } from './datasets/cloud-posture.js';
import { entraDevicesDataset, type EntraDevicesDeps } from './datasets/entra-devices.js';
import { datasetAccess, notPermittedCode, notPermittedMessage } from './dataset-access.js';
import type { ProfileService } from '../profiles/profile-service.js';
import type { Repositories, SyncRun } from '../store/index.js';

/** What the datasets use, each as its own `…Deps` type declares. */
type DatasetDeps = MachinesDeps &
  VulnerabilitiesDeps &
  FindingsDeps &
  ActivityDeps<'alerts'> &
  ActivityDeps<'incidents'> &
  MachineActionsDeps &
  SoftwareDeps &
  RecommendationsDeps &
  EntraDevicesDeps &
  CloudPostureDeps;

/** The repositories a sync uses: the datasets' and the run records. */
export type SyncRepositories = Omit<DatasetDeps, 'profileService'> & Pick<Repositories, 'syncRuns'>;

/**
 * In the order a full sync runs them: findings link to the endpoints of the machines run (they run without one
 * too: a device that is not an endpoint keeps its findings), and software, which runs beside them, takes its CVE
 * lists from what the findings run tallied once that run is over.
 */
export const datasets: readonly Dataset<DatasetDeps>[] = [
  machinesDataset,
  vulnerabilitiesDataset,
  findingsDataset,
  alertsDataset,
  incidentsDataset,
  machineActionsDataset,
  softwareDataset,
  recommendationsDataset,
  entraDevicesDataset,
  cloudPostureDataset,
];

export interface SyncOptions {
  readonly force?: boolean;
  readonly full?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** What the run's `laterInputs` waits for (a whole-integration sync sets it); nothing when absent. */
  readonly laterInputs?: () => Promise<void>;
}

export interface IntegrationSyncOptions extends SyncOptions {
  /** Only these (whether or not the integration's toggles ask for them); a dataset waits only for inputs named. */
  readonly datasets?: readonly DatasetName[];
  /** Each run as it ends, before the others have. */
  readonly onFinished?: (run: SyncRun) => void;
}

/** Told of a sync's calls and ended runs beside the run records: the hub's metrics. */
export interface SyncObserver {
  /** Each Defender call made for a run or for the credential look that follows it. */
  readonly apiCall: (event: ApiCallEvent) => void;
  /** Each run once its row holds how it ended. */
  runFinished(run: SyncRun): void;
}

export class SyncBusyError extends ConflictError {
  constructor(integrationId: string, dataset: string, runner?: string) {
    super(
      'SYNC_ALREADY_RUNNING',
      `The ${dataset} sync of integration ${integrationId} is already running${runner === undefined ? '' : ` in process ${runner}`}; wait for it to finish.`,
    );
  }
}

/**
 * Runs datasets for integrations and records each run. A run never throws for a Defender or data failure: it
 * ends as a `failed` sync_runs row with the typed error's code and message, and the caller decides what next.
 * A dataset whose permissions the app's tokens lack is not run: its row is `notPermitted`, which is no failure.
 */
export class SyncService {
  readonly #syncRuns: SyncRepositories['syncRuns'];
  readonly #deps: DatasetDeps;
  readonly #integrations: IntegrationService;
  /** One run per integration × dataset at a time in this process. */
  readonly #running = new Set<string>();

  readonly #tuning: DefenderClientTuning | undefined;
  readonly #credentials: CredentialUpkeep;
  readonly #observer: SyncObserver | undefined;

  /** `profiles`: the hub's one ProfileService, whose rules a machines run applies to the endpoints it wrote. */
  constructor(
    repos: SyncRepositories,
    integrations: IntegrationService,
    profiles: ProfileService,
    options: { tuning?: DefenderClientTuning; observer?: SyncObserver } = {},
  ) {
    this.#syncRuns = repos.syncRuns;
    this.#deps = { ...repos, profileService: profiles };
    this.#integrations = integrations;
    this.#tuning = options.tuning;
    this.#observer = options.observer;
    this.#credentials = new CredentialUpkeep(integrations, {
      ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
      ...(options.observer === undefined ? {} : { onCall: options.observer.apiCall }),
    });
  }

  /**
   * Every enabled dataset of the integration (or those named), each once what it reads has finished: in list
   * order, but for a dataset that names its inputs (`after`), which runs beside the ones it does not need, so
   * rate-budget waits overlap local work. Once the signal aborts, the runs in progress end as cancelled and no
   * more start. Answers the runs that ran, in list order.
   */
  async syncIntegration(integrationId: string, options: IntegrationSyncOptions = {}): Promise<SyncRun[]> {
    const integration = await this.#integrations.get(integrationId);
    const chosen = datasets.filter((dataset) =>
      options.datasets === undefined
        ? datasetRunsFor(dataset, integration)
        : options.datasets.includes(dataset.name),
    );
    const runs: { readonly name: DatasetName; readonly run: Promise<SyncRun | undefined> }[] = [];
    for (const dataset of chosen) {
      const inputs = runs
        .filter((earlier) => dataset.after?.includes(earlier.name) ?? true)
        .map((earlier) => earlier.run);
      const later = runs
        .filter((earlier) => dataset.readsLater?.includes(earlier.name) === true)
        .map((earlier) => earlier.run);
      // Settled, not all: an input that throws is its own run's failure; this one reads what the store holds.
      const laterInputs = async () => {
        await Promise.allSettled(later);
      };
      const run = Promise.all(inputs).then(async () => {
        if (options.signal?.aborted === true) return undefined;
        const finished = await this.runDataset(integration.id, dataset.name, { ...options, laterInputs });
        options.onFinished?.(finished);
        return finished;
      });
      runs.push({ name: dataset.name, run });
    }
    // A run that throws (another process holds the dataset) must not return while its siblings still write.
    const settled = await Promise.allSettled(runs.map(({ run }) => run));
    const done: SyncRun[] = [];
    for (const outcome of settled) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value !== undefined) done.push(outcome.value);
    }
    return done;
  }

  async runDataset(
    integrationIdOrName: string,
    name: DatasetName,
    options: SyncOptions = {},
  ): Promise<SyncRun> {
    const dataset = datasets.find((d) => d.name === name);
    if (dataset === undefined)
      throw new InvalidInputError(
        'SYNC_UNKNOWN_DATASET',
        `Unknown dataset "${name}": use one of ${datasetNames.join(', ')}.`,
      );
    const integration = await this.#integrations.get(integrationIdOrName);
    if (!datasetOfProduct(dataset, integration))
      throw new InvalidInputError(
        'SYNC_DATASET_NOT_FOR_PRODUCT',
        `The ${name} dataset is not read for a Defender ${integration.product === 'cloud' ? 'for Cloud' : 'for Endpoint'} integration; sync it without naming a dataset to run its own.`,
      );
    const key = `${integration.id}/${name}`;
    if (this.#running.has(key)) throw new SyncBusyError(integration.id, name);
    this.#running.add(key);
    const syncRuns = this.#syncRuns;
    const counters = new RunCounters();
    try {
      const running = await syncRuns.running(integration.id, name);
      const live = running.find((run) => runnerAlive(run.runner));
      if (live?.runner != null) throw new SyncBusyError(integration.id, name, live.runner);
      await syncRuns.failInterrupted(
        running.map((run) => run.id),
        new Date().toISOString(),
      );
      const runId = await syncRuns.start(integration.id, name, new Date().toISOString(), thisRunner);
      let client: DefenderClient | undefined;
      try {
        client = await this.#integrations.client(integration.id, {
          ...(this.#tuning === undefined ? {} : { tuning: this.#tuning }),
          onCall: (event) => {
            counters.apiCalls++;
            this.#observer?.apiCall(event);
          },
        });
        const access = await datasetAccess(client, name, options.signal);
        if (access.permitted.length === 0) {
          // Nothing is read, so nothing stored is touched and the cursor stays: a grant resumes from it.
          await syncRuns.finish(runId, {
            ...this.#counts(counters),
            status: 'notPermitted',
            complete: false,
            completeness: 'not run: the app has no permission that serves it; what was stored stays',
            errorCode: notPermittedCode,
            errorMessage: notPermittedMessage(access, client.config.clientId),
            notPermitted: access.notPermitted,
          });
        } else {
          const outcome = await dataset.run({
            integration,
            client,
            deps: this.#deps,
            runId,
            counters,
            force: options.force === true,
            full: options.full === true,
            signal: options.signal,
            access,
            laterInputs: options.laterInputs ?? (() => Promise.resolve()),
            progress: (c) =>
              options.onProgress?.({
                integrationId: integration.id,
                dataset: name,
                recordsIn: c.recordsIn,
                upserted: c.upserted,
                skipped: c.skipped,
                pages: c.pages,
              }),
          });
          await syncRuns.finish(runId, {
            ...this.#counts(counters),
            status: 'succeeded',
            complete: outcome.complete,
            completeness: outcome.completeness,
            notPermitted: access.notPermitted,
          });
        }
      } catch (caught) {
        const error = await this.#credentials.explainFailure(integration, caught);
        const code = error instanceof HubError ? error.code : 'SYNC_FAILED';
        const message = error instanceof Error ? error.message : 'unknown error';
        await syncRuns.finish(runId, {
          ...this.#counts(counters),
          status: options.signal?.aborted === true ? 'cancelled' : 'failed',
          complete: false,
          completeness:
            'incomplete: the run stopped before the last page, so nothing was marked stale or resolved',
          errorCode: code,
          errorMessage: message,
        });
      } finally {
        await client?.close();
      }
      await this.#credentials.lookIfDue(integration.id, options.signal);
      const run = await syncRuns.get(runId);
      if (run === undefined)
        throw new HubError('SYNC_RUN_LOST', `Sync run ${runId} disappeared from the database.`);
      this.#observer?.runFinished(run);
      return run;
    } finally {
      this.#running.delete(key);
    }
  }

  #counts(counters: RunCounters) {
    return {
      finishedAt: new Date().toISOString(),
      apiCalls: counters.apiCalls,
      pages: counters.pages,
      recordsIn: counters.recordsIn,
      upserted: counters.upserted,
      skipped: counters.skipped,
      skippedReasons: counters.skippedReasons,
      removed: counters.removed,
      stages: counters.stages,
    };
  }
}
