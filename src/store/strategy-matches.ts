import { sql, type Kysely, type Selectable } from 'kysely';
import { strategyFields, type Expr } from '../domain/strategy/index.js';
import type { Database, PatchesTable } from './schema.js';
import type { Dialect } from './database.js';
import { compileStrategy } from './strategy-sql.js';
import { fetchPage, type Page, type PageRequest } from './list-queries.js';
import { toPatchSummary, type PatchSummary } from './patch-queries.js';

export interface MatchedEndpoint {
  id: number;
  machineId: string;
  computerDnsName: string | null;
}

/** A patch the strategy selects, with the endpoints it selects it on. */
export interface StrategyMatch extends PatchSummary {
  /** Endpoints of this patch that satisfy the strategy (all of them when it names no endpoint field). */
  matchedEndpoints: number;
  /** The first `endpointLimit` of them, by id. */
  endpoints: MatchedEndpoint[];
}

export interface MatchRequest extends PageRequest {
  readonly endpointLimit: number;
  readonly integrationId?: string | undefined;
}

/** Whether the expression names an endpoint field, which needs the patch × endpoint pairs. */
export function namesEndpointField(expr: Expr): boolean {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return namesEndpointField(expr.left) || namesEndpointField(expr.right);
    case 'not':
      return namesEndpointField(expr.expr);
    default:
      return strategyFields[expr.field].scope === 'endpoint';
  }
}

function pairs(db: Kysely<Database>) {
  return db
    .selectFrom('patches as p')
    .innerJoin('patch_endpoints as pe', (join) =>
      join.onRef('pe.integration_id', '=', 'p.integration_id').onRef('pe.patch_key', '=', 'p.patch_key'),
    )
    .innerJoin('endpoints as e', 'e.id', 'pe.endpoint_id');
}

/**
 * The patches a strategy selects, most severe and widest first, each with the endpoints it applies to there.
 * A strategy over patch fields alone reads the patches table only; one that names endpoint fields is evaluated
 * per patch × endpoint pair.
 */
export async function strategyMatches(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  request: MatchRequest,
): Promise<Page<StrategyMatch>> {
  const condition = compileStrategy(expr, dialect);
  const perEndpoint = namesEndpointField(expr);
  let patches = db.selectFrom('patches as p').where(condition);
  if (request.integrationId !== undefined)
    patches = patches.where('p.integration_id', '=', request.integrationId);
  const page = perEndpoint
    ? await matchedPairsPage(db, condition, request)
    : await fetchPage(
        request,
        patches
          .selectAll('p')
          .select(sql<number>`p.endpoint_count`.as('matched'))
          .orderBy('p.severity_rank', 'desc')
          .orderBy('p.endpoint_count', 'desc')
          .orderBy('p.integration_id')
          .orderBy('p.patch_key'),
        patches.select((eb) => eb.fn.countAll<number>().as('total')),
        (rows) => rows,
      );
  const endpoints = await endpointsOf(
    db,
    perEndpoint ? condition : undefined,
    page.items,
    request.endpointLimit,
  );
  return {
    ...page,
    items: page.items.map((row) => ({
      ...toPatchSummary(row),
      matchedEndpoints: row.matched,
      endpoints: endpoints.get(keyOf(row)) ?? [],
    })),
  };
}

type MatchedRow = Selectable<PatchesTable> & { matched: number };

async function matchedPairsPage(
  db: Kysely<Database>,
  condition: ReturnType<typeof compileStrategy>,
  request: MatchRequest,
): Promise<Page<MatchedRow>> {
  let matched = pairs(db).where(condition);
  if (request.integrationId !== undefined)
    matched = matched.where('p.integration_id', '=', request.integrationId);
  const grouped = matched
    .selectAll('p')
    .select(sql<number>`count(distinct e.id)`.as('matched'))
    // Grouping by the patches key makes every other column of p one value per group, on both databases.
    .groupBy(['p.integration_id', 'p.patch_key'])
    .orderBy('p.severity_rank', 'desc')
    .orderBy(sql`count(distinct e.id)`, 'desc')
    .orderBy('p.integration_id')
    .orderBy('p.patch_key');
  const total = db
    .selectFrom(matched.select(['p.integration_id', 'p.patch_key']).distinct().as('m'))
    .select((eb) => eb.fn.countAll<number>().as('total'));
  return fetchPage(request, grouped, total, (rows) => rows);
}

const keyOf = (row: { integration_id: string; patch_key: string }): string =>
  `${row.integration_id}\n${row.patch_key}`;

/** The first `limit` endpoints (by id) of each patch of the page, under the strategy's condition if given. */
async function endpointsOf(
  db: Kysely<Database>,
  condition: ReturnType<typeof compileStrategy> | undefined,
  rows: readonly { integration_id: string; patch_key: string }[],
  limit: number,
): Promise<Map<string, MatchedEndpoint[]>> {
  const result = new Map<string, MatchedEndpoint[]>();
  if (rows.length === 0 || limit === 0) return result;
  let query = pairs(db).where((eb) =>
    eb.or(
      rows.map((r) =>
        eb.and([eb('p.integration_id', '=', r.integration_id), eb('p.patch_key', '=', r.patch_key)]),
      ),
    ),
  );
  if (condition !== undefined) query = query.where(condition);
  const ranked = query.select([
    'p.integration_id',
    'p.patch_key',
    'e.id',
    'e.machine_id',
    'e.computer_dns_name',
    sql<number>`row_number() over (partition by p.integration_id, p.patch_key order by e.id)`.as('n'),
  ]);
  const listed = await db
    .selectFrom(ranked.as('r'))
    .selectAll()
    .where('r.n', '<=', limit)
    .orderBy('r.id')
    .execute();
  for (const r of listed) {
    const key = keyOf(r);
    result.set(key, [
      ...(result.get(key) ?? []),
      { id: r.id, machineId: r.machine_id, computerDnsName: r.computer_dns_name },
    ]);
  }
  return result;
}
