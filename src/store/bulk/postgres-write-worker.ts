/**
 * A thread that owns a PostgreSQL connection of its own and performs bulk writes on it. Turning a 5,000-row batch
 * into one array per column and the driver's array literals takes tens of milliseconds of CPU: on the main thread
 * that stalled every API request for as long (an endpoint list's p95 above 300 ms during a findings sync).
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { postgresBulkStatement } from './postgres-bulk.js';
import { serveBulkWrites } from './write-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('postgres-write-worker must run as a worker thread');
const { connectionString, schema } = workerData as { connectionString: string; schema: string | undefined };
const client = new pg.Client({
  connectionString,
  ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
});
// Connected once, on the first write: a failure then is that write's, answered as any refusal.
let connected: Promise<unknown> | undefined;
/**
 * Commits are stored one after another, in the order they came, each built only when its turn comes. One
 * connection on purpose: at 20,000 machines a pool of two, storing the findings and the catalogs' links at once,
 * made the full sync slower (101.9 s against 88.5 s) on two cores. The driver queued concurrent queries itself
 * until now, which pg 8 warns is deprecated.
 */
let last: Promise<unknown> = Promise.resolve();
serveBulkWrites(port, (spec, parts) => {
  const stored = last.then(async () => {
    connected ??= client.connect();
    await connected;
    const { text, values } = postgresBulkStatement(spec, parts);
    await client.query(text, values);
  });
  last = stored.catch(() => undefined);
  return stored;
});
port.on('close', () => {
  void client.end();
});
