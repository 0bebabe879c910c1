import { constants, createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { generate } from 'selfsigned';
import { GRAPH, MDE, SimHarness, type Reply } from './helpers.js';

const harness = await SimHarness.start({ machines: 20, seed: 11 });
const { sim } = harness;
const credentials = {
  grant_type: 'client_credentials',
  client_id: sim.clientId,
  client_secret: sim.clientSecret,
};

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Entra ID's error body, shaped as its published one: only for cases that open with requireFixtures. */
function expectAadError(reply: Reply, status: number, error: string, code: number): Record<string, unknown> {
  const published = JSON.parse(readFixture('defender', 'token-error-invalid-secret.json')) as Record<
    string,
    unknown
  >;
  expect(reply.status).toBe(status);
  const body = JSON.parse(reply.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(Object.keys(published).sort());
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  expect(body.error_description).toMatch(
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`,
      's',
    ),
  );
  expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  expect(body.error_uri).toBe(`https://login.microsoftonline.com/error?code=${code}`);
  return body;
}

describe('token endpoint', () => {
  it('should serve the OpenID configuration MSAL reads first', async () => {
    const config = await harness.json<Record<string, string>>(
      `/${sim.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    expect(config.token_endpoint).toBe(`${sim.url}/${sim.tenantId}/oauth2/v2.0/token`);
    expect(config.issuer).toBeDefined();
    expect(config.authorization_endpoint).toBeDefined();
    const keys = await harness.json<{ keys: unknown[] }>(new URL(config.jwks_uri ?? '').pathname);
    expect(keys.keys).toHaveLength(1);
    const unknown = await harness.call('/contoso-nope.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it('should issue a v2 token whose roles are the granted ones of that resource', async () => {
    const reply = await harness.tokenRequest({ ...credentials, scope: `${MDE}/.default` });
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.text) as { token_type: string; expires_in: number; access_token: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const claims = claimsOf(body.access_token);
    expect(claims).toMatchObject({
      aud: MDE,
      iss: `https://sts.windows.net/${sim.tenantId}/`,
      tid: sim.tenantId,
      appid: sim.clientId,
    });
    expect(claims.roles).toContain('Machine.Read.All');
    expect(claims.roles).not.toContain('SecurityAlert.Read.All');
    expect(Number(claims.exp) - Number(claims.iat)).toBeGreaterThanOrEqual(3599);
    const graph = claimsOf(await harness.token(GRAPH));
    expect(graph.roles).toContain('SecurityAlert.Read.All');
    expect(graph.roles).not.toContain('Machine.Read.All');
  });

  it('should accept the tenant domain and the v1 resource form, with string numbers', async () => {
    // The directory name Entra puts in AADSTS700016 is the tenant's domain.
    const refused = await harness.tokenRequest({
      ...credentials,
      client_id: randomUUID(),
      scope: `${MDE}/.default`,
    });
    const domain = /directory '([^']+)'/.exec(refused.text)?.[1] ?? '';
    expect(domain).toMatch(/^[a-z]+\d+\.onmicrosoft\.com$/);
    expect(
      (await harness.tokenRequest({ ...credentials, scope: `${MDE}/.default` }, 'v2', domain)).status,
    ).toBe(200);
    // The Python sample's v1 resource: the WindowsDefenderATP App ID URI.
    const reply = await harness.tokenRequest({ ...credentials, resource: MDE }, 'v1');
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.text) as Record<string, unknown>;
    expect(typeof body.expires_in).toBe('string');
    expect(typeof body.expires_on).toBe('string');
    expect(body.resource).toBe(MDE);
    const summary = await harness.call(`/api/machines?$top=1`, { token: String(body.access_token) });
    expect(summary.status).toBe(200);
  });

  it('should refuse a wrong secret, and the secret ID pasted as the secret, with AADSTS7000215', async (ctx) => {
    requireFixtures(ctx);
    for (const secret of ['Wrong8Q~notTheSecretValueAtAll0123456789', sim.clientSecretId]) {
      const body = expectAadError(
        await harness.tokenRequest({ ...credentials, client_secret: secret, scope: `${MDE}/.default` }),
        401,
        'invalid_client',
        7000215,
      );
      expect(body.error_description).toContain('not the client secret ID');
      expect(body.error_description).toContain(sim.clientId);
      expect(JSON.stringify(body)).not.toContain(secret);
    }
  });

  it('should refuse an expired secret with AADSTS7000222, set through the control route', async (ctx) => {
    requireFixtures(ctx);
    await harness.post('/_sim/control', { secretExpiresAt: '2000-01-01T00:00:00Z' });
    try {
      expectAadError(
        await harness.tokenRequest({ ...credentials, scope: `${MDE}/.default` }),
        401,
        'invalid_client',
        7000222,
      );
    } finally {
      const settings = await harness.post<{ secretExpiresAt: string }>('/_sim/control', {
        secretExpiresAt: null,
      });
      expect(Date.parse(settings.secretExpiresAt)).toBeGreaterThan(Date.parse('2027-01-01'));
    }
  });

  it('should name an unknown application (AADSTS700016) and an unknown tenant (AADSTS90002)', async (ctx) => {
    requireFixtures(ctx);
    const app = expectAadError(
      await harness.tokenRequest({
        ...credentials,
        client_id: '00000000-1111-2222-3333-444444444444',
        scope: `${MDE}/.default`,
      }),
      400,
      'unauthorized_client',
      700016,
    );
    expect(app.error_description).toContain("'00000000-1111-2222-3333-444444444444'");
    const tenant = expectAadError(
      await harness.tokenRequest(
        { ...credentials, scope: `${MDE}/.default` },
        'v2',
        'ffffffff-1111-2222-3333-444444444444',
      ),
      400,
      'invalid_request',
      90002,
    );
    expect(tenant.error_description).toContain("Tenant 'ffffffff-1111-2222-3333-444444444444' not found");
  });

  it('should refuse a request without secret or assertion, and scopes it cannot serve', async (ctx) => {
    requireFixtures(ctx);
    expectAadError(
      await harness.tokenRequest({
        grant_type: 'client_credentials',
        client_id: sim.clientId,
        scope: `${MDE}/.default`,
      }),
      400,
      'invalid_request',
      7000218,
    );
    expectAadError(
      await harness.tokenRequest({ ...credentials, scope: `${MDE}/Machine.Read.All` }),
      400,
      'invalid_scope',
      70011,
    );
    expectAadError(
      await harness.tokenRequest({ ...credentials, scope: 'https://example.contoso.com/.default' }),
      400,
      'invalid_resource',
      500011,
    );
  });

  it('should echo client-request-id as the correlation id', async (ctx) => {
    requireFixtures(ctx);
    const body = expectAadError(
      await harness.tokenRequest({ ...credentials, client_secret: 'x', scope: `${MDE}/.default` }),
      401,
      'invalid_client',
      7000215,
    );
    expect(body.correlation_id).toBe('7d0c6e1e-0000-4000-8000-000000000001');
  });
});

describe('certificate credentials', () => {
  function assertion(pems: { private: string; cert: string }, algorithm: 'RS256' | 'PS256'): string {
    const der = new X509Certificate(pems.cert).raw;
    const header =
      algorithm === 'PS256'
        ? { alg: 'PS256', typ: 'JWT', 'x5t#S256': createHash('sha256').update(der).digest('base64url') }
        : { alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update(der).digest('base64url') };
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      aud: `${sim.url}/${sim.tenantId}/oauth2/v2.0/token`,
      iss: sim.clientId,
      sub: sim.clientId,
      jti: randomUUID(),
      nbf: now,
      exp: now + 600,
    };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const key =
      algorithm === 'PS256'
        ? {
            key: pems.private,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : pems.private;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  }

  const form = (clientAssertion: string): Record<string, string> => ({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: clientAssertion,
    scope: `${GRAPH}/.default`,
  });

  it('should accept an assertion signed by a registered certificate (PS256 and RS256) and refuse others', async (ctx) => {
    requireFixtures(ctx);
    const registered = await generate([{ name: 'commonName', value: 'defender-hub-test' }], {
      algorithm: 'sha256',
      keySize: 2048,
    });
    const stranger = await generate([{ name: 'commonName', value: 'stranger' }], {
      algorithm: 'sha256',
      keySize: 2048,
    });
    const thumbprint = sim.control.registerCertificate(registered.cert);
    expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);
    for (const algorithm of ['PS256', 'RS256'] as const) {
      const reply = await harness.tokenRequest(form(assertion(registered, algorithm)));
      expect(reply.status).toBe(200);
    }
    const unknown = expectAadError(
      await harness.tokenRequest(form(assertion(stranger, 'PS256'))),
      401,
      'invalid_client',
      700027,
    );
    expect(unknown.error_description).toContain('not registered');
    const forged = assertion({ private: stranger.private, cert: registered.cert }, 'RS256');
    expectAadError(await harness.tokenRequest(form(forged)), 401, 'invalid_client', 700027);
  });
});

describe('API authorization', () => {
  it('should answer 401 without a valid token for that API, and for a token of the other API', async () => {
    expect((await harness.call('/api/machines')).status).toBe(401);
    expect((await harness.call('/api/machines', { token: 'not.a.token' })).status).toBe(401);
    const graphToken = await harness.token(GRAPH);
    const wrongApi = await harness.call('/api/machines', { token: graphToken });
    expect(wrongApi.status).toBe(401);
    expect(JSON.parse(wrongApi.text)).toMatchObject({ error: { code: 'Unauthorized' } });
    const onGraph = await harness.call('/v1.0/security/alerts_v2', { token: await harness.token(MDE) });
    expect(onGraph.status).toBe(401);
  });

  it('should name the missing roles in MDE and Graph 403 bodies', async () => {
    await harness.post('/_sim/control', { roles: ['Vulnerability.Read.All', 'SecurityIncident.Read.All'] });
    try {
      const mde = await harness.call('/api/machines', { token: await harness.token(MDE) });
      expect(mde.status).toBe(403);
      expect(JSON.parse(mde.text)).toEqual({
        error: {
          code: 'Forbidden',
          message:
            'The application does not have any of the required application permissions (Machine.Read.All, Machine.ReadWrite.All) to access the resource.',
          target: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        },
      });
      const graph = await harness.call('/v1.0/security/alerts_v2', { token: await harness.token(GRAPH) });
      expect(graph.status).toBe(403);
      const body = JSON.parse(graph.text) as {
        error: { code: string; message: string; innerError: Record<string, string> };
      };
      expect(body.error.code).toBe('Forbidden');
      expect(body.error.message).toBe(
        'Missing application roles. API required roles: SecurityAlert.Read.All,SecurityAlert.ReadWrite.All, application roles: SecurityIncident.Read.All.',
      );
      expect(Object.keys(body.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
    } finally {
      await harness.post('/_sim/control', { roles: null });
    }
  });
});
