import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/build-server.js';
import { useTestHub } from './api-harness.js';

/** A built UI of two files, so the test knows every byte the route should answer. */
function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'dh-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><div id="root"></div><script src="/assets/app-1.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log("app")');
  return root;
}

describe('web UI route', async () => {
  const { hub } = await useTestHub('sqlite');
  const app = await buildServer(hub, { webRoot: fakeBuild() });
  const unbuilt = await buildServer(hub, { webRoot: mkdtempSync(join(tmpdir(), 'dh-empty-')) });
  afterAll(() => Promise.all([app.close(), unbuilt.close()]));

  it('should serve hashed assets for good and index.html for every page path, without signing in', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log("app")');
    for (const url of ['/', '/endpoints/42/risk/defender?tab=x', '/integrations/new']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.body).toContain('<div id="root">');
    }
  });

  it('should keep unknown API paths guarded and answered in the API error shape', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/printers' });
    expect(anonymous.statusCode).toBe(401);
    const token = await hub.auth.issueAdminToken('web-ui test');
    const known = await app.inject({
      method: 'GET',
      url: '/api/v1/printers',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(known.statusCode).toBe(404);
    expect(known.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'There is no GET /api/v1/printers.' },
    });
    // An API path the router refuses (a parameter over Fastify's 100 characters) is the API's refusal, not the UI.
    const long = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${'x'.repeat(120)}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/json');
    // Changes are never open: the UI answers reads only.
    expect((await app.inject({ method: 'POST', url: '/endpoints' })).statusCode).toBe(401);
  });

  it('should say how to build the UI when it is not built', async () => {
    const page = await unbuilt.inject({ method: 'GET', url: '/endpoints' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build:web');
  });
});
