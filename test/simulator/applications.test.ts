import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { GRAPH, MDE, SimHarness, type ODataPage } from './helpers.js';

const harness = await SimHarness.start({ machines: 5, seed: 23 });
const { sim } = harness;
const SELECT = 'id,appId,displayName,passwordCredentials,keyCredentials';
const ownApp = `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${sim.clientId}'`)}&$select=${SELECT}`;

interface PasswordCredential {
  keyId: string;
  displayName: string;
  hint: string;
  startDateTime: string;
  endDateTime: string;
  secretText: null;
  customKeyIdentifier: null;
}
interface App {
  id: string;
  appId: string;
  displayName: string;
  passwordCredentials: PasswordCredential[];
  keyCredentials: Record<string, unknown>[];
}

async function withRoles<T>(roles: string[] | null, use: () => Promise<T>): Promise<T> {
  await harness.post('/_sim/control', { roles });
  try {
    return await use();
  } finally {
    await harness.post('/_sim/control', { roles: null });
  }
}

describe('GET /v1.0/applications (the app registration)', () => {
  it("should list the app by its appId, with the current secret's hint, ID and expiry and an old expired one", async () => {
    const settings = await harness.post<{ secretExpiresAt: string }>('/_sim/control', {
      secretExpiresAt: '2027-02-03T04:05:06Z',
    });
    const page = await harness.json<ODataPage<App>>(ownApp, await harness.token(GRAPH));
    expect(page['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#applications(${SELECT})`);
    expect(page.value).toHaveLength(1);
    const [app] = page.value;
    expect(Object.keys(app ?? {})).toEqual(SELECT.split(','));
    expect(app).toMatchObject({ appId: sim.clientId, displayName: 'defender-hub', keyCredentials: [] });
    expect(app?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(app?.id).not.toBe(sim.clientId);
    const [current, old] = app?.passwordCredentials ?? [];
    expect(current).toEqual({
      customKeyIdentifier: null,
      displayName: 'defender-hub',
      endDateTime: settings.secretExpiresAt,
      hint: sim.clientSecret.slice(0, 3),
      keyId: sim.clientSecretId,
      secretText: null,
      startDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) as unknown,
    });
    expect(Date.parse(current?.startDateTime ?? '')).toBeLessThan(Date.parse(settings.secretExpiresAt));
    expect(old?.hint).not.toBe(current?.hint);
    expect(Date.parse(old?.endDateTime ?? '')).toBeLessThan(
      Date.parse((await harness.json<{ now: string }>('/_sim/truth/summary')).now),
    );
    await harness.post('/_sim/control', { secretExpiresAt: null });
  });

  it('should never show a secret value', async () => {
    const reply = await harness.call(ownApp, { token: await harness.token(GRAPH) });
    expect(reply.text).not.toContain(sim.clientSecret);
    expect(reply.text).not.toContain(sim.clientSecret.slice(0, 8));
  });

  it('should list no app for another appId, the whole object without $select, and refuse an unknown property', async () => {
    const token = await harness.token(GRAPH);
    const other = await harness.json<ODataPage>(
      `/v1.0/applications?$filter=${encodeURIComponent("appId eq '00000000-1111-2222-3333-444444444444'")}`,
      token,
    );
    expect(other.value).toEqual([]);
    const all = await harness.json<ODataPage<App>>('/v1.0/applications', token);
    expect(all['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#applications`);
    expect(all.value[0]).toMatchObject({ appId: sim.clientId, signInAudience: 'AzureADMyOrg' });
    const bad = await harness.call('/v1.0/applications?$select=appId,secretValue', { token });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({
      error: { code: 'BadRequest', message: expect.stringContaining("'secretValue'") as unknown },
    });
  });

  it('should list a registered certificate by its thumbprint and validity', async () => {
    const pems = await generate([{ name: 'commonName', value: 'hub-cert' }], {
      algorithm: 'sha256',
      keySize: 2048,
    });
    const thumbprint = sim.control.registerCertificate(pems.cert);
    const page = await harness.json<ODataPage<App>>(ownApp, await harness.token(GRAPH));
    expect(page.value[0]?.keyCredentials).toEqual([
      {
        customKeyIdentifier: thumbprint,
        displayName: 'CN=hub-cert',
        endDateTime: expect.stringMatching(/^\d{4}-/) as unknown,
        key: null,
        keyId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        startDateTime: expect.stringMatching(/^\d{4}-/) as unknown,
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
      },
    ]);
  });

  it("should refuse a token without Application.Read.All with the directory's 403, naming no role", async (ctx) => {
    requireFixtures(ctx);
    // Graph's published 403 body (the security API's), for the envelope every Graph error shares.
    const graphError = JSON.parse(readFixture('defender', 'graph-error-403-missing-roles.json')) as {
      error: { innerError: Record<string, unknown> };
    };
    const reply = await withRoles(['SecurityAlert.Read.All', 'Machine.Read.All'], async () =>
      harness.call(ownApp, { token: await harness.token(GRAPH) }),
    );
    expect(reply.status).toBe(403);
    const body = JSON.parse(reply.text) as { error: { code: string; message: string; innerError: object } };
    expect(body.error.code).toBe('Authorization_RequestDenied');
    expect(body.error.message).toBe('Insufficient privileges to complete the operation.');
    expect(Object.keys(body.error.innerError).sort()).toEqual(
      Object.keys(graphError.error.innerError).sort(),
    );
  });

  it('should let Application.Read.All alone through, and refuse a Defender token', async () => {
    const reply = await withRoles(['Application.Read.All'], async () =>
      harness.call(ownApp, { token: await harness.token(GRAPH) }),
    );
    expect(reply.status).toBe(200);
    const mde = await harness.call(ownApp, { token: await harness.token(MDE) });
    expect(mde.status).toBe(401);
  });

  it('should refuse the secret with AADSTS7000222 once the end date it lists has passed', async () => {
    const { now } = await harness.json<{ now: string }>('/_sim/truth/summary');
    const past = new Date(Date.parse(now) - 60_000).toISOString();
    await harness.post('/_sim/control', { secretExpiresAt: past });
    try {
      const reply = await harness.tokenRequest({
        grant_type: 'client_credentials',
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
        scope: `${GRAPH}/.default`,
      });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.text)).toMatchObject({ error: 'invalid_client', error_codes: [7000222] });
    } finally {
      await harness.post('/_sim/control', { secretExpiresAt: null });
    }
  });
});
