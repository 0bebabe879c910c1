import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
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

/** The pairs of one patch (the outer query's `p`), joined as the compiled condition expects. */
function pairsOfOuterPatch(db: Kysely<Database>) {
  return db
    .selectFrom('patch_endpoints as pe')
    .innerJoin('endpoints as e', 'e.id', 'pe.endpoint_id')
    .where(sql<SqlBool>`pe.integration_id = p.integration_id and pe.patch_key = p.patch_key`);
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
  let patches = db.selectFrom('patches as p');
  if (request.integrationId !== undefined)
    patches = patches.where('p.integration_id', '=', request.integrationId);
  patches = perEndpoint
    ? patches.where((eb) =>
        eb.exists(
          pairsOfOuterPatch(db)
            .where(condition)
            .select(sql`1`.as('one')),
        ),
      )
    : patches.where(condition);
  const page = await fetchPage(
    request,
    patches
      .selectAll('p')
      .orderBy('p.severity_rank', 'desc')
      .orderBy('p.endpoint_count', 'desc')
      .orderBy('p.integration_id')
      .orderBy('p.patch_key'),
    patches.select((eb) => eb.fn.countAll<number>().as('total')),
    (rows) => rows,
  );
  const only = perEndpoint ? condition : undefined;
  const [counts, endpoints] = await Promise.all([
    only === undefined ? undefined : matchedCounts(db, only, page.items),
    Promise.all(page.items.map((row) => endpointsOf(db, only, row, request.endpointLimit))),
  ]);
  return {
    ...page,
    items: page.items.map((row, i) => ({
      ...toPatchSummary(row),
      matchedEndpoints: counts === undefined ? row.endpoint_count : (counts.get(keyOf(row)) ?? 0),
      endpoints: endpoints[i] ?? [],
    })),
  };
}

type PatchKey = Pick<Selectable<PatchesTable>, 'integration_id' | 'patch_key'>;

const keyOf = (row: PatchKey): string => `${row.integration_id}\n${row.patch_key}`;

function onePatch(db: Kysely<Database>, row: PatchKey) {
  return db
    .selectFrom('patches as p')
    .innerJoin('patch_endpoints as pe', (join) =>
      join.onRef('pe.integration_id', '=', 'p.integration_id').onRef('pe.patch_key', '=', 'p.patch_key'),
    )
    .innerJoin('endpoints as e', 'e.id', 'pe.endpoint_id')
    .where('p.integration_id', '=', row.integration_id)
    .where('p.patch_key', '=', row.patch_key);
}

/** How many endpoints of each of these patches satisfy the condition. */
async function matchedCounts(
  db: Kysely<Database>,
  condition: Expression<SqlBool>,
  rows: readonly PatchKey[],
): Promise<Map<string, number>> {
  const counted = await Promise.all(
    rows.map(async (row) => {
      const { n } = await onePatch(db, row)
        .where(condition)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return [keyOf(row), n] as const;
    }),
  );
  return new Map(counted);
}

/** The patch's first `limit` endpoints by id (under the condition, if given): a range of the pairs' key. */
async function endpointsOf(
  db: Kysely<Database>,
  condition: Expression<SqlBool> | undefined,
  row: PatchKey,
  limit: number,
): Promise<MatchedEndpoint[]> {
  if (limit === 0) return [];
  let query = onePatch(db, row);
  if (condition !== undefined) query = query.where(condition);
  const rows = await query
    .select(['e.id', 'e.machine_id', 'e.computer_dns_name'])
    .orderBy('pe.endpoint_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, machineId: r.machine_id, computerDnsName: r.computer_dns_name }));
}
