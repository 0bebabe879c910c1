import { parseInput } from '../parse-input.js';
import type { IntegrationService } from '../integrations/integration-service.js';
import type { DefenderClientOptions, HuntingResult } from '../defender/index.js';
import { huntingResultNotFound } from './hunting-errors.js';
import {
  DEFAULT_RESULT_PAGE_SIZE,
  huntingQueryInput,
  huntingRunInput,
  savedQueryRunInput,
} from './hunting-input.js';
import { SavedHuntingQueries } from './saved-queries.js';
import {
  type HuntingResultColumn,
  type HuntingResultsRepository,
  type HuntingRecord,
  keysetRows,
  type Page,
  type PageRequest,
  type Repositories,
  type StoredHuntingResult,
} from '../store/index.js';

/**
 * How long a stored result can be paged and exported by default (HUB_RETENTION_HUNTING_RESULTS_HOURS); older ones
 * are pruned when the next one is stored, and by the hourly retention pass.
 */
export const RESULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** A page of a stored result, with what produced it. */
export interface HuntingResultPage extends Page<HuntingRecord> {
  readonly resultId: number;
  readonly integrationId: string;
  readonly savedQueryId: number | null;
  readonly query: string;
  readonly timespan: string | null;
  readonly source: 'graph' | 'mde';
  readonly schema: HuntingResultColumn[];
  readonly createdAt: string;
  readonly expiresAt: string;
}

interface KeptRun {
  readonly integration: string;
  readonly query: string;
  readonly timespan: string | null;
  readonly savedQueryId: number | null;
  readonly pageSize: number | undefined;
}

function toPage(
  result: StoredHuntingResult,
  request: PageRequest,
  items: HuntingRecord[],
  retentionMs: number,
): HuntingResultPage {
  return {
    resultId: result.id,
    integrationId: result.integrationId,
    savedQueryId: result.savedQueryId,
    query: result.query,
    timespan: result.timespan,
    source: result.source,
    schema: [...result.columns],
    createdAt: result.createdAt,
    expiresAt: new Date(Date.parse(result.createdAt) + retentionMs).toISOString(),
    total: result.rowCount,
    page: request.page,
    pageSize: request.pageSize,
    items,
  };
}

async function* rowsOnly(rows: AsyncIterable<{ row: HuntingRecord }>): AsyncGenerator<HuntingRecord> {
  for await (const { row } of rows) yield row;
}

/**
 * Advanced hunting through an integration: Graph runHuntingQuery, the retiring MDE API only as a fallback.
 * Runs made through the API keep their result, so paging and exporting it never spend the tenant's quotas again.
 */
export class HuntingService {
  readonly saved: SavedHuntingQueries;
  readonly #integrations: IntegrationService;
  readonly #results: HuntingResultsRepository;
  readonly #clientOptions: Pick<DefenderClientOptions, 'tuning' | 'onCall'>;
  readonly #retentionMs: number;

  constructor(
    integrations: IntegrationService,
    repos: Pick<Repositories, 'huntingQueries' | 'huntingResults'>,
    options: Pick<DefenderClientOptions, 'tuning' | 'onCall'> & { resultRetentionMs?: number } = {},
  ) {
    const { resultRetentionMs = RESULT_RETENTION_MS, ...clientOptions } = options;
    this.#integrations = integrations;
    this.#clientOptions = clientOptions;
    this.#retentionMs = resultRetentionMs;
    this.#results = repos.huntingResults;
    this.saved = new SavedHuntingQueries(repos.huntingQueries);
  }

  #retentionCutoff(now: number): string {
    return new Date(now - this.#retentionMs).toISOString();
  }

  /** One run, answered whole and not kept (the CLI prints it). */
  async run(input: unknown, signal?: AbortSignal): Promise<HuntingResult> {
    const { integration, query, timespan } = parseInput(huntingQueryInput, input);
    return this.#execute(integration, query, timespan ?? null, signal);
  }

  /** One run whose result is kept; the answer is its first page. */
  runAndKeep(input: unknown, signal?: AbortSignal): Promise<HuntingResultPage> {
    const { integration, query, timespan, pageSize } = parseInput(huntingRunInput, input);
    return this.#runAndKeep(
      { integration, query, timespan: timespan ?? null, savedQueryId: null, pageSize },
      signal,
    );
  }

  /** A saved query run against the integration the input names, kept like any other run. */
  async runSaved(id: number, input: unknown, signal?: AbortSignal): Promise<HuntingResultPage> {
    const saved = await this.saved.get(id);
    const { integration, pageSize } = parseInput(savedQueryRunInput, input);
    return this.#runAndKeep(
      { integration, query: saved.query, timespan: saved.timespan, savedQueryId: saved.id, pageSize },
      signal,
    );
  }

  async resultPage(id: number, request: PageRequest): Promise<HuntingResultPage> {
    const result = await this.#result(id);
    return toPage(result, request, await this.#pageRows(result.id, request), this.#retentionMs);
  }

  /** A whole stored result: its columns, and its rows read from the store a page at a time, in order. */
  async resultRows(id: number): Promise<{ result: StoredHuntingResult; rows: AsyncIterable<HuntingRecord> }> {
    const result = await this.#result(id);
    const rows = keysetRows(
      (after: number | undefined, limit) =>
        this.#results.rowsFrom(result.id, after === undefined ? 0 : after + 1, limit),
      (row) => row.position,
    );
    return { result, rows: rowsOnly(rows) };
  }

  async #runAndKeep(run: KeptRun, signal: AbortSignal | undefined): Promise<HuntingResultPage> {
    const integrationId = (await this.#integrations.get(run.integration)).id;
    const answer = await this.#execute(integrationId, run.query, run.timespan, signal);
    const now = Date.now();
    const result = await this.#results.insert(
      {
        integrationId,
        savedQueryId: run.savedQueryId,
        query: run.query,
        timespan: run.timespan,
        source: answer.source,
        columns: answer.schema,
        rows: answer.results,
        createdAt: new Date(now).toISOString(),
      },
      this.#retentionCutoff(now),
    );
    const request = { page: 1, pageSize: run.pageSize ?? DEFAULT_RESULT_PAGE_SIZE };
    // The rows are in hand: the first page needs no read back.
    return toPage(result, request, answer.results.slice(0, request.pageSize), this.#retentionMs);
  }

  async #execute(
    integration: string,
    query: string,
    timespan: string | null,
    signal: AbortSignal | undefined,
  ): Promise<HuntingResult> {
    const client = await this.#integrations.client(integration, this.#clientOptions);
    try {
      return await client.hunting.run(query, {
        ...(timespan === null ? {} : { timespan }),
        ...(signal === undefined ? {} : { signal }),
      });
    } finally {
      await client.close();
    }
  }

  async #result(id: number): Promise<StoredHuntingResult> {
    const result = await this.#results.find(id, this.#retentionCutoff(Date.now()));
    if (result === undefined) throw huntingResultNotFound(id);
    return result;
  }

  async #pageRows(resultId: number, request: PageRequest): Promise<HuntingRecord[]> {
    const rows = await this.#results.rowsFrom(
      resultId,
      (request.page - 1) * request.pageSize,
      request.pageSize,
    );
    return rows.map((r) => r.row);
  }
}
