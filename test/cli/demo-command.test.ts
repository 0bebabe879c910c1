import { createServer } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { dataDirEnv, logRecords, startCli } from './cli.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

interface Ready {
  event: string;
  url: string;
  simulatorUrl: string;
  apiToken: string;
  adminUser: string;
  adminPassword: string;
}

async function getJson(url: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await request(
    url,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  return { status: response.statusCode, body: await response.body.json() };
}

describe('defender-hub demo', () => {
  it('should sync the simulated tenant, serve it, print one ready line and stop cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = { ...dataDirEnv(), HUB_ADMIN_PASSWORD: 'demo-admin-password' };
    const demo = startCli(['demo', '--port', String(port), '--machines', '50'], env);
    let apiToken: string | undefined;
    try {
      const ready = JSON.parse(await demo.firstLine) as Ready;
      apiToken = ready.apiToken;
      expect(ready).toMatchObject({
        event: 'ready',
        url: `http://127.0.0.1:${port}`,
        adminUser: 'admin',
        adminPassword: 'demo-admin-password',
      });
      expect(ready.simulatorUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.apiToken.length).toBeGreaterThanOrEqual(32);

      const health = await getJson(`${ready.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await getJson(`${ready.url}/api/v1/endpoints`)).status).toBe(401);
      const endpoints = await getJson(`${ready.url}/api/v1/endpoints`, ready.apiToken);
      expect(endpoints.status).toBe(200);
      const page = endpoints.body as { items: unknown[]; total: number };
      expect(page.total).toBeGreaterThan(0);
      expect(page.items.length).toBeGreaterThan(0);
    } finally {
      demo.child.kill('SIGTERM');
    }
    const exit = await demo.exit;
    expect(exit.code, exit.stderr).toBe(0);
    // stdout holds the ready line only; the rest went to stderr.
    expect(exit.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(exit.stderr).toMatch(/Sign in at/);
    expect(exit.stderr).not.toContain('demo-admin-password');
    expect(exit.stderr).toMatch(/machines: succeeded/);
    // Log records are JSON on stderr, as `serve` writes them on stdout: the server's, the scheduler's.
    const records = logRecords(exit.stderr.split('\n').filter((line) => line.startsWith('{')));
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: 'incoming request',
        req: expect.objectContaining({ url: '/healthz' }) as unknown,
      }),
    );
    expect(apiToken).toBeDefined();
    expect(exit.stderr).not.toContain(apiToken);
  });
});
