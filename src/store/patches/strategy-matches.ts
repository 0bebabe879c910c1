import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import {
  formatStrategyExpression,
  holdsWithoutEndpoint,
  namesEndpointField,
  patchConditions,
  patchOnlyConjuncts,
  residualStrategy,
  type Expr,
} from '../../domain/strategy/index.js';
import type { Database } from '../db/schema.js';
import type { Dialect } from '../db/dialect.js';
import { compileStrategy } from './strategy-sql.js';
import { patchEndpointsOf } from './patch-endpoints.js';
import { fetchPage, type Page, type PageRequest } from '../db/list-queries.js';
import { IdSet, scanIdList } from '../db/id-list.js';
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

/** A patch the strategy selects, with the devices it selects it on. */
export interface StrategyMatch extends PatchSummary {
  /**
   * Devices of this patch that satisfy the strategy: all of them, endpoints or not, when it names no endpoint
   * field; else its endpoints that do, and its devices that are not endpoints when the strategy holds on a device
   * without endpoint fields (holdsWithoutEndpoint).
   */
  matchedEndpoints: number;
  /** The first `endpointLimit` of its selected endpoints, by id (devices that are not endpoints are not listed). */
  endpoints: MatchedEndpoint[];
}

export interface MatchRequest extends PageRequest {
  readonly endpointLimit: number;
  readonly integrationId?: string | undefined;
}

/** How many rows each query reads while a strategy with endpoint fields is evaluated. */
export interface MatchBatches {
  /** Patches per query: each carries its endpoint list, which can be long. */
  readonly patches: number;
  /** Endpoint ids per query while a condition's id set is built. */
  readonly endpointIds: number;
}

const defaultBatches: MatchBatches = { patches: 50, endpointIds: 10_000 };

/**
 * The patches a strategy selects, most severe and widest first, each with the endpoints it applies to there.
 * A strategy over patch fields alone is one query over the patches table; one that names endpoint fields is
 * evaluated per patch over the endpoints' id sets (see endpointFieldMatches).
 */
export function strategyMatches(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  request: MatchRequest,
  batches: MatchBatches = defaultBatches,
): Promise<Page<StrategyMatch>> {
  return namesEndpointField(expr)
    ? endpointFieldMatches(db, dialect, expr, request, batches)
    : patchFieldMatches(db, dialect, expr, request);
}

/**
 * How many patches the strategy selects: the total of strategyMatches, without listing any. Patch fields alone
 * are one count; endpoint fields need the same walk over the candidates, counting each only to its first match.
 */
export async function countStrategyMatches(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  integrationId: string | undefined,
  batches: MatchBatches = defaultBatches,
): Promise<number> {
  if (!namesEndpointField(expr)) {
    const row = await candidatePatches(db, dialect, expr, integrationId)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirst();
    return row?.total ?? 0;
  }
  // An empty page: every candidate is tested only until its first matching endpoint.
  const request = { page: 1, pageSize: 0, endpointLimit: 0, integrationId };
  return (await endpointFieldMatches(db, dialect, expr, request, batches)).total;
}

/** The patches of the request's scope that pass the strategy's patch-only conjuncts (all when it has none). */
function candidatePatches(db: Kysely<Database>, dialect: Dialect, expr: Expr, integrationId?: string) {
  let patches = db.selectFrom('patches as p');
  if (integrationId !== undefined) patches = patches.where('p.integration_id', '=', integrationId);
  for (const part of patchOnlyConjuncts(expr)) patches = patches.where(compileStrategy(part, dialect));
  return patches;
}

const summaryColumns = patchSummaryColumns.map((c) => `p.${c}` as const);

async function patchFieldMatches(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  request: MatchRequest,
): Promise<Page<StrategyMatch>> {
  const patches = candidatePatches(db, dialect, expr, request.integrationId);
  const page = await fetchPage(
    request,
    patches
      .select(summaryColumns)
      .orderBy('p.severity_rank', 'desc')
      .orderBy('p.endpoint_count', 'desc')
      .orderBy('p.integration_id')
      .orderBy('p.patch_key'),
    patches.select((eb) => eb.fn.countAll<number>().as('total')),
    (rows) => rows,
  );
  const endpoints = await Promise.all(
    page.items.map((row) => firstEndpointsOf(db, dialect, row, request.endpointLimit)),
  );
  return {
    ...page,
    items: page.items.map((row, i) => ({
      ...toPatchSummary(row),
      matchedEndpoints: row.endpoint_count,
      endpoints: endpoints[i] ?? [],
    })),
  };
}

/** The patch's first `limit` endpoints by id: the head of its ascending list, read no further. */
async function firstEndpointsOf(
  db: Kysely<Database>,
  dialect: Dialect,
  row: Pick<PatchSummaryRow, 'integration_id' | 'patch_key'>,
  limit: number,
): Promise<MatchedEndpoint[]> {
  if (limit === 0) return [];
  const { from, endpointId } = patchEndpointsOf(dialect);
  const { rows } = await sql<EndpointRow>`
    select e.id, e.machine_id, e.computer_dns_name from endpoints as e
    where e.id in (select ${endpointId} from patches as p cross join ${from}
      where p.integration_id = ${row.integration_id} and p.patch_key = ${row.patch_key} limit ${limit})
    order by e.id`.execute(db);
  return rows.map(toMatchedEndpoint);
}

interface EndpointRow {
  id: number;
  machine_id: string;
  computer_dns_name: string | null;
}

const toMatchedEndpoint = (r: EndpointRow): MatchedEndpoint => ({
  id: r.id,
  machineId: r.machine_id,
  computerDnsName: r.computer_dns_name,
});

// ---------------------------------------------------------------------------------------------------------
// Strategies that name endpoint fields

/** Distinct endpoint conditions whose id sets are kept while one request runs. */
const keptSets = 64;

/**
 * On one patch, a strategy is its endpoint-scope rest once the patch's own conditions are known
 * (residualStrategy): the patch matches on the endpoints of its list that satisfy that rest, and on its devices
 * that are not endpoints when the rest holds without endpoint fields. So each distinct rest is evaluated once over
 * the endpoints, as a set of ids, and every candidate patch's list is tested against it in memory; the page's
 * patches are counted in full, the others only until their first match. This reads each list once instead of
 * joining millions of pairs in SQL.
 */
async function endpointFieldMatches(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  request: MatchRequest,
  batches: MatchBatches,
): Promise<Page<StrategyMatch>> {
  const conditions = [...patchConditions(expr)];
  const position = new Map(conditions.map(([text], i) => [text, i]));
  const sets = new EndpointSets(db, dialect, request.integrationId, batches.endpointIds);
  const offset = (request.page - 1) * request.pageSize;
  const page: { row: PatchSummaryRow; matched: number; first: number[] }[] = [];
  let total = 0;
  for await (const row of patchesInOrder(
    db,
    dialect,
    expr,
    conditions,
    request.integrationId,
    batches.patches,
  )) {
    const residual = residualStrategy(
      expr,
      (condition) => row.conditions[position.get(formatStrategyExpression(condition)) ?? -1] === '1',
    );
    if (residual === false) continue;
    const others = row.devices_not_imported > 0 && (residual === true || holdsWithoutEndpoint(residual));
    const unlisted = others ? row.devices_not_imported : 0;
    const onPage = total >= offset && page.length < request.pageSize;
    let listed: { matched: number; first: number[] };
    if (onPage) {
      const endpoints = matchedOn(row.endpoint_ids, await sets.of(residual), request.endpointLimit);
      listed = { matched: endpoints.matched + unlisted, first: endpoints.first };
    } else {
      const matches = others || anyMatched(row.endpoint_ids, await sets.of(residual));
      listed = { matched: matches ? 1 : 0, first: [] };
    }
    if (listed.matched === 0) continue;
    total++;
    if (onPage) page.push({ row, ...listed });
  }
  const described = await describeEndpoints(
    db,
    page.flatMap((p) => p.first),
  );
  return {
    items: page.map(({ row, matched, first }) => ({
      ...toPatchSummary(row),
      matchedEndpoints: matched,
      endpoints: first.map((id) => described.get(id)).filter((e) => e !== undefined),
    })),
    total,
    page: request.page,
    pageSize: request.pageSize,
  };
}

function matchedOn(list: string, set: IdSet, limit: number): { matched: number; first: number[] } {
  let matched = 0;
  const first: number[] = [];
  scanIdList(list, (id) => {
    if (!set.has(id)) return true;
    matched++;
    if (first.length < limit) first.push(id);
    return true;
  });
  return { matched, first };
}

function anyMatched(list: string, set: IdSet): boolean {
  let found = false;
  scanIdList(list, (id) => !(found = set.has(id)));
  return found;
}

type WalkedPatch = PatchSummaryRow & { endpoint_ids: string; conditions: string };

/**
 * The candidate patches in the list's order, a batch at a time (keyset paging over the order's columns), each
 * with its endpoint list and, as a string of 0/1 characters, whether it satisfies each patch condition.
 */
async function* patchesInOrder(
  db: Kysely<Database>,
  dialect: Dialect,
  expr: Expr,
  conditions: readonly (readonly [string, Expr])[],
  integrationId: string | undefined,
  batch: number,
): AsyncGenerator<WalkedPatch> {
  const answers =
    conditions.length === 0
      ? sql<string>`''`
      : sql<string>`${sql.join(
          conditions.map(([, c]) => sql`case when ${compileStrategy(c, dialect)} then '1' else '0' end`),
          sql` || `,
        )}`;
  let last: WalkedPatch | undefined;
  for (;;) {
    let query = candidatePatches(db, dialect, expr, integrationId);
    if (last !== undefined) query = query.where(after(last));
    const rows = await query
      .select([...summaryColumns, 'p.endpoint_ids', answers.as('conditions')])
      .orderBy('p.severity_rank', 'desc')
      .orderBy('p.endpoint_count', 'desc')
      .orderBy('p.integration_id')
      .orderBy('p.patch_key')
      .limit(batch)
      .execute();
    yield* rows;
    last = rows.at(-1);
    if (rows.length < batch || last === undefined) return;
  }
}

/** The rows after `last` in the order severity and width descending, then integration and key. */
function after(last: WalkedPatch): Expression<SqlBool> {
  return sql<SqlBool>`(p.severity_rank < ${last.severity_rank} or (p.severity_rank = ${last.severity_rank} and
    (p.endpoint_count < ${last.endpoint_count} or (p.endpoint_count = ${last.endpoint_count} and
    (p.integration_id > ${last.integration_id} or (p.integration_id = ${last.integration_id} and
    p.patch_key > ${last.patch_key}))))))`;
}

/** The ids of the endpoints that satisfy each endpoint condition, read once per condition and request. */
class EndpointSets {
  readonly #sets = new Map<string, Promise<IdSet>>();
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  readonly #integrationId: string | undefined;
  readonly #batch: number;

  constructor(db: Kysely<Database>, dialect: Dialect, integrationId: string | undefined, batch: number) {
    this.#db = db;
    this.#dialect = dialect;
    this.#integrationId = integrationId;
    this.#batch = batch;
  }

  of(condition: Expr | true): Promise<IdSet> {
    const key = condition === true ? '' : formatStrategyExpression(condition);
    const kept = this.#sets.get(key);
    if (kept !== undefined) return kept;
    // A strategy with many patch conditions can leave many different rests; keep the memory bounded.
    if (this.#sets.size >= keptSets) this.#sets.delete(this.#sets.keys().next().value ?? '');
    const read = this.#read(
      condition === true ? sql<SqlBool>`1 = 1` : compileStrategy(condition, this.#dialect),
    );
    this.#sets.set(key, read);
    return read;
  }

  /**
   * A batch of ids comes back as one comma-separated text rather than a row per id: building a row object per
   * endpoint costs several times what the database takes to find them.
   */
  async #read(condition: Expression<SqlBool>): Promise<IdSet> {
    const set = new IdSet();
    const ids =
      this.#dialect === 'sqlite'
        ? sql<string>`group_concat(m.id)`
        : sql<string>`string_agg(cast(m.id as text), ',')`;
    let from = -1;
    for (;;) {
      let matching = this.#db
        .selectFrom('endpoints as e')
        .select('e.id')
        .where('e.id', '>', from)
        .where(condition);
      if (this.#integrationId !== undefined)
        matching = matching.where('e.integration_id', '=', this.#integrationId);
      const batch = await this.#db
        .selectFrom(matching.orderBy('e.id').limit(this.#batch).as('m'))
        .select([
          ids.as('ids'),
          (eb) => eb.fn.countAll<number | string>().as('n'),
          (eb) => eb.fn.max<number | string | null>('m.id').as('last'),
        ])
        .executeTakeFirst();
      scanIdList(batch?.ids ?? '', (id) => {
        set.add(id);
        return true;
      });
      if (batch === undefined || Number(batch.n) < this.#batch || batch.last === null) return set;
      from = Number(batch.last);
    }
  }
}

/** The listed endpoints' names, a few hundred ids per query. */
async function describeEndpoints(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, MatchedEndpoint>> {
  const described = new Map<number, MatchedEndpoint>();
  const distinct = [...new Set(ids)];
  for (let i = 0; i < distinct.length; i += 500) {
    const rows = await db
      .selectFrom('endpoints')
      .select(['id', 'machine_id', 'computer_dns_name'])
      .where('id', 'in', distinct.slice(i, i + 500))
      .execute();
    for (const row of rows) described.set(row.id, toMatchedEndpoint(row));
  }
  return described;
}
