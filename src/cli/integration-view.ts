import type { Hub } from '../app/hub.js';
import { latestRuns, type LatestRuns } from '../app/latest-runs.js';
import { datasetNames, type DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import { datasets } from '../sync/sync-service.js';
import { ago, keyValues, table } from './output.js';
import { type SyncRun, type SyncRunRow, toSyncRun } from '../store/index.js';

/** An integration with its latest run per dataset, as `list --json` and `show --json` print it. */
export type IntegrationWithRuns = Integration & {
  /** The datasets of the integration's product. */
  readonly lastRuns: Readonly<Partial<Record<DatasetName, SyncRun | null>>>;
};

/** The datasets of the integration's product: a Defender for Endpoint integration never runs cloudPosture. */
function ownDatasets(integration: Integration): DatasetName[] {
  return datasets.filter((d) => (d.product ?? 'endpoint') === integration.product).map((d) => d.name);
}

export async function withRuns(hub: Hub, integration: Integration): Promise<IntegrationWithRuns> {
  const runs = await latestRuns(hub.data, integration.id);
  const own = ownDatasets(integration);
  const lastRuns = Object.fromEntries(
    own.map((d) => [d, runs[d] === undefined ? null : toSyncRun(runs[d])]),
  ) as Partial<Record<DatasetName, SyncRun | null>>;
  return { ...integration, lastRuns };
}

/** A table cell: "ok 3m ago", "failed 1h ago", "running", "-". */
function runCell(row: SyncRunRow | undefined, now: number): string {
  if (row === undefined) return '-';
  if (row.status === 'running') return `running ${ago(row.started_at, now)}`;
  const word =
    row.status === 'succeeded' ? 'ok' : row.status === 'notPermitted' ? 'not permitted' : row.status;
  return `${word} ${ago(row.finished_at ?? row.started_at, now)}`;
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
        const row = runs[d];
        const counts =
          row === undefined || row.status === 'running'
            ? ''
            : ` (${row.records_in} read, ${row.upserted} upserted${row.error_code === null ? '' : `, ${row.error_code}`})`;
        return [d, `${runCell(row, now)}${counts}`];
      }),
      '    ',
    ),
  ];
}
