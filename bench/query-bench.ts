/**
 * `npm run bench:queries`: the query timings of the sync benchmark (the endpoint list with a risk filter, patch
 * strategies' matches) on a database synced before, without syncing again — e.g. one kept by
 * `BENCH_KEEP=1 npm run bench:sync`, whose `kept:` line gives the settings:
 *
 *   HUB_DATA_DIR=/tmp/dh-sync-bench-… HUB_SECRET_KEY=… [DATABASE_URL=postgres://…] npm run bench:queries
 */
import { loadConfig } from '../src/app/config.js';
import { openHub } from '../src/app/hub.js';
import { queryTimings } from './query-timings.js';

const hub = await openHub(loadConfig(process.env));
try {
  await queryTimings(hub);
} finally {
  await hub.close();
}
