import type { NewFindingRow } from '../db/schema.js';
import type { BulkRows, BulkTable } from '../bulk/bulk-table.js';
import type { BulkBatch, BulkWriter } from '../bulk/bulk-writer.js';

/** Every column a sync writes, in the order rows are flattened for the bulk writer. */
export const findingColumns = [
  ['integration_id', 'text'],
  ['finding_key', 'text'],
  ['machine_id', 'text'],
  ['cve_id', 'text'],
  ['software_vendor', 'text'],
  ['software_name', 'text'],
  ['software_version', 'text'],
  ['severity', 'text'],
  ['cvss_score', 'real'],
  ['exploitability_level', 'text'],
  ['fixing_update', 'text'],
  ['fixing_update_id', 'text'],
  ['fixing_update_url', 'text'],
  ['update_available', 'integer'],
  ['first_seen_raw', 'text'],
  ['first_seen_at', 'text'],
  ['last_seen_raw', 'text'],
  ['last_seen_at', 'text'],
  ['status', 'text'],
  ['resolved_at', 'text'],
  ['last_run_id', 'bigint'],
  ['raw', 'text'],
  ['updated_at', 'text'],
  ['patch_key', 'text'],
  ['imported', 'integer'],
] as const satisfies readonly (readonly [Exclude<keyof NewFindingRow, 'id'>, string])[];

/** The findings table for bulk upserts: a finding seen again takes every new value and is open again. */
export function findingsTable(table = 'findings', upsert = true): BulkTable {
  return {
    table,
    columns: findingColumns.map(([name, pgType]) => ({ name, pgType })),
    conflict: upsert ? ['integration_id', 'finding_key'] : undefined,
  };
}

const width = findingColumns.length;

/**
 * Writes a row's values at its slot, in `findingColumns` order (a unit test holds the two together). Spelled out
 * because it runs for every finding: named reads are several times faster than reads by a computed key.
 */
export function putFinding(values: unknown[], rowIndex: number, r: NewFindingRow): void {
  let at = rowIndex * width;
  values[at++] = r.integration_id;
  values[at++] = r.finding_key;
  values[at++] = r.machine_id;
  values[at++] = r.cve_id ?? null;
  values[at++] = r.software_vendor ?? null;
  values[at++] = r.software_name ?? null;
  values[at++] = r.software_version ?? null;
  values[at++] = r.severity ?? null;
  values[at++] = r.cvss_score ?? null;
  values[at++] = r.exploitability_level ?? null;
  values[at++] = r.fixing_update ?? null;
  values[at++] = r.fixing_update_id ?? null;
  values[at++] = r.fixing_update_url ?? null;
  values[at++] = r.update_available ?? null;
  values[at++] = r.first_seen_raw ?? null;
  values[at++] = r.first_seen_at ?? null;
  values[at++] = r.last_seen_raw ?? null;
  values[at++] = r.last_seen_at ?? null;
  values[at++] = r.status;
  values[at++] = r.resolved_at ?? null;
  values[at++] = r.last_run_id ?? null;
  values[at++] = r.raw;
  values[at++] = r.updated_at;
  values[at++] = r.patch_key ?? null;
  values[at] = r.imported ?? 1;
}

export function flattenFindings(rows: readonly NewFindingRow[]): BulkRows {
  const values: unknown[] = [];
  rows.forEach((row, i) => {
    putFinding(values, i, row);
  });
  return { values, count: rows.length };
}

/** Rows handed to the bulk writer at a time: small, so a batch never piles up in this thread's heap. */
const appendRows = 1000;

/**
 * Flattens rows as they come and hands them to the bulk writer a thousand at a time; `commit` writes what was
 * added since the last one as a transaction while the caller prepares the next: at most one commit is in
 * flight, and its failure surfaces on the next `commit` or on `flush`.
 */
export class BulkRowWriter<R> {
  readonly #batch: BulkBatch;
  readonly #put: (values: unknown[], rowIndex: number, row: R) => void;
  readonly #onStored: (count: number) => void;
  #chunk: unknown[] = [];
  #chunkRows = 0;
  #buffered = 0;
  #inFlight: Promise<void> | undefined;

  constructor(
    bulk: BulkWriter,
    spec: BulkTable,
    put: (values: unknown[], rowIndex: number, row: R) => void,
    onStored: (count: number) => void,
  ) {
    this.#batch = bulk.batch(spec);
    this.#put = put;
    this.#onStored = onStored;
  }

  add(row: R): void {
    this.#put(this.#chunk, this.#chunkRows++, row);
    this.#buffered++;
    if (this.#chunkRows === appendRows) this.#handOver();
  }

  /** Rows added since the last commit. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Commits the rows added since the last commit once the commit before them is stored. */
  async commit(): Promise<void> {
    this.#handOver();
    await this.flush();
    const count = this.#buffered;
    if (count === 0) return;
    this.#buffered = 0;
    const write = this.#batch.commit().then(() => {
      this.#onStored(count);
    });
    // Awaited by the next commit or flush; until then a failure must not count as unhandled.
    write.catch(() => undefined);
    this.#inFlight = write;
  }

  /** Waits for the commit in flight; throws its error. */
  async flush(): Promise<void> {
    const write = this.#inFlight;
    this.#inFlight = undefined;
    await write;
  }

  /** Waits for the commit in flight without throwing: for a run that already failed for another reason. */
  async settle(): Promise<void> {
    await this.flush().catch(() => undefined);
  }

  #handOver(): void {
    if (this.#chunkRows === 0) return;
    this.#batch.append({ values: this.#chunk, count: this.#chunkRows });
    this.#chunk = [];
    this.#chunkRows = 0;
  }
}

export type FindingsWriter = BulkRowWriter<NewFindingRow>;

export function findingsWriter(bulk: BulkWriter, onStored: (count: number) => void): FindingsWriter {
  return new BulkRowWriter(bulk, findingsTable(), putFinding, onStored);
}
