import { Link } from 'react-router';
import type { Page } from '../api.js';
import type { Alert, IntegrationStatus, Patch } from '../api-types.js';
import { BarList, TrendChart } from '../components/charts.js';
import { DataTable } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { WhenAnswered } from '../components/when-answered.js';
import { patchColumns, patchKey } from '../components/patch-columns.js';
import { formatCount, formatTime } from '../format.js';
import { countsPollMs } from '../live.js';
import { useRequest } from '../use-request.js';
import { riskLevels, severityLevels } from '../../domain/levels.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge.js';
import { alertColumns } from '../components/alert-columns.js';
import { connectionStates } from '../labels.js';

type Counts = Record<string, number>;

interface Dashboard {
  endpointsByRisk: Counts;
  openFindingsBySeverity: Counts;
  alertsBySeverity: Counts;
  topPatches: Patch[];
  integrations: IntegrationStatus[];
}

interface Trends {
  items: {
    day: string;
    endpointsByRisk: Counts;
    openFindingsBySeverity: Counts;
    patchesBySeverity: Counts;
  }[];
}

const alertSeverities = ['High', 'Medium', 'Low', 'Informational'];

/** A wide card charting one count of the trend days, a line for each of `names`, over the last 30 days. */
function TrendCard({
  days,
  label,
  pick,
  names,
}: {
  days: Trends['items'];
  label: string;
  pick: (i: Trends['items'][number]) => Counts;
  names: readonly string[];
}) {
  return (
    <div className="card wide">
      <TrendChart
        label={`${label}, last 30 days`}
        days={days.map((i) => i.day)}
        series={names.map((name) => ({ name, values: days.map((i) => pick(i)[name] ?? 0) }))}
      />
    </div>
  );
}

/** Alerts by severity whatever case the source spelled them in. */
function bySeverityName(counts: Counts | undefined): Counts | undefined {
  if (counts === undefined) return undefined;
  const out: Counts = {};
  for (const [name, n] of Object.entries(counts)) {
    const key = alertSeverities.find((s) => s.toLowerCase() === name.toLowerCase()) ?? name;
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

/** "3 integrations: 1 failing, 2 connected", the states none is in left out. */
function healthSummary(integrations: readonly IntegrationStatus[]): string {
  const parts = connectionStates
    .map(
      ({ value, label }) =>
        [integrations.filter((i) => i.state === value).length, label.toLowerCase()] as const,
    )
    .filter(([n]) => n > 0)
    .map(([n, name]) => `${formatCount(n)} ${name}`);
  return `${formatCount(integrations.length)} ${integrations.length === 1 ? 'integration' : 'integrations'}: ${parts.join(', ')}`;
}

/**
 * Each integration's status, the failing ones first. The list scrolls inside the card (an MSSP has hundreds), so
 * the card is as tall as its row's others whatever comes, and nothing below moves when it does.
 */
function SyncHealth({ integrations }: { integrations: readonly IntegrationStatus[] | undefined }) {
  const order = (s: IntegrationStatus): number =>
    connectionStates.findIndex(({ value }) => value === s.state);
  const listed = [...(integrations ?? [])].sort(
    (a, b) => order(a) - order(b) || a.name.localeCompare(b.name),
  );
  return (
    <div className="card sync-card">
      <h2>Sync health</h2>
      {integrations === undefined ? null : <p className="note">{healthSummary(integrations)}</p>}
      <ul className="sync-health" aria-label="Integrations">
        {listed.map((s) => (
          <li key={s.id}>
            <Link to={`/integrations/${encodeURIComponent(s.id)}/history`}>{s.name}</Link>{' '}
            <ConnectionStatusBadge status={s} />
            <span className="note">
              {' '}
              last success{' '}
              {formatTime(
                s.datasets
                  .map((x) => x.lastSuccessAt ?? '')
                  .sort()
                  .at(-1),
              )}
            </span>
          </li>
        ))}
        {integrations !== undefined && integrations.length === 0 ? (
          <li>
            No integration yet: <Link to="/integrations/new">add one</Link>.
          </li>
        ) : null}
      </ul>
    </div>
  );
}

const latestAlertCount = 5;

export function DashboardPage() {
  // The counts and the sync health move with each sync; the trends are one point a day, read once.
  const dashboard = useRequest<Dashboard>('/dashboard', { poll: () => countsPollMs });
  const trends = useRequest<Trends>('/trends?days=30');
  // The alerts a sync just brought in (the list is newest update first): what changes while one watches.
  const latestAlerts = useRequest<Page<Alert>>(`/alerts?pageSize=${latestAlertCount}`, {
    poll: () => countsPollMs,
  });
  const d = dashboard.data;
  const days = trends.data?.items ?? [];
  const risks = [...riskLevels].reverse();
  const severities = [...severityLevels].reverse();
  return (
    <section className="dashboard">
      <h1>Dashboard</h1>
      <ErrorBox error={dashboard.error ?? trends.error ?? latestAlerts.error} />
      <WhenAnswered requests={[dashboard, trends, latestAlerts]}>
        <div className="cards summary">
          <div className="card">
            <BarList label="Endpoints by risk level" counts={d?.endpointsByRisk} order={risks} />
            <Link to="/endpoints?riskLevel=Critical">Critical endpoints</Link>
          </div>
          <div className="card">
            <BarList
              label="Open findings by severity"
              counts={d?.openFindingsBySeverity}
              order={severities}
            />
            <Link to="/vulnerabilities">Vulnerabilities</Link>
          </div>
          <div className="card">
            <BarList
              label="Active alerts by severity"
              counts={bySeverityName(d?.alertsBySeverity)}
              order={alertSeverities}
            />
            <Link to="/alerts">Alerts</Link>
          </div>
          <SyncHealth integrations={d?.integrations} />
        </div>
        <div className="cards">
          <TrendCard
            days={days}
            label="Endpoints by risk level"
            pick={(i) => i.endpointsByRisk}
            names={risks}
          />
          <TrendCard
            days={days}
            label="Open findings by severity"
            pick={(i) => i.openFindingsBySeverity}
            names={severities}
          />
        </div>
        <h2>Latest alerts</h2>
        <DataTable
          label="Latest alerts"
          columns={alertColumns}
          rows={latestAlerts.data?.items}
          rowKey={(a) => `${a.integrationId}|${a.id}`}
          loading={latestAlerts.loading}
        />
        <p>
          <Link to="/alerts">All alerts</Link>
        </p>
        <h2>Top patches</h2>
        <DataTable
          label="Top patches"
          columns={patchColumns}
          rows={d?.topPatches}
          rowKey={patchKey}
          loading={dashboard.loading}
        />
        <p>
          <Link to="/patches">All patches</Link>
        </p>
      </WhenAnswered>
    </section>
  );
}
