import { sql, type Kysely, type RawBuilder } from 'kysely';
import { parseSeverity, severityLevels, type Severity } from '../../domain/levels.js';
import type { MeanTimeToRemediate, RemediationTime, SlaDays } from '../../domain/remediation.js';
import type { Database } from '../db/schema.js';
import type { Dialect } from '../db/dialect.js';
import { levelAt, rankOf } from '../db/level-sql.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';

const dayMs = 86_400_000;

/** Days between two ISO timestamp columns: the SQL twin of the domain's `(resolved - first) / day`. */
function daysBetween(dialect: Dialect, from: string, to: string): RawBuilder<number> {
  return dialect === 'sqlite'
    ? sql`(julianday(${sql.ref(to)}) - julianday(${sql.ref(from)}))`
    : sql`(extract(epoch from (${sql.ref(to)}::timestamptz - ${sql.ref(from)}::timestamptz)) / 86400)`;
}

/** The severity column in the domain's spelling, null when it names none. */
const canonicalSeverity = levelAt(sql<number>`${rankOf('severity', severityLevels)}`, severityLevels);

function vulnerabilityFindings(db: Kysely<Database>, integrationId: string | undefined) {
  let query = db.selectFrom('findings').where('cve_id', 'is not', null);
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  return query;
}

/**
 * Mean time to remediate per severity over resolved vulnerability findings, by the domain's rule (a finding
 * resolved before it was first seen is left out and counted as such), aggregated in the database so millions of
 * resolved findings are never read into memory.
 */
export async function meanTimeToRemediate(
  db: Kysely<Database>,
  dialect: Dialect,
  integrationId: string | undefined,
): Promise<MeanTimeToRemediate> {
  const counted = sql`resolved_at >= first_seen_at`;
  const rows = await vulnerabilityFindings(db, integrationId)
    .where('status', '=', 'resolved')
    .where('first_seen_at', 'is not', null)
    .where('resolved_at', 'is not', null)
    .select([
      canonicalSeverity.as('severity'),
      sql<number>`count(case when ${counted} then 1 end)`.as('n'),
      // PostgreSQL sums the day counts as numeric, which its driver hands over as text.
      sql<
        number | string | null
      >`sum(case when ${counted} then ${daysBetween(dialect, 'first_seen_at', 'resolved_at')} end)`.as(
        'days',
      ),
      sql<number>`count(case when not (${counted}) then 1 end)`.as('before'),
    ])
    .groupBy(canonicalSeverity)
    .execute();
  const bySeverity = Object.fromEntries(
    severityLevels.map((s) => [s, { count: 0, meanDays: null } satisfies RemediationTime]),
  ) as Record<Severity, RemediationTime>;
  let count = 0;
  let days = 0;
  let before = 0;
  for (const r of rows) {
    const n = r.n;
    const sum = Number(r.days ?? 0);
    count += n;
    days += sum;
    before += r.before;
    const severity = parseSeverity(r.severity);
    if (severity !== undefined) bySeverity[severity] = { count: n, meanDays: n === 0 ? null : sum / n };
  }
  return {
    bySeverity,
    overall: { count, meanDays: count === 0 ? null : days / count },
    ignored: { resolvedBeforeFirstSeen: before, invalidTimestamp: 0 },
  };
}

/** Open vulnerability findings first seen before their severity's SLA allows, as of `now`. */
function pastSla(db: Kysely<Database>, integrationId: string | undefined, slaDays: SlaDays, now: Date) {
  const cutoff = (severity: Severity): string =>
    new Date(now.getTime() - slaDays[severity] * dayMs).toISOString();
  return vulnerabilityFindings(db, integrationId)
    .where('status', '=', 'open')
    .where((eb) =>
      eb.or(
        severityLevels.map((severity) =>
          eb.and([
            eb(sql<string | null>`${canonicalSeverity}`, '=', severity),
            eb('first_seen_at', '<', cutoff(severity)),
          ]),
        ),
      ),
    );
}

/** How many open findings are past their SLA, per severity. */
export async function pastSlaCounts(
  db: Kysely<Database>,
  integrationId: string | undefined,
  slaDays: SlaDays,
  now: Date,
): Promise<Record<Severity, number>> {
  const rows = await pastSla(db, integrationId, slaDays, now)
    .select([canonicalSeverity.as('severity'), sql<number>`count(*)`.as('n')])
    .groupBy(canonicalSeverity)
    .execute();
  const counts = Object.fromEntries(severityLevels.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of rows) {
    const severity = parseSeverity(r.severity);
    if (severity !== undefined) counts[severity] = r.n;
  }
  return counts;
}

export interface PastSlaFinding {
  integrationId: string;
  /** Null for a device that is not an endpoint: its findings are past their SLA all the same. */
  endpointId: number | null;
  machineId: string;
  /** The endpoint's DNS name, or the findings export's name of a device that is not an endpoint. */
  deviceName: string | null;
  cveId: string;
  severity: string;
  softwareName: string | null;
  fixingUpdate: string | null;
  firstSeenAt: string;
  dueAt: string;
  daysOverdue: number;
}

/** The open findings past their SLA, the longest overdue first. */
export function listPastSla(
  db: Kysely<Database>,
  integrationId: string | undefined,
  slaDays: SlaDays,
  now: Date,
  page: PageRequest,
): Promise<Page<PastSlaFinding>> {
  const query = pastSla(db, integrationId, slaDays, now);
  const rows = query
    .select([
      'integration_id',
      'machine_id',
      'cve_id',
      'software_name',
      'fixing_update',
      'first_seen_at',
      canonicalSeverity.as('canonical'),
      (eb) =>
        eb
          .selectFrom('endpoints as e')
          .select('e.id')
          .whereRef('e.integration_id', '=', 'findings.integration_id')
          .whereRef('e.machine_id', '=', 'findings.machine_id')
          .as('endpoint_id'),
      (eb) =>
        eb.fn
          .coalesce(
            eb
              .selectFrom('endpoints as e')
              .select('e.computer_dns_name')
              .whereRef('e.integration_id', '=', 'findings.integration_id')
              .whereRef('e.machine_id', '=', 'findings.machine_id'),
            eb
              .selectFrom('finding_devices as d')
              .select('d.device_name')
              .whereRef('d.integration_id', '=', 'findings.integration_id')
              .whereRef('d.machine_id', '=', 'findings.machine_id'),
          )
          .as('device_name'),
    ])
    .orderBy('first_seen_at')
    .orderBy('id');
  return fetchPage(
    page,
    rows,
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (slice) =>
      slice.map((r) => {
        const severity = parseSeverity(r.canonical) ?? 'Low';
        const due = Date.parse(r.first_seen_at ?? '') + slaDays[severity] * dayMs;
        return {
          integrationId: r.integration_id,
          endpointId: r.endpoint_id,
          machineId: r.machine_id,
          deviceName: r.device_name,
          cveId: r.cve_id ?? '',
          severity,
          softwareName: r.software_name,
          fixingUpdate: r.fixing_update,
          firstSeenAt: r.first_seen_at ?? '',
          dueAt: new Date(due).toISOString(),
          daysOverdue: Math.floor((now.getTime() - due) / dayMs),
        };
      }),
  );
}
