import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi, type TestApi } from './api-harness.js';
import { neededRole } from '../../src/server/access-policy.js';
import { AuthService } from '../../src/auth/auth-service.js';
import { databaseOf } from '../../src/store/testing.js';

interface ErrorAnswer {
  error: { code: string; message: string };
}

/** Every documented route as `METHOD /path` with its parameters filled in, from the OpenAPI document. */
async function documentedRoutes(api: TestApi): Promise<{ method: string; template: string; url: string }[]> {
  const doc = await api.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json');
  expect(doc.status).toBe(200);
  return Object.entries(doc.body.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((m) => ({
      method: m.toUpperCase(),
      // Fastify's own spelling of the route, as the access policy names it.
      template: path.replace(/\{(\w+)\}/g, ':$1'),
      url: path.replace(/\{\w+\}/g, '1'),
    })),
  );
}

function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = header?.split(';')[0];
  if (cookie === undefined) throw new Error('no session cookie was set');
  return cookie;
}

describe('access control', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await useApi('sqlite');
  });

  it('should answer 401 to anonymous callers on every route but /healthz and sign-in, before reading the body', async () => {
    const routes = await documentedRoutes(api);
    expect(routes.length).toBeGreaterThan(50);
    const answers = await Promise.all(
      routes.map(async (r) => {
        const { status, body } = await api.call<ErrorAnswer>(
          r.method as 'GET',
          r.url,
          r.method === 'GET' ? undefined : {},
          {
            token: null,
          },
        );
        return {
          route: `${r.method} ${r.template}`,
          status,
          code: (body as Partial<ErrorAnswer> | undefined)?.error?.code,
        };
      }),
    );
    const open = answers.filter((a) => a.status !== 401);
    expect(open.map((a) => a.route).sort()).toEqual(['GET /healthz', 'POST /api/v1/session']);
    expect(answers.filter((a) => a.status === 401).every((a) => a.code === 'AUTH_REQUIRED')).toBe(true);
    expect((await api.call('GET', '/api/openapi.json', undefined, { token: null })).status).toBe(401);
    expect((await api.call('GET', '/api/v1/endpoints', undefined, { token: 'dh_made-up' })).status).toBe(401);
  });

  it('should refuse a viewer every change and action, and an analyst every admin change, with 403', async () => {
    const viewer = await api.tokenFor('viewer');
    const analyst = await api.tokenFor('analyst');
    const routes = await documentedRoutes(api);
    const writes = routes.filter((r) => !['GET', 'HEAD'].includes(r.method));
    expect(writes.length).toBeGreaterThan(20);
    for (const r of writes) {
      const needed = neededRole(r.method, r.template);
      if (needed === undefined) continue;
      for (const [role, token] of [
        ['viewer', viewer],
        ['analyst', analyst],
      ] as const) {
        const { status, body } = await api.call<ErrorAnswer>(r.method as 'POST', r.url, {}, { token });
        const refused = status === 403 && body.error.code === 'AUTH_FORBIDDEN';
        const mayCall = role === 'analyst' ? needed !== 'admin' : needed === 'viewer';
        expect({ route: `${r.method} ${r.template}`, role, refused }).toEqual({
          route: `${r.method} ${r.template}`,
          role,
          refused: !mayCall,
        });
      }
    }
    // The policy itself: actions and hunting are an analyst's; integrations, strategies and users an admin's.
    expect(neededRole('POST', '/api/v1/endpoints/:id/actions')).toBe('analyst');
    expect(neededRole('POST', '/api/v1/hunting/query')).toBe('analyst');
    expect(neededRole('POST', '/api/v1/integrations')).toBe('admin');
    expect(neededRole('POST', '/api/v1/patch-strategies')).toBe('admin');
    expect(neededRole('GET', '/api/v1/users')).toBe('admin');
    // Reads are every role's.
    const read = await api.call('GET', '/api/v1/endpoints', undefined, { token: viewer });
    expect(read.status).toBe(200);
  });

  it('should let an analyst scan but not collect an investigation package', async () => {
    const analyst = await api.tokenFor('analyst');
    const collect = await api.call<ErrorAnswer>(
      'POST',
      '/api/v1/endpoints/1/actions',
      { type: 'collectInvestigationPackage', comment: 'forensics' },
      { token: analyst },
    );
    expect(collect.status).toBe(403);
    expect(collect.body.error.message).toMatch(/admin/);
    const scan = await api.call<ErrorAnswer>(
      'POST',
      '/api/v1/endpoints/1/actions',
      { type: 'scan', comment: 'check', scanType: 'Quick' },
      { token: analyst },
    );
    // No endpoint 1 in this empty hub: past the role check, the service answers.
    expect(scan.status).toBe(404);
  });

  it('should sign in with a password, keep the session in an HttpOnly cookie and refuse changes without the CSRF token', async () => {
    const login = await api.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: api.admin.username, password: api.admin.password },
    });
    expect(login.statusCode).toBe(200);
    const setCookie = login.headers['set-cookie'];
    expect(String(setCookie)).toMatch(/HttpOnly/);
    expect(String(setCookie)).toMatch(/SameSite=Strict/);
    const cookie = sessionCookieOf(setCookie);
    const { csrfToken } = login.json<{ csrfToken: string }>();
    // The cookie's value is not what the database holds.
    const stored = await databaseOf(api.hub.data).selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie.split('=')[1]);

    const me = await api.call<{ username: string; csrfToken: string }>('GET', '/api/v1/session', undefined, {
      token: null,
      headers: { cookie },
    });
    expect(me.body).toMatchObject({ username: 'admin', via: 'session', csrfToken });

    const change = { name: 'from the UI', role: 'viewer' };
    const withoutCsrf = await api.call<ErrorAnswer>('POST', '/api/v1/tokens', change, {
      token: null,
      headers: { cookie },
    });
    expect(withoutCsrf.status).toBe(403);
    expect(withoutCsrf.body.error.code).toBe('CSRF_INVALID');
    const wrongCsrf = await api.call('POST', '/api/v1/tokens', change, {
      token: null,
      headers: { cookie, 'x-csrf-token': `${csrfToken.slice(0, -2)}xx` },
    });
    expect(wrongCsrf.status).toBe(403);
    const withCsrf = await api.call('POST', '/api/v1/tokens', change, {
      token: null,
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(withCsrf.status).toBe(201);

    const logout = await api.call('DELETE', '/api/v1/session', undefined, {
      token: null,
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(logout.status).toBe(204);
    expect(
      (await api.call('GET', '/api/v1/session', undefined, { token: null, headers: { cookie } })).status,
    ).toBe(401);
  });

  it('should lock an account after five failed sign-ins, even for the right password, and slow an address down', async () => {
    await api.call('POST', '/api/v1/users', {
      username: 'carol',
      role: 'viewer',
      password: 'correct horse battery',
    });
    const signIn = (password: string, remoteAddress = '10.0.0.1') =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'carol', password },
        remoteAddress,
      });
    for (let i = 0; i < 5; i++) expect((await signIn('wrong password!')).statusCode).toBe(401);
    const locked = await signIn('correct horse battery');
    expect(locked.statusCode).toBe(429);
    expect(locked.json<ErrorAnswer>().error.code).toBe('AUTH_LOCKED');
    // An admin's reset unlocks it.
    const users = await api.call<{ items: { id: number; username: string }[] }>('GET', '/api/v1/users');
    const carol = users.body.items.find((u) => u.username === 'carol');
    await api.call('PATCH', `/api/v1/users/${carol?.id}`, { password: 'a new long passphrase' });
    expect((await signIn('a new long passphrase')).statusCode).toBe(200);

    // One address guessing many names: refused after 20 failures, whatever the name.
    const guess = (n: number) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: `nobody${n}`, password: 'guess guess guess' },
        remoteAddress: '10.0.0.99',
      });
    for (let i = 0; i < 20; i++) expect((await guess(i)).statusCode).toBe(401);
    const limited = await guess(21);
    expect(limited.statusCode).toBe(429);
    expect(limited.json<ErrorAnswer>().error.code).toBe('AUTH_RATE_LIMITED');
    expect((await signIn('a new long passphrase', '10.0.0.2')).statusCode).toBe(200);
  });

  it('should show a token once, store only its hash, cap its role by its creator and revoke it at once', async () => {
    const viewer = await api.tokenFor('viewer');
    const tooHigh = await api.call<ErrorAnswer>(
      'POST',
      '/api/v1/tokens',
      { name: 'x', role: 'admin' },
      { token: viewer },
    );
    expect(tooHigh.status).toBe(403);
    const created = await api.call<{ id: number; token: string }>(
      'POST',
      '/api/v1/tokens',
      { name: 'script', role: 'viewer' },
      { token: viewer },
    );
    expect(created.status).toBe(201);
    const rows = await databaseOf(api.hub.data).selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(created.body.token);
    expect(JSON.stringify((await api.call('GET', '/api/v1/tokens')).body)).not.toContain(created.body.token);

    const script = created.body.token;
    expect((await api.call('GET', '/api/v1/endpoints', undefined, { token: script })).status).toBe(200);
    expect(
      (await api.call('DELETE', `/api/v1/tokens/${created.body.id}`, undefined, { token: viewer })).status,
    ).toBe(204);
    expect((await api.call('GET', '/api/v1/endpoints', undefined, { token: script })).status).toBe(401);
  });

  it('should end a session after its idle time and after its absolute lifetime', async () => {
    let now = new Date('2026-12-01T08:00:00Z');
    const auth = new AuthService(api.hub.data, { idleMinutes: 30, maxHours: 2, now: () => now });
    const signIn = () =>
      auth.login({ username: api.admin.username, password: api.admin.password }, '10.1.1.1');
    const idle = await signIn();
    now = new Date('2026-12-01T08:29:00Z');
    expect(await auth.session(idle.sessionToken)).toBeDefined();
    now = new Date('2026-12-01T09:00:00Z');
    expect(await auth.session(idle.sessionToken)).toBeUndefined();

    // The last use is written at most once a minute, not on every request.
    const lastSeen = async (token: string) =>
      (await api.hub.data.sessions.find(createHash('sha256').update(token).digest('hex')))?.lastSeenAt;
    const touched = await signIn();
    now = new Date('2026-12-01T09:00:30Z');
    await auth.session(touched.sessionToken);
    expect(await lastSeen(touched.sessionToken)).toBe('2026-12-01T09:00:00.000Z');
    now = new Date('2026-12-01T09:01:00Z');
    await auth.session(touched.sessionToken);
    expect(await lastSeen(touched.sessionToken)).toBe('2026-12-01T09:01:00.000Z');

    now = new Date('2026-12-01T09:00:00Z');
    const busy = await signIn();
    for (const minute of ['09:25', '09:50', '10:15', '10:40']) {
      now = new Date(`2026-12-01T${minute}:00Z`);
      expect(await auth.session(busy.sessionToken)).toBeDefined();
    }
    now = new Date('2026-12-01T11:01:00Z');
    expect(await auth.session(busy.sessionToken)).toBeUndefined();
  });

  it('should keep at least one admin', async () => {
    const users = await api.call<{ items: { id: number; username: string; role: string }[] }>(
      'GET',
      '/api/v1/users',
    );
    const admins = users.body.items.filter((u) => u.role === 'admin');
    // tokenFor('admin') may have added more; demote all but the first, then the last one is kept.
    for (const extra of admins.slice(1))
      await api.call('PATCH', `/api/v1/users/${extra.id}`, { role: 'viewer' });
    const last = admins[0]!;
    const demote = await api.call<ErrorAnswer>('PATCH', `/api/v1/users/${last.id}`, { role: 'viewer' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('USER_LAST_ADMIN');
    expect((await api.call('DELETE', `/api/v1/users/${last.id}`)).status).toBe(409);
  });
});

describe('behind a reverse proxy (HUB_TRUST_PROXY)', () => {
  it("should mark the cookie Secure over the proxy's HTTPS and count sign-ins by the client's address", async () => {
    const api = await useApi('sqlite', { config: { trustProxy: true } });
    const viaProxy = (password: string, client: string) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'admin', password },
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': client },
      });
    const signedIn = await viaProxy(api.admin.password, '203.0.113.9');
    expect(String(signedIn.headers['set-cookie'])).toMatch(/; Secure/);
    expect((await viaProxy('wrong password!', '203.0.113.10')).statusCode).toBe(401);
    const entries = await databaseOf(api.hub.data)
      .selectFrom('audit_log')
      .select(['address', 'outcome'])
      .orderBy('id')
      .execute();
    expect(entries).toEqual([
      { address: '203.0.113.9', outcome: 'success' },
      { address: '203.0.113.10', outcome: 'refused' },
    ]);
  });
});

describe('security headers', () => {
  it('should send a CSP, frame denial and no-sniff on every answer, and no stack trace in errors', async () => {
    const api = await useApi('sqlite');
    for (const url of ['/healthz', '/api/v1/endpoints', '/api/v1/nothing-here']) {
      const response = await api.app.inject({ method: 'GET', url, headers: api.authHeaders });
      expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });
});
