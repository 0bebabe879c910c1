/**
 * A sync in its own process, for tests that kill it mid-run: `tsx test/support/sync-child.ts` with
 * DATABASE_URL (and SYNC_SCHEMA for PostgreSQL), HUB_DATA_DIR, HUB_SECRET_KEY and SYNC_INTEGRATION set. Prints
 * "started" once the findings run has stored its first batch: the machines are in, the findings are half-way,
 * so a kill then always lands in the middle of a run (the machines run alone can finish between two reads).
 */
import { loadConfig } from '../../src/app/config.js';
import { openHub } from '../../src/app/hub.js';

const schema = process.env.SYNC_SCHEMA;
const hub = await openHub(loadConfig(), {
  tuning: { retry: { maxAttempts: 3, baseDelayMs: 20 } },
  ...(schema === undefined ? {} : { schema }),
});
let announced = false;
await hub.sync.syncIntegration(process.env.SYNC_INTEGRATION ?? '', {
  onProgress: (progress) => {
    if (announced || progress.dataset !== 'findings') return;
    announced = true;
    process.stdout.write('started\n');
  },
});
await hub.close();
