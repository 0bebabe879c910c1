import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { readBody } from '../http/read-body.js';
import { JSON_TYPE, sendApiError, sendChunks, sendJson } from '../http/responses.js';
import { CpuBudget } from '../hunting/cpu-budget.js';
import { KqlError } from '../hunting/kql-error.js';
import { runKql, type QueryRun, type TimeWindow } from '../hunting/kql-evaluator.js';
import { renderValue, schemaType } from '../hunting/kql-values.js';
import { huntingTables } from '../hunting/tables.js';
import { DEFAULT_LOOKBACK, parseTimespan } from '../hunting/timespan.js';
import type { SimState } from '../state.js';
import { type Route, hunting, open } from '../http/route.js';
import type { Handler } from './handler.js';

/** Documented caps of one advanced hunting answer: 100,000 rows, and 50 MB in the 2026-07 revision. */
export const MAX_RESULT_ROWS = 100_000;
export const MAX_RESULT_BYTES = 50 * 1024 * 1024;
export const RESULT_SIZE_MESSAGE =
  'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again.';

type Flavour = 'graph' | 'mde';

interface HuntingRequest {
  readonly query: string;
  readonly window: TimeWindow;
}

const SettingsBody = z.object({ cpuRowsPerMinute: z.number().int().positive().nullable().optional() });

/** The handlers, sharing one CPU budget. */
function huntingHandlers() {
  const budget = new CpuBudget();
  return {
    graphRun: (async (state, ex) => run(state, ex, budget, 'graph')) satisfies Handler,
    mdeRun: (async (state, ex) => run(state, ex, budget, 'mde')) satisfies Handler,
    getSettings: (async (_state, ex) => sendJson(ex, 200, settings(budget))) satisfies Handler,
    postSettings: (async (_state, ex) => {
      const parsed = SettingsBody.safeParse(parseJson(await readBody(ex.req), 'InvalidRequestBody'));
      if (!parsed.success) throw new ApiError(400, 'InvalidRequestBody', z.prettifyError(parsed.error));
      if (parsed.data.cpuRowsPerMinute !== undefined) budget.configure(parsed.data.cpuRowsPerMinute);
      await sendJson(ex, 200, settings(budget));
    }) satisfies Handler,
  };
}

/**
 * Graph `POST /v1.0/security/runHuntingQuery` and MDE `POST /api/advancedqueries/run` over the simulated tenant,
 * sharing one CPU budget (per simulator: it serves one tenant), plus `/_sim/hunting` to read and tune it.
 */
export function huntingRoutes(): readonly Route[] {
  const hunt = huntingHandlers();
  return [
    hunting(
      'graph',
      '/v1.0/security/runHuntingQuery',
      /^\/v1\.0\/security\/runHuntingQuery$/i,
      ['ThreatHunting.Read.All'],
      hunt.graphRun,
    ),
    hunting(
      'mde',
      '/api/advancedqueries/run',
      /^\/api\/advancedqueries\/run$/i,
      ['AdvancedQuery.Read.All'],
      hunt.mdeRun,
    ),
    open('GET', '/_sim/hunting', /^\/_sim\/hunting$/, 'sim', hunt.getSettings),
    open('POST', '/_sim/hunting', /^\/_sim\/hunting$/, 'sim', hunt.postSettings),
  ];
}

function settings(budget: CpuBudget): Record<string, number> {
  return { cpuRowsPerMinute: budget.rowsPerMinute, cpuRowsUsedLastMinute: budget.used(Date.now()) };
}

async function run(state: SimState, ex: Exchange, budget: CpuBudget, flavour: Flavour): Promise<void> {
  const request = await readRequest(state, ex, flavour);
  const wait = budget.waitSeconds(Date.now());
  if (wait > 0) {
    state.stats.rateLimited('huntingCpu');
    await sendApiError(
      ex,
      429,
      'TooManyRequests',
      `Advanced hunting CPU quota exceeded: this tenant's queries used their share of execution time. Try again in ${wait} seconds, and narrow queries (filter early, take or summarize) to use less.`,
      { 'retry-after': String(wait) },
    );
    return;
  }
  const epoch = state.tenant.epoch;
  let query: QueryRun;
  try {
    query = runKql(request.query, {
      tables: huntingTables(state.tenant, epoch),
      now: state.tenant.clock.now,
      window: request.window,
      cancelled: () => ex.res.destroyed,
    });
  } catch (error) {
    if (error instanceof KqlError) throw new ApiError(400, 'BadRequest', error.message);
    throw error;
  }
  const rows = await renderRows(query);
  budget.charge(query.scanned(), Date.now());
  if (rows === 'too-large') throw new ApiError(400, 'BadRequest', RESULT_SIZE_MESSAGE);
  await sendResult(state, ex, flavour, query, rows);
}

/** The rows as JSON texts, or `too-large` as soon as a cap is passed (the rest is never computed). */
async function renderRows(query: QueryRun): Promise<string[] | 'too-large'> {
  const { columns } = query;
  const texts: string[] = [];
  let bytes = 0;
  for await (const batch of query.batches) {
    for (const row of batch) {
      const record: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        record[column.name] = renderValue(row[i] ?? null, column.type);
      });
      const text = JSON.stringify(record);
      bytes += text.length + 1;
      texts.push(text);
      if (texts.length > MAX_RESULT_ROWS || bytes > MAX_RESULT_BYTES) return 'too-large';
    }
  }
  return texts;
}

async function sendResult(
  state: SimState,
  ex: Exchange,
  flavour: Flavour,
  query: QueryRun,
  rows: readonly string[],
): Promise<void> {
  const head =
    flavour === 'graph'
      ? `{"@odata.context":${JSON.stringify(`${state.baseUrl()}/v1.0/$metadata#microsoft.graph.security.huntingQueryResults`)},"schema":${JSON.stringify(query.columns.map((c) => ({ name: c.name, type: schemaType(c.type) })))},"results":[`
      : `{"Schema":${JSON.stringify(query.columns.map((c) => ({ Name: c.name, Type: schemaType(c.type) })))},"Results":[`;
  await sendChunks(ex, 200, { 'content-type': JSON_TYPE }, bodyChunks(head, rows));
}

function* bodyChunks(head: string, rows: readonly string[]): Iterable<string> {
  yield head;
  const perChunk = 512;
  for (let at = 0; at < rows.length; at += perChunk)
    yield (at === 0 ? '' : ',') + rows.slice(at, at + perChunk).join(',');
  yield ']}';
}

function parseJson(text: string, code: string): unknown {
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new ApiError(400, code, 'The request body is not valid JSON.');
  }
}

/**
 * MDE binds `Query` case-sensitively (a wrong case is a missing parameter); Graph reads `Query` and `Timespan`
 * whatever their case. Only Graph takes a time window; MDE always looks back 30 days.
 */
async function readRequest(state: SimState, ex: Exchange, flavour: Flavour): Promise<HuntingRequest> {
  const body = parseJson(await readBody(ex.req), flavour === 'graph' ? 'BadRequest' : 'InvalidRequestBody');
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const pick = (name: string): unknown =>
    flavour === 'mde'
      ? fields[name]
      : Object.entries(fields).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const query = pick('Query');
  if (typeof query !== 'string' || query.trim() === '') {
    throw flavour === 'graph'
      ? new ApiError(400, 'BadRequest', 'The \'Query\' parameter is required: send {"Query": "<KQL>"}.')
      : new ApiError(
          400,
          'MissingRequiredParameter',
          'Query is a required parameter (case-sensitive: "Query").',
        );
  }
  const now = state.tenant.clock.now;
  const timespan = flavour === 'graph' ? pick('Timespan') : undefined;
  if (timespan === undefined || timespan === null)
    return { query, window: { from: now - DEFAULT_LOOKBACK, to: now } };
  const window = typeof timespan === 'string' ? parseTimespan(timespan, now) : undefined;
  if (window === undefined) {
    throw new ApiError(
      400,
      'BadRequest',
      `Timespan ${JSON.stringify(timespan)} is not an ISO 8601 interval: use start/end, P30D/end, start/P30D, P30D or a start time.`,
    );
  }
  return { query, window };
}
