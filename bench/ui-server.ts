/**
 * The hub's HTTP server (API and UI, no scheduler: the kept database's simulator is gone) over the database the
 * environment names, for `bench:ui`. In a process of its own, so the synchronous SQLite reads never stall the
 * browser driver that measures them. Prints one JSON line: the URL and a bench admin's credentials.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/app/config.js';
import { openHub } from '../src/app/hub.js';
import { buildServer } from '../src/server/build-server.js';

const hub = await openHub(loadConfig(process.env));
const app = await buildServer(hub);
const username = `bench-${randomBytes(3).toString('hex')}`;
const password = randomBytes(12).toString('base64url');
await hub.auth.createUser({ username, role: 'admin', password });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const { total } = (
  await app.inject({
    method: 'GET',
    url: '/api/v1/endpoints?pageSize=1',
    headers: { authorization: `Bearer ${await hub.auth.issueAdminToken('bench')}` },
  })
).json<{ total: number }>();
process.stdout.write(`${JSON.stringify({ url, username, password, total, dialect: hub.data.engine })}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => hub.close());
});
