import type { BulkBatch, BulkTable, BulkWriter } from './bulk-table.js';

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
  #writeMs = 0;

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

  /** Milliseconds the database spent writing this writer's commits so far. */
  get writeMs(): number {
    return this.#writeMs;
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
    const write = this.#batch.commit().then((ms) => {
      this.#writeMs += ms;
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
