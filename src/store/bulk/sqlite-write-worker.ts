/**
 * A thread that owns a second connection to the hub's SQLite file and performs bulk writes on it, so the main
 * thread can fetch and parse the next batch from Defender while SQLite stores the last one. `node:sqlite` is
 * synchronous: in the main thread every write would stall the network reads. Appended rows wait here, not in
 * the main thread's heap, until their batch is committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../db/sqlite-connection.js';
import { SqliteBulkWriter } from './sqlite-bulk.js';
import type { BulkRows, BulkTable } from './bulk-table.js';

export type WriterMessage =
  | { readonly kind: 'append'; readonly batch: number; readonly spec: BulkTable; readonly rows: BulkRows }
  /** `rows`: how many the batch appended since its last commit, so rows lost on the way are never committed as none. */
  | { readonly kind: 'commit'; readonly batch: number; readonly id: number; readonly rows: number };

export type WriteReply =
  | { readonly id: number; readonly ok: true; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code: string | undefined };

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker must run as a worker thread');
// 32 MiB of page cache: index maintenance on multi-million-row tables is cache-bound at the 2 MiB default, and
// at 100,000 machines 32 MiB wrote no slower than 64 (118 s against 131 s) with 58 MB less peak RSS.
const connection = openSqliteConnection((workerData as { path: string }).path, { cacheMiB: 32 });
const writer = new SqliteBulkWriter(connection);
const pending = new Map<number, { spec: BulkTable; parts: BulkRows[]; rows: number }>();

/** Answers the milliseconds the write took. */
function commit(batch: number, expectedRows: number): number {
  const appended = pending.get(batch);
  pending.delete(batch);
  const rows = appended?.rows ?? 0;
  if (rows !== expectedRows)
    throw new Error(`the writer thread holds ${rows} of the ${expectedRows} rows appended for this batch`);
  if (appended === undefined) return 0;
  const started = performance.now();
  writer.write(appended.spec, appended.parts);
  return performance.now() - started;
}

port.on('message', (message: WriterMessage) => {
  if (message.kind === 'append') {
    const batch = pending.get(message.batch) ?? { spec: message.spec, parts: [], rows: 0 };
    batch.parts.push(message.rows);
    batch.rows += message.rows.count;
    pending.set(message.batch, batch);
    return;
  }
  try {
    const ms = commit(message.batch, message.rows);
    port.postMessage({ id: message.id, ok: true, ms } satisfies WriteReply);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    port.postMessage({
      id: message.id,
      ok: false,
      message: error instanceof Error ? error.message : 'unknown error',
      code: typeof code === 'string' ? code : undefined,
    } satisfies WriteReply);
  }
});
port.on('close', () => {
  connection.close();
});
