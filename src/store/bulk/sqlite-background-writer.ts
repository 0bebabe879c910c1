import { Worker } from 'node:worker_threads';
import { BulkWriteError } from './bulk-write-error.js';
import type { BulkBatch, BulkTable, BulkWriter } from './bulk-table.js';
import type { WriteReply, WriterMessage } from './sqlite-write-worker.js';

/**
 * Built, the worker is plain JavaScript next to this module. Run from source (tsx, vitest), it is TypeScript
 * and the thread registers tsx's loader before importing it.
 */
/**
 * The thread only turns short-lived row messages into SQLite writes: a small young generation collects them as
 * well as V8's default, which would otherwise keep tens of megabytes of nursery resident for nothing.
 */
const resourceLimits = { maxYoungGenerationSizeMb: 8 };

function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./sqlite-write-worker.js', import.meta.url), { workerData, resourceLimits });
  const entry = new URL('./sqlite-write-worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, workerData, resourceLimits },
  );
}

/**
 * Bulk writes on a worker thread with its own connection to the SQLite file (WAL lets the main connection read
 * meanwhile). Started on first use; the thread keeps the process alive only while a write is pending.
 */
export class SqliteBackgroundWriter implements BulkWriter {
  readonly #path: string;
  #worker: Worker | undefined;
  #nextId = 0;
  #nextBatch = 0;
  readonly #pending = new Map<number, { resolve: (ms: number) => void; reject: (error: Error) => void }>();

  constructor(path: string) {
    this.#path = path;
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
    this.#failPending(new BulkWriteError('The SQLite writer thread was stopped before the write ended.'));
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startWorker({ path: this.#path });
    worker.on('message', (reply: WriteReply) => {
      this.#settle(reply);
    });
    worker.on('error', (error: Error) => {
      this.#failPending(
        new BulkWriteError(`The SQLite writer thread failed: ${error.message}`, { cause: error }),
      );
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failPending(new BulkWriteError('The SQLite writer thread exited before the write ended.'));
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
