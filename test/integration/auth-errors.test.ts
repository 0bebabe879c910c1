import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { createDefenderClient, DefenderErrorCode, type DefenderError } from '../../src/defender/index.js';
import { clientFor, simPost, simulatorConfig, useSimulator } from '../support/simulator.js';

const sim = await useSimulator({ machines: 20, seed: 11 });

/** The error the first machines page fails with, for a client built from these settings. */
async function firstPageError(
  change: Parameters<typeof simulatorConfig>[1],
  retry = { maxAttempts: 2, baseDelayMs: 10 },
): Promise<DefenderError> {
  const client = createDefenderClient(simulatorConfig(sim, change), { tuning: { retry } });
  try {
    for await (const _ of client.machines.list()) break;
    throw new Error('expected the call to fail');
  } catch (error) {
    return error as DefenderError;
  } finally {
    await client.close();
  }
}

describe('sign-in failures, each with its own code and advice', () => {
  it('should say the secret is wrong', async () => {
    const error = await firstPageError({
      credential: { type: 'secret', clientSecret: 'Wrong8Q~notTheSecretValueAtAll0123456789' },
    });
    expect(error.code).toBe(DefenderErrorCode.WrongSecret);
    expect(error.message).toMatch(/secret's Value/);
    expect(error.message).toMatch(/AADSTS7000215/);
  });

  it('should recognise the secret ID pasted instead of the value', async () => {
    const error = await firstPageError({ credential: { type: 'secret', clientSecret: sim.clientSecretId } });
    expect(error.code).toBe(DefenderErrorCode.SecretIdInsteadOfValue);
    expect(error.message).toMatch(/secret's ID/);
  });

  it('should name an unknown application', async () => {
    const error = await firstPageError({ clientId: '00000000-1111-2222-3333-444444444444' });
    expect(error.code).toBe(DefenderErrorCode.UnknownApplication);
    expect(error.message).toContain('00000000-1111-2222-3333-444444444444');
  });

  it('should name an unknown tenant', async () => {
    const error = await firstPageError({ tenantId: 'ffffffff-1111-2222-3333-444444444444' });
    expect(error.code).toBe(DefenderErrorCode.UnknownTenant);
    expect(error.message).toMatch(/Tenant ffffffff-1111-2222-3333-444444444444 was not found/);
  });

  it('should say the secret expired', async () => {
    await simPost(sim, '/_sim/control', { secretExpiresAt: '2000-01-01T00:00:00Z' });
    try {
      const error = await firstPageError({});
      expect(error.code).toBe(DefenderErrorCode.SecretExpired);
      expect(error.message).toMatch(/has expired/);
    } finally {
      await simPost(sim, '/_sim/control', { secretExpiresAt: '2999-01-01T00:00:00Z' });
    }
  });

  it('should never repeat the secret in an error', async () => {
    const secret = 'Wrong8Q~doNotLeakThisValue0123456789abcd';
    const error = await firstPageError({ credential: { type: 'secret', clientSecret: secret } });
    expect(JSON.stringify({ m: error.message, d: error.details, c: String(error.cause) })).not.toContain(
      secret,
    );
  });
});

describe('missing permissions', () => {
  it('should name the MDE permission the app lacks and the roles it has', async () => {
    await simPost(sim, '/_sim/control', { roles: ['Vulnerability.Read.All', 'SecurityAlert.Read.All'] });
    try {
      const error = await firstPageError({});
      expect(error.code).toBe(DefenderErrorCode.PermissionMissing);
      expect(error).toMatchObject({
        requiredRoles: expect.arrayContaining(['Machine.Read.All']) as unknown,
        grantedRoles: ['Vulnerability.Read.All'],
      });
      expect(error.message).toMatch(/Machine\.Read\.All/);
      expect(error.message).toMatch(/grant admin consent/);
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });

  it('should name the Graph permission the app lacks', async () => {
    await simPost(sim, '/_sim/control', { roles: ['Machine.Read.All'] });
    const client = clientFor(sim);
    try {
      const error = (await (async () => {
        for await (const _ of client.alerts.list()) return undefined;
        return undefined;
      })().catch((e: unknown) => e)) as DefenderError;
      expect(error.code).toBe(DefenderErrorCode.PermissionMissing);
      expect(error.message).toMatch(/SecurityAlert\.Read\.All/);
      expect(error.message).toMatch(/Microsoft Graph/);
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });
});

describe('connection failures', () => {
  it('should report an untrusted certificate, without switching verification off', async () => {
    const error = await firstPageError({ caPem: undefined });
    expect(error.code).toBe(DefenderErrorCode.TlsUntrusted);
    expect(error.message).toMatch(/not trusted/);
  });

  it('should report a host nobody answers on', async () => {
    const port = await closedPort();
    const error = await firstPageError({ apiBaseUrl: `https://127.0.0.1:${port}` });
    expect(error.code).toBe(DefenderErrorCode.HostUnreachable);
    expect(error.message).toMatch(/Could not connect to https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('should tell a host that is not Defender from an empty tenant', async () => {
    const error = await firstPageError({ apiBaseUrl: `${sim.apiBaseUrl}/not-defender` });
    expect(error.code).toBe(DefenderErrorCode.WrongHost);
    expect(error.message).toMatch(/did not come from the Defender API/);
  });
});

describe('certificate credentials', () => {
  it('should sign in with a client certificate registered on the app', async () => {
    const pems = await generate([{ name: 'commonName', value: 'defender-hub-test' }], {
      algorithm: 'sha256',
      keySize: 2048,
    });
    sim.control.registerCertificate(pems.cert);
    const client = clientFor(sim, {
      credential: { type: 'certificate', certificatePem: `${pems.private}\n${pems.cert}` },
    });
    expect(await client.grantedRoles('defender')).toContain('Machine.Read.All');
  });

  it('should refuse a certificate the app does not know', async () => {
    const pems = await generate([{ name: 'commonName', value: 'unknown-cert' }], {
      algorithm: 'sha256',
      keySize: 2048,
    });
    const error = await firstPageError({
      credential: { type: 'certificate', certificatePem: `${pems.private}\n${pems.cert}` },
    });
    expect(error.code).toBe(DefenderErrorCode.InvalidCertificate);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
