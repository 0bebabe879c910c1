import { sql, type Expression, type OrderByModifiers, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Building blocks every read-side list shares: one paging helper, sort parsing, portable text search and the
 * parsing of JSON text columns. Each `*-queries.ts` file composes these so a list behaves the same everywhere.
 */

/** A 1-based page and its size, as the API takes them. */
export interface PageRequest {
  readonly page: number;
  readonly pageSize: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Rows matching the filter, over all pages. */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** What the paging helper needs of a Kysely select that is already filtered and ordered. */
export interface PageableQuery<R> {
  limit(limit: number): PageableQuery<R>;
  offset(offset: number): PageableQuery<R>;
  execute(): Promise<R[]>;
}

/** A select of one `total` column over the same filter as the rows. */
export interface TotalQuery {
  executeTakeFirst(): Promise<{ total: number | string | bigint } | undefined>;
}

/**
 * The one paging helper: the requested slice of `rows` and the total of `total`, mapped to the list's items.
 * The caller builds both from one filtered query so they can never disagree on what matches.
 */
export async function fetchPage<R, T>(
  request: PageRequest,
  rows: PageableQuery<R>,
  total: TotalQuery,
  toItems: (rows: R[]) => T[] | Promise<T[]>,
): Promise<Page<T>> {
  const offset = (request.page - 1) * request.pageSize;
  const [slice, counted] = await Promise.all([
    rows.limit(request.pageSize).offset(offset).execute(),
    total.executeTakeFirst(),
  ]);
  return {
    items: await toItems(slice),
    // Aggregates can come back as numeric strings on PostgreSQL; every count here fits a JS number.
    total: Number(counted?.total ?? 0),
    page: request.page,
    pageSize: request.pageSize,
  };
}

/** The requested page of a list already in memory (a handful of rows, such as the integrations). */
export function slicePage<T>(all: readonly T[], request: PageRequest): Page<T> {
  const offset = (request.page - 1) * request.pageSize;
  return {
    items: all.slice(offset, offset + request.pageSize),
    total: all.length,
    page: request.page,
    pageSize: request.pageSize,
  };
}

export type SortDirection = 'asc' | 'desc';

/** Every sort value a list accepts: each field, ascending or with a leading `-` for descending. */
export function sortValues<F extends string>(fields: readonly F[]): [F | `-${F}`, ...(F | `-${F}`)[]] {
  const [first, ...rest] = fields;
  if (first === undefined) throw new Error('sortValues needs at least one field.');
  return [first, `-${first}`, ...rest.flatMap((f) => [f, `-${f}`] as const)];
}

export function parseSort<F extends string>(sort: F | `-${F}`): { field: F; direction: SortDirection } {
  return sort.startsWith('-')
    ? { field: sort.slice(1) as F, direction: 'desc' }
    : { field: sort as F, direction: 'asc' };
}

/** Rows without the value go last either way: SQLite and PostgreSQL disagree on where NULL sorts by default. */
export function nullsLast(direction: SortDirection): OrderByModifiers {
  return (ob) => (direction === 'desc' ? ob.desc() : ob.asc()).nullsLast();
}

/**
 * Case-insensitive "contains" that runs unchanged on both dialects: `lower(col) like lower(?)`, with the
 * caller's `%`, `_` and `\` taken literally rather than as wildcards.
 */
export function containsText(column: Expression<string | null>, term: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${column}) like lower(${`%${escapeLike(term)}%`}) escape '\\'`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A finding is a vulnerability only when it names a CVE: Defender's export also sends one row per installed
 * software with no known vulnerability (`cve_id` null), which belongs to the endpoint's software, not to its
 * vulnerabilities. Every view that counts or lists vulnerabilities filters with this.
 */
export function namesCve(cveId: Expression<string | null>): RawBuilder<SqlBool> {
  return sql<SqlBool>`${cveId} is not null`;
}

/** Defender's severity words ranked, so "highest first" means Critical before High before Medium before Low. */
export function severityRank(column: Expression<string | null>): RawBuilder<number> {
  return sql<number>`case ${column} when 'Critical' then 4 when 'High' then 3 when 'Medium' then 2 when 'Low' then 1 when 'Informational' then 0 else -1 end`;
}

/** Defender's riskScore / exposureLevel words ranked: None < Informational < Low < Medium < High < Critical. */
export function riskRank(column: Expression<string | null>): RawBuilder<number | null> {
  return sql<
    number | null
  >`case ${column} when 'Critical' then 5 when 'High' then 4 when 'Medium' then 3 when 'Low' then 2 when 'Informational' then 1 when 'None' then 0 else null end`;
}

/** A JSON text column we wrote ourselves; a damaged value reads as null rather than failing the whole list. */
export function parseStoredJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function parseStringArray(text: string | null): string[] {
  const value = parseStoredJson(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseObjectArray(text: string | null): Record<string, unknown>[] {
  const value = parseStoredJson(text);
  return Array.isArray(value) ? (value as unknown[]).filter(isPlainObject) : [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseCounts(text: string | null): Record<string, number> {
  const value = parseStoredJson(text);
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}

/** 0/1 integer columns as booleans; null stays null (unknown). */
export function flag(value: number | null): boolean | null {
  return value === null ? null : value !== 0;
}
