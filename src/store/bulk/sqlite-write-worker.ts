/**
 * A thread that owns a second connection to the hub's SQLite file and performs bulk writes on it, so the main
 * thread can fetch and parse the next batch from Defender while SQLite stores the last one. `node:sqlite` is
 * synchronous: in the main thread every write would stall the network reads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../db/sqlite-connection.js';
import { SqliteBulkWriter } from './sqlite-bulk.js';
import { serveBulkWrites } from './write-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker must run as a worker thread');
// 32 MiB of page cache: index maintenance on multi-million-row tables is cache-bound at the 2 MiB default, and
// at 100,000 machines 32 MiB wrote no slower than 64 (118 s against 131 s) with 58 MB less peak RSS.
const connection = openSqliteConnection((workerData as { path: string }).path, { cacheMiB: 32 });
const writer = new SqliteBulkWriter(connection);
serveBulkWrites(port, (spec, parts) => {
  writer.write(spec, parts);
});
port.on('close', () => {
  connection.close();
});
