import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { dialects } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { simulatorSettings, useApi, type TestApi } from './api-harness.js';

interface Warning {
  level: string;
  code: string;
  message: string;
}
interface CredentialHealth {
  expiresAt: string | null;
  checkedAt: string | null;
  warnings: Warning[];
}
interface IntegrationAnswer {
  id: string;
  credential: CredentialHealth & { type: string; set: boolean; setAt: string };
}
interface ConnectionAnswer {
  ok: boolean;
  steps: { name: string; ok: boolean; code?: string; message?: string }[];
  credential: CredentialHealth;
}

const DAY = 86_400_000;
const APPLICATIONS_ROUTE = 'GET /v1.0/applications';
/** `2026-12-11 22:12 UTC`, as the hub writes an instant in its messages. */
const spoken = (iso: string): string => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

describe.each(dialects)('credential expiry through the API on %s', (dialect) => {
  let api: TestApi;
  // Each database gets a simulator of its own: the expired-secret test moves its clock on.
  let sim: RunningSimulator;
  let id: string;

  beforeAll(async () => {
    sim = await useSimulator({ machines: 10, seed: 83, findingsPerMachine: 1 });
    api = await useApi(dialect);
  });

  const integration = async (): Promise<IntegrationAnswer> => {
    const { status, body } = await api.call<IntegrationAnswer>('GET', `/api/v1/integrations/${id}`);
    expect(status).toBe(200);
    return body;
  };
  const test = async (): Promise<ConnectionAnswer> => {
    const { status, body } = await api.call<ConnectionAnswer>('POST', `/api/v1/integrations/${id}/test`);
    expect(status).toBe(200);
    return body;
  };
  const applicationReads = (): number =>
    Object.values(sim.control.stats().requests.byRoute[APPLICATIONS_ROUTE] ?? {}).reduce((a, n) => a + n, 0);
  /** Sets the simulator's secret to expire `days` from now by the hub's clock (the wall clock). */
  const expireIn = (days: number): string =>
    sim.control.configure({ secretExpiresAt: new Date(Date.now() + days * DAY).toISOString() })
      .secretExpiresAt;

  it('should show no expiry for a new integration, before the hub has looked', async () => {
    const { status, body } = await api.call<IntegrationAnswer>(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim, { name: 'expiring' }),
    );
    expect(status).toBe(201);
    id = body.id;
    expect(body.credential).toMatchObject({ expiresAt: null, checkedAt: null, warnings: [] });
  });

  it('should read the expiry once a day during sync: one Graph call per integration, not per run', async () => {
    const before = applicationReads();
    const first = await api.syncNow(id, {
      dataset: 'machines',
    });
    expect(first.body.runs[0]?.status).toBe('succeeded');
    const shown = await integration();
    expect(shown.credential.expiresAt).toBe(new Date(sim.control.settings().secretExpiresAt).toISOString());
    expect(shown.credential.checkedAt).not.toBeNull();
    expect(shown.credential.warnings).toEqual([]);
    await api.syncNow(id, { dataset: 'machines' });
    await api.syncNow(id, { dataset: 'vulnerabilities' });
    expect(applicationReads() - before).toBe(1);
  });

  it.each([
    [10, 'warning', 'in 10 days'],
    [2, 'critical', 'in 2 days'],
  ] as const)(
    'should warn %s days before expiry (%s) in the connection test and the integration',
    async (days, level, when) => {
      const expiresAt = new Date(expireIn(days)).toISOString();
      const result = await test();
      expect(result.ok).toBe(true);
      const warning = {
        level,
        code: 'CREDENTIAL_EXPIRES_SOON',
        message: `The client secret expires on ${spoken(expiresAt)}, ${when}; create a new one in Entra ID and update the integration before then.`,
      };
      expect(result.credential).toEqual({
        expiresAt,
        checkedAt: expect.any(String) as unknown,
        warnings: [warning],
      });
      const shown = await integration();
      expect(shown.credential).toMatchObject({ expiresAt, warnings: [warning] });
    },
  );

  it('should show a secret past its end date as expired, and a sign-in refused for it with that date', async () => {
    const expiresAt = new Date(expireIn(-1)).toISOString();
    // The simulator keeps its own clock, behind the wall clock: it still accepts the secret, so the hub reads
    // the date first, as it would have done before the secret expired.
    expect(Date.parse(sim.control.now())).toBeLessThan(Date.parse(expiresAt));
    const read = await test();
    expect(read.ok).toBe(true);
    const expired = {
      level: 'critical',
      code: 'CREDENTIAL_EXPIRED',
      message: `The client secret expired on ${spoken(expiresAt)}; create a new one in Entra ID and update the integration.`,
    };
    expect(read.credential).toMatchObject({ expiresAt, warnings: [expired] });

    sim.control.advance((Date.parse(expiresAt) - Date.parse(sim.control.now())) / 3_600_000 + 1);
    try {
      await expectRefusedWithDate(expired.message, expiresAt);
    } finally {
      sim.control.configure({ secretExpiresAt: null });
    }
  });

  /** A sign-in Entra refuses as expired, in the connection test, the integration and a sync run. */
  async function expectRefusedWithDate(message: string, expiresAt: string): Promise<void> {
    const expired = { level: 'critical', code: 'CREDENTIAL_EXPIRED', message };
    const refused = await test();
    expect(refused.ok).toBe(false);
    const token = refused.steps.find((s) => s.name === 'token');
    expect(token).toMatchObject({ ok: false, code: 'DEFENDER_AUTH_SECRET_EXPIRED' });
    expect(token?.message).toMatch(
      new RegExp(`^${expired.message.replace(/[.()]/g, '\\$&')} \\(Entra AADSTS7000222; trace `),
    );
    expect(refused.credential).toMatchObject({ expiresAt, warnings: [expired] });
    expect((await integration()).credential).toMatchObject({ expiresAt, warnings: [expired] });

    const sync = await api.syncNow(id, {
      dataset: 'machines',
    });
    expect(sync.body.runs[0]).toMatchObject({ status: 'failed', errorCode: 'DEFENDER_AUTH_SECRET_EXPIRED' });
    expect(sync.body.runs[0]?.errorMessage).toContain(expired.message);
  }

  it('should leave the expiry unknown without Application.Read.All, with a note, and the integration fine', async () => {
    sim.control.configure({ roles: ALL_ROLES.filter((role) => role !== 'Application.Read.All') });
    try {
      const result = await test();
      expect(result.ok).toBe(true);
      expect(result.steps.every((s) => s.ok)).toBe(true);
      const note = {
        level: 'info',
        code: 'CREDENTIAL_EXPIRY_NOT_PERMITTED',
        message: expect.stringContaining('grant the app Application.Read.All (Microsoft Graph') as unknown,
      };
      expect(result.credential).toEqual({
        expiresAt: null,
        checkedAt: expect.any(String) as unknown,
        warnings: [note],
      });
      expect((await integration()).credential).toMatchObject({ expiresAt: null, warnings: [note] });
    } finally {
      sim.control.configure({ roles: null });
    }
  });

  it('should forget what it knew when the secret is replaced', async () => {
    await test();
    expect((await integration()).credential.expiresAt).not.toBeNull();
    const { body } = await api.call<IntegrationAnswer>('PATCH', `/api/v1/integrations/${id}`, {
      clientSecret: sim.clientSecret,
    });
    expect(body.credential).toMatchObject({ expiresAt: null, checkedAt: null, warnings: [] });
  });

  it('should read the expiry of unsaved settings and store nothing', async () => {
    const { body } = await api.call<ConnectionAnswer>(
      'POST',
      '/api/v1/integrations/test',
      simulatorSettings(sim, { name: 'unsaved', imports: { alerts: false, incidents: false } }),
    );
    expect(body.ok).toBe(true);
    expect(body.credential.expiresAt).toBe(new Date(sim.control.settings().secretExpiresAt).toISOString());
    expect((await integration()).credential.expiresAt).toBeNull();
  });

  it('should never have answered the secret or its hint', () => {
    for (const body of api.bodies) {
      expect(body).not.toContain(sim.clientSecret);
      expect(body).not.toMatch(/"hint"/);
    }
  });
});
