import type { MessagePort } from 'node:worker_threads';
import type { BulkRows, BulkTable } from './bulk-table.js';

export type WriterMessage =
  | { readonly kind: 'append'; readonly batch: number; readonly spec: BulkTable; readonly rows: BulkRows }
  /** `rows`: how many the batch appended since its last commit, so rows lost on the way are never committed as none. */
  | { readonly kind: 'commit'; readonly batch: number; readonly id: number; readonly rows: number };

export type WriteReply =
  | { readonly id: number; readonly ok: true; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code: string | undefined };

/** Writes one batch's parts as one transaction. */
export type WriteParts = (spec: BulkTable, parts: readonly BulkRows[]) => void | Promise<void>;

/**
 * A writer thread's side: appended rows wait here, not in the main thread's heap, until their batch is committed;
 * each commit is answered with the milliseconds the database took, or why it refused.
 */
export function serveBulkWrites(port: MessagePort, write: WriteParts): void {
  const pending = new Map<number, { spec: BulkTable; parts: BulkRows[]; rows: number }>();

  const commit = async (batch: number, expectedRows: number): Promise<number> => {
    const appended = pending.get(batch);
    pending.delete(batch);
    const rows = appended?.rows ?? 0;
    if (rows !== expectedRows)
      throw new Error(`the writer thread holds ${rows} of the ${expectedRows} rows appended for this batch`);
    if (appended === undefined) return 0;
    const started = performance.now();
    await write(appended.spec, appended.parts);
    return performance.now() - started;
  };

  port.on('message', (message: WriterMessage) => {
    if (message.kind === 'append') {
      const batch = pending.get(message.batch) ?? { spec: message.spec, parts: [], rows: 0 };
      batch.parts.push(message.rows);
      batch.rows += message.rows.count;
      pending.set(message.batch, batch);
      return;
    }
    commit(message.batch, message.rows).then(
      (ms) => {
        port.postMessage({ id: message.id, ok: true, ms } satisfies WriteReply);
      },
      (error: unknown) => {
        const code = (error as { code?: unknown }).code;
        port.postMessage({
          id: message.id,
          ok: false,
          message: error instanceof Error ? error.message : 'unknown error',
          code: typeof code === 'string' ? code : undefined,
        } satisfies WriteReply);
      },
    );
  });
}
