import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { strategyFields, type Expr } from '../domain/strategy/index.js';
import type { Database } from './schema.js';
import type { Dialect } from './database.js';
import { compileStrategy } from './strategy-sql.js';
import { patchEndpointPairs, patchEndpointsOf } from './patch-endpoints.js';
import { fetchPage, type Page, type PageRequest } from './list-queries.js';
import {
  patchSummaryColumns,
  toPatchSummary,
  type PatchSummary,
  type PatchSummaryRow,
} from './patch-queries.js';

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

/** The parts of a top-level `and` chain, each of which must hold. */
function conjuncts(expr: Expr): Expr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/**
 * The patches a strategy selects, most severe and widest first, each with the endpoints it applies to there.
 * A strategy over patch fields alone reads the patches table only; one that names endpoint fields keeps a patch
 * when any of its endpoints satisfies it (an EXISTS that stops at the first), and counts the matching
 * endpoints for the page's patches alone.
 */
export async function strategyMatches(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  request: MatchRequest,
): Promise<Page<StrategyMatch>> {
  const condition = compileStrategy(expr, dialect);
  const perEndpoint = namesEndpointField(expr);
  const { from, endpointId } = patchEndpointsOf(dialect);
  let patches = db.selectFrom('patches as p');
  if (request.integrationId !== undefined)
    patches = patches.where('p.integration_id', '=', request.integrationId);
  // Conditions on the patch alone also filter outside the EXISTS, so it never walks the endpoints of a patch
  // they already rule out.
  for (const part of conjuncts(expr).filter((e) => !namesEndpointField(e)))
    patches = patches.where(compileStrategy(part, dialect));
  if (perEndpoint)
    patches = patches.where(
      sql<SqlBool>`exists (select 1 from ${from} inner join endpoints as e on e.id = ${endpointId} where ${condition})`,
    );
  const page = await fetchPage(
    request,
    patches
      .select(patchSummaryColumns.map((c) => `p.${c}` as const))
      .orderBy('p.severity_rank', 'desc')
      .orderBy('p.endpoint_count', 'desc')
      .orderBy('p.integration_id')
      .orderBy('p.patch_key'),
    patches.select((eb) => eb.fn.countAll<number>().as('total')),
    (rows) => rows,
  );
  const only = perEndpoint ? condition : undefined;
  const [counts, endpoints] = await Promise.all([
    Promise.all(
      page.items.map((row) =>
        only === undefined ? Promise.resolve(row.endpoint_count) : matchedCount(db, dialect, only, row),
      ),
    ),
    Promise.all(page.items.map((row) => endpointsOf(db, dialect, only, row, request.endpointLimit))),
  ]);
  return {
    ...page,
    items: page.items.map((row, i) => ({
      ...toPatchSummary(row),
      matchedEndpoints: counts[i] ?? 0,
      endpoints: endpoints[i] ?? [],
    })),
  };
}

type PatchKey = Pick<PatchSummaryRow, 'integration_id' | 'patch_key'>;

/** The pairs of one patch, under the strategy's condition if given. */
function onePatch(dialect: Dialect, row: PatchKey, condition: Expression<SqlBool> | undefined) {
  return sql`from ${patchEndpointPairs(dialect)}
    where p.integration_id = ${row.integration_id} and p.patch_key = ${row.patch_key}
    ${condition === undefined ? sql`` : sql`and ${condition}`}`;
}

/** How many endpoints of the patch satisfy the condition. */
async function matchedCount(
  db: Kysely<Database>,
  dialect: Dialect,
  condition: Expression<SqlBool>,
  row: PatchKey,
): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n ${onePatch(dialect, row, condition)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** The patch's first `limit` endpoints by id (under the condition, if given). */
async function endpointsOf(
  db: Kysely<Database>,
  dialect: Dialect,
  condition: Expression<SqlBool> | undefined,
  row: PatchKey,
  limit: number,
): Promise<MatchedEndpoint[]> {
  if (limit === 0) return [];
  const { from, endpointId } = patchEndpointsOf(dialect);
  // Without a condition the first ids of the ascending list are the answer: read no further than them.
  const query =
    condition === undefined
      ? sql<{ id: number; machine_id: string; computer_dns_name: string | null }>`
    select e.id, e.machine_id, e.computer_dns_name from endpoints as e
    where e.id in (select ${endpointId} from patches as p cross join ${from}
      where p.integration_id = ${row.integration_id} and p.patch_key = ${row.patch_key} limit ${limit})
    order by e.id`
      : sql<{ id: number; machine_id: string; computer_dns_name: string | null }>`
    select e.id, e.machine_id, e.computer_dns_name ${onePatch(dialect, row, condition)}
    order by e.id limit ${limit}`;
  const { rows } = await query.execute(db);
  return rows.map((r) => ({
    id: r.id,
    machineId: r.machine_id,
    computerDnsName: r.computer_dns_name,
  }));
}
