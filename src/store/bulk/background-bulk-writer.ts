import { Worker } from 'node:worker_threads';
import { BulkWriteError } from './bulk-write-error.js';
import type { BulkBatch, BulkTable, BulkWriter } from './bulk-table.js';
import type { WriteReply, WriterMessage } from './write-worker-protocol.js';

/** The writer threads: one per database kind, each a module next to this one. */
export type WriterThread = 'sqlite-write-worker' | 'postgres-write-worker';

/**
 * The SQLite thread only binds short-lived row messages to prepared statements: a small young generation collects
 * them as well as V8's default, which would otherwise keep tens of megabytes of nursery resident for nothing. The
 * PostgreSQL thread builds each batch's column arrays and their text (megabytes a batch): in 8 MiB of nursery they
 * would all be promoted and collected again by full collections, so it keeps V8's default.
 */
const resourceLimits: Partial<Record<WriterThread, { maxYoungGenerationSizeMb: number }>> = {
  'sqlite-write-worker': { maxYoungGenerationSizeMb: 8 },
};

/**
 * Built, the worker is plain JavaScript next to this module. Run from source (tsx, vitest), it is TypeScript
 * and the thread registers tsx's loader before importing it.
 */
function startWorker(thread: WriterThread, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL(`./${thread}.js`, import.meta.url), {
      workerData,
      resourceLimits: resourceLimits[thread] ?? {},
    });
  const entry = new URL(`./${thread}.ts`, import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, workerData, resourceLimits: resourceLimits[thread] ?? {} },
  );
}

/**
 * Bulk writes on a worker thread with its own connection to the database (SQLite's WAL lets the main connection
 * read meanwhile), so neither the writes nor preparing them hold up the main thread. Started on first use; the
 * thread keeps the process alive only while a write is pending.
 */
export class BackgroundBulkWriter implements BulkWriter {
  readonly #thread: WriterThread;
  readonly #workerData: unknown;
  readonly #name: string;
  #worker: Worker | undefined;
  #nextId = 0;
  #nextBatch = 0;
  readonly #pending = new Map<number, { resolve: (ms: number) => void; reject: (error: Error) => void }>();

  /** `name`: the database, as an error names it ("SQLite", "PostgreSQL"). */
  constructor(thread: WriterThread, workerData: unknown, name: string) {
    this.#thread = thread;
    this.#workerData = workerData;
    this.#name = name;
  }

  batch(spec: BulkTable): BulkBatch {
    const batch = ++this.#nextBatch;
    let appended = 0;
    return {
      append: (rows) => {
        if (rows.count === 0) return;
        appended += rows.count;
        this.#post({ kind: 'append', batch, spec, rows });
      },
      commit: () => {
        const rows = appended;
        appended = 0;
        if (rows === 0) return Promise.resolve(0);
        const id = ++this.#nextId;
        return new Promise<number>((resolve, reject) => {
          this.#pending.set(id, { resolve, reject });
          this.#post({ kind: 'commit', batch, id, rows });
        });
      },
    };
  }

  #post(message: WriterMessage): void {
    const worker = this.#start();
    if (message.kind === 'commit') worker.ref();
    worker.postMessage(message);
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.#failPending(
      new BulkWriteError(`The ${this.#name} writer thread was stopped before the write ended.`),
    );
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startWorker(this.#thread, this.#workerData);
    worker.on('message', (reply: WriteReply) => {
      this.#settle(reply);
    });
    worker.on('error', (error: Error) => {
      this.#failPending(
        new BulkWriteError(`The ${this.#name} writer thread failed: ${error.message}`, { cause: error }),
      );
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failPending(new BulkWriteError(`The ${this.#name} writer thread exited before the write ended.`));
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #settle(reply: WriteReply): void {
    const waiter = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (waiter === undefined) return;
    if (reply.ok) waiter.resolve(reply.ms);
    else waiter.reject(new BulkWriteError(reply.message, { databaseCode: reply.code }));
  }

  #failPending(error: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
