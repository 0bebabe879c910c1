import type { Hub } from '../app/hub.js';
import { latestByDataset, type LatestRuns } from '../app/latest-runs.js';
import { datasetNames, type DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import { datasets } from '../sync/sync-service.js';
import { datasetOfProduct } from '../sync/dataset.js';
import { ago, keyValues, table } from './output.js';
import type { SyncRun } from '../store/index.js';

/** An integration with its latest run per dataset, as `list --json` and `show --json` print it. */
export type IntegrationWithRuns = Integration & {
  /** The datasets of the integration's product. */
  readonly lastRuns: Readonly<Partial<Record<DatasetName, SyncRun | null>>>;
};

/** The datasets of the integration's product: a Defender for Endpoint integration never runs cloudPosture. */
function ownDatasets(integration: Integration): DatasetName[] {
  return datasets.filter((d) => datasetOfProduct(d, integration)).map((d) => d.name);
}

/** The integration's latest run of each dataset. */
export async function latestRunsOf(hub: Hub, integration: Integration): Promise<LatestRuns> {
  return latestByDataset(await hub.data.syncRuns.latestPerDataset(integration.id));
}

export async function withRuns(hub: Hub, integration: Integration): Promise<IntegrationWithRuns> {
  const runs = await latestRunsOf(hub, integration);
  const lastRuns = Object.fromEntries(ownDatasets(integration).map((d) => [d, runs[d] ?? null])) as Partial<
    Record<DatasetName, SyncRun | null>
  >;
  return { ...integration, lastRuns };
}

/** A table cell: "ok 3m ago", "failed 1h ago", "running", "-". */
function runCell(run: SyncRun | undefined, now: number): string {
  if (run === undefined) return '-';
  if (run.status === 'running') return `running ${ago(run.startedAt, now)}`;
  const word =
    run.status === 'succeeded' ? 'ok' : run.status === 'notPermitted' ? 'not permitted' : run.status;
  return `${word} ${ago(run.finishedAt ?? run.startedAt, now)}`;
}

export function integrationsTable(rows: readonly { integration: Integration; runs: LatestRuns }[]): string[] {
  const now = Date.now();
  return table(
    ['ID', 'NAME', 'PRODUCT', 'TENANT', 'ENABLED', ...datasetNames.map((d) => d.toUpperCase())],
    rows.map(({ integration: i, runs }) => [
      i.id,
      i.name,
      i.product,
      i.tenantId,
      i.enabled ? 'yes' : 'no',
      ...datasetNames.map((d) => runCell(runs[d], now)),
    ]),
  );
}

function onOff(values: Record<string, boolean>): string {
  const on = Object.entries(values)
    .filter(([, v]) => v)
    .map(([k]) => k);
  return on.length === 0 ? 'none' : on.join(', ');
}

function anyOf(values: readonly string[]): string {
  return values.length === 0 ? 'any' : values.join(', ');
}

/** A cloud integration's Resource Manager and subscriptions; nothing for an Endpoint one. */
function cloudLines(i: Integration): [string, string][] {
  if (i.product !== 'cloud') return [];
  return [
    ['ARM', i.armBaseUrl ?? "the API cloud's default"],
    [
      'subscriptions',
      i.subscriptions.length === 0 ? 'every one the app can read' : i.subscriptions.join(', '),
    ],
  ];
}

/** What a person wants to check after `add` or in `show`: everything but the credential itself. */
export function integrationLines(
  i: Integration,
  options: { heading?: string; runs?: LatestRuns } = {},
): string[] {
  const s = i.schedules;
  const runs = options.runs;
  const lines = [
    `${options.heading ?? 'Integration'} "${i.name}" (${i.id})`,
    ...keyValues([
      ['product', i.product],
      ['tenant', i.tenantId],
      ['client id', i.clientId],
      [
        'credential',
        `${i.credential.type}, set ${i.credential.setAt}, expires ${i.credential.expiresAt ?? 'unknown'}`,
      ],
      ...i.credential.warnings.map((w): [string, string] => [w.level, `${w.message} [${w.code}]`]),
      ['API', i.apiBaseUrl],
      ['authority', i.authorityHost ?? "the API cloud's default"],
      ['Graph', i.graphBaseUrl ?? "the API cloud's default"],
      ...cloudLines(i),
      ['trusted CA', i.caPem === null ? 'system store' : 'system store and a custom CA'],
      ['enabled', i.enabled ? 'yes' : 'no'],
      ['imports', onOff(i.imports)],
      [
        'schedules',
        `machines every ${s.machines} min (findings follow), vulnerabilities every ${s.vulnerabilities} min, alerts every ${s.alerts} min, incidents every ${s.incidents} min`,
      ],
      [
        'filters',
        `${i.filters.dropMobileAndIot ? 'mobile and IoT dropped' : 'mobile and IoT kept'}; onboarding ${anyOf(i.filters.onboardingStatuses)}; device groups ${anyOf(i.filters.deviceGroups)}; tags ${anyOf(i.filters.tags)}`,
      ],
    ]),
  ];
  if (runs === undefined) return lines;
  const now = Date.now();
  return [
    ...lines,
    '  last runs',
    ...keyValues(
      ownDatasets(i).map((d) => {
        const run = runs[d];
        const counts =
          run === undefined || run.status === 'running'
            ? ''
            : ` (${run.recordsIn} read, ${run.upserted} upserted${run.errorCode === null ? '' : `, ${run.errorCode}`})`;
        return [d, `${runCell(run, now)}${counts}`];
      }),
      '    ',
    ),
  ];
}
