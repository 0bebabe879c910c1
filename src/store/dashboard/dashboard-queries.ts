import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SnapshotsRepository } from './snapshots-repository.js';
import {
  alertSeverityLevels,
  parseAlertSeverity,
  riskLevels,
  severityLevels,
  type RiskLevel,
} from '../../domain/levels.js';

export interface DashboardCounts {
  /** Active (not stale) endpoints per hub risk level. */
  endpointsByRisk: Record<RiskLevel, number>;
  /** Open vulnerability findings per severity, as each integration's newest daily snapshot counted them. */
  openFindingsBySeverity: Record<string, number>;
  /** Alerts not resolved per severity, in Graph's spelling. */
  alertsBySeverity: Record<string, number>;
}

/** Each member of the scale at 0, so a chart gets every bar; counts outside the scale are added after them. */
function everyLevel(scale: readonly string[], counts: Record<string, number> = {}): Record<string, number> {
  return { ...Object.fromEntries(scale.map((level) => [level, 0])), ...counts };
}

/**
 * The dashboard's counts, each one grouped statement. Endpoints group on the `endpoints_risk` index (stale,
 * risk_rank); open findings come from the daily snapshots, as a live count would read millions of rows that no
 * index covers by severity; alerts are counted live, as they are few.
 */
export async function dashboardCounts(
  repos: { readonly db: Kysely<Database>; readonly snapshots: SnapshotsRepository },
  integrationId: string | undefined,
): Promise<DashboardCounts> {
  const [endpointsByRisk, findings, alertsBySeverity] = await Promise.all([
    endpointsByRiskLevel(repos.db, integrationId),
    repos.snapshots.newestOpenFindings(integrationId),
    activeAlertsBySeverity(repos.db, integrationId),
  ]);
  return { endpointsByRisk, openFindingsBySeverity: everyLevel(severityLevels, findings), alertsBySeverity };
}

async function endpointsByRiskLevel(
  db: Kysely<Database>,
  integrationId: string | undefined,
): Promise<Record<RiskLevel, number>> {
  let query = db
    .selectFrom('endpoints')
    .select(['risk_rank', (eb) => eb.fn.countAll<number>().as('n')])
    .where('stale', '=', 0)
    .groupBy('risk_rank');
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  const counts = everyLevel(riskLevels) as Record<RiskLevel, number>;
  for (const row of await query.execute()) {
    const level = riskLevels[row.risk_rank];
    if (level !== undefined) counts[level] += row.n;
  }
  return counts;
}

/** The SQL twin of isActiveAlertStatus (domain/endpoint-risk.ts): only a resolved alert is inactive. */
const activeAlert = sql<SqlBool>`(status is null or lower(trim(status)) <> 'resolved')`;

async function activeAlertsBySeverity(
  db: Kysely<Database>,
  integrationId: string | undefined,
): Promise<Record<string, number>> {
  let query = db
    .selectFrom('alerts')
    .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where(activeAlert)
    .groupBy('severity');
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  const counts = everyLevel(alertSeverityLevels);
  for (const row of await query.execute()) {
    // Graph's own word for no severity; a word off the scale stays as stored, so it can be filtered on.
    const key = row.severity === null ? 'unknown' : (parseAlertSeverity(row.severity) ?? row.severity);
    counts[key] = (counts[key] ?? 0) + row.n;
  }
  return counts;
}
