import { Link } from 'react-router';
import { withQuery, type Page } from '../api.js';
import type { CloudAssessment, CloudSecureScore, CloudSubscription } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { BarList, TrendChart } from '../components/charts.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { WhenAnswered } from '../components/when-answered.js';
import { CloudEmpty, cloudSeverities, useHasCloudIntegration, useSubscriptions } from '../cloud-options.js';
import { formatTime, text } from '../format.js';
import { useRequest } from '../use-request.js';

const trendDays = 30;
const seriesTones = ['seriesa', 'seriesb', 'seriesc', 'seriesd'];

const percent = (fraction: number): string => `${(fraction * 100).toFixed(0)}%`;

/**
 * What to do about an unreadable subscription. A refused read's message already names the role to assign and
 * where, so this adds what follows; any other failure points at the integration's own checks.
 */
function remedy(s: CloudSubscription): string {
  return s.error?.code === 'DEFENDER_PERMISSION_MISSING'
    ? 'The other subscriptions are still read. Once the role is assigned, the next cloud sync reads this one.'
    : "Run the integration's connection test and see its sync history; the next cloud sync tries again.";
}

function ReadStatus({ subscription: s }: { subscription: CloudSubscription }) {
  if (s.lastReadOk) return <Badge value="Read" label="Read status" />;
  return (
    <div className="read-problem">
      <Badge value="Unreadable" label="Read status" />
      <p className="reason">{s.error?.message ?? 'The last read failed.'}</p>
      <p className="remedy">{remedy(s)}</p>
    </div>
  );
}

const subscriptionColumns: readonly Column<CloudSubscription>[] = [
  { id: 'name', header: 'Subscription', cell: (s) => text(s.displayName) },
  { id: 'id', header: 'Subscription id', cell: (s) => <code>{s.subscriptionId}</code> },
  { id: 'state', header: 'State', cell: (s) => text(s.state) },
  { id: 'read', header: 'Read status', cell: (s) => <ReadStatus subscription={s} /> },
  { id: 'lastRead', header: 'Last read', cell: (s) => formatTime(s.lastReadAt) },
];

type Named = CloudSecureScore & { subscriptionName: string };

const scoreColumns: readonly Column<Named>[] = [
  { id: 'subscription', header: 'Subscription', cell: (s) => s.subscriptionName },
  { id: 'score', header: 'Secure score', cell: (s) => `${s.current} of ${s.max}` },
  { id: 'percentage', header: 'Percentage', cell: (s) => percent(s.percentage) },
  { id: 'readAt', header: 'Read', cell: (s) => formatTime(s.readAt) },
];

const scoreKey = (s: CloudSecureScore): string => `${s.integrationId}|${s.subscriptionId}|${s.name}`;

/**
 * A line per score over the days any score has a reading; a day a score missed keeps its previous reading (a
 * missed sync is no drop to zero).
 */
function scoreTrend(scores: readonly Named[]) {
  const days = [...new Set(scores.flatMap((s) => s.history.map((h) => h.day)))].sort();
  const series = scores.map((s, i) => {
    const byDay = new Map(s.history.map((h) => [h.day, Math.round(h.percentage * 100)]));
    let last = 0;
    const values = days.map((day) => (last = byDay.get(day) ?? last));
    return { name: s.subscriptionName, values, tone: seriesTones[i % seriesTones.length] ?? 'none' };
  });
  return { days, series };
}

const unhealthyPath = (severity: string): string =>
  withQuery('/cloud/assessments', { status: 'unhealthy', severity, pageSize: 1 });

/** Unhealthy assessments per severity: each the total of the assessments list so filtered (one row read). */
function useUnhealthyBySeverity(): { counts: Record<string, number> | undefined; error: Error | undefined } {
  // One request per level of cloudSeverities, in its order (hooks cannot be called in a loop).
  const answers = [
    useRequest<Page<CloudAssessment>>(unhealthyPath('High')),
    useRequest<Page<CloudAssessment>>(unhealthyPath('Medium')),
    useRequest<Page<CloudAssessment>>(unhealthyPath('Low')),
  ];
  const error = answers.find((a) => a.error !== undefined)?.error;
  if (answers.some((a) => a.data === undefined)) return { counts: undefined, error };
  return {
    counts: Object.fromEntries(cloudSeverities.map((s, i) => [s, answers[i]?.data?.total ?? 0])),
    error,
  };
}

export function CloudPosturePage() {
  const scores = useRequest<{ items: CloudSecureScore[] }>(`/cloud/secure-scores?days=${trendDays}`);
  const subscriptions = useSubscriptions();
  const unhealthy = useUnhealthyBySeverity();
  const hasCloud = useHasCloudIntegration();
  const names = new Map(
    (subscriptions.data?.items ?? []).map((s) => [s.subscriptionId, s.displayName ?? s.subscriptionId]),
  );
  const named = scores.data?.items.map((s) => ({
    ...s,
    subscriptionName: names.get(s.subscriptionId) ?? s.subscriptionId,
  }));
  const trend = scoreTrend(named ?? []);
  const empty = <CloudEmpty hasCloud={hasCloud} what="posture" />;
  return (
    <section className="cloud-posture">
      <h1>Cloud posture</h1>
      <ErrorBox error={scores.error ?? subscriptions.error ?? unhealthy.error} />
      <WhenAnswered requests={[scores, subscriptions, { data: unhealthy.counts, error: unhealthy.error }]}>
        <div className="cards">
          <div className="card wide">
            <TrendChart
              label={`Secure score by subscription (%), last ${trendDays} days`}
              days={trend.days}
              series={trend.series}
              empty="No secure score reading yet: one is taken at each cloud sync."
              max={100}
            />
          </div>
          <div className="card">
            <BarList
              label="Unhealthy assessments by severity"
              counts={unhealthy.counts}
              order={cloudSeverities}
            />
            <ul className="bar-links">
              {cloudSeverities.map((severity) => (
                <li key={severity}>
                  <Link to={withQuery('/cloud/assessments', { status: 'unhealthy', severity })}>
                    Unhealthy {severity}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <h2>Secure score</h2>
        <DataTable
          label="Secure score by subscription"
          columns={scoreColumns}
          rows={named}
          rowKey={scoreKey}
          loading={scores.loading}
          empty={empty}
        />
        <h2>Subscriptions</h2>
        <DataTable
          label="Subscriptions"
          columns={subscriptionColumns}
          rows={subscriptions.data?.items}
          rowKey={(s) => `${s.integrationId}|${s.subscriptionId}`}
          loading={subscriptions.loading}
          empty={empty}
        />
        <p>
          <Link to="/cloud/resources">Cloud resources</Link> ·{' '}
          <Link to="/cloud/assessments">Assessments</Link> · <Link to="/cloud/findings">Findings</Link>
        </p>
      </WhenAnswered>
    </section>
  );
}
