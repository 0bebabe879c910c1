import { describe, expect, it } from 'vitest';
import { dialects } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import { allPages, simulatorSettings, useApi } from './api-harness.js';
import { databaseOf } from '../../src/store/testing.js';

interface Entry {
  actor: string | null;
  actorKind: string;
  address: string | null;
  action: string;
  target: string | null;
  outcome: string;
  details: {
    request?: Record<string, unknown>;
    error?: string;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
  };
}

describe.each(dialects)('the audit log on %s', (dialect) => {
  it('should record sign-ins, setting and credential changes with before/after, tokens, users and action requests, secrets masked', async () => {
    const sim = await useSimulator({ machines: 20, seed: 3, findingsPerMachine: 1 });
    const api = await useApi(dialect);
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', simulatorSettings(sim));
    expect(created.status).toBe(201);
    const id = created.body.id;

    const signIn = (password: string) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'admin', password },
        remoteAddress: '192.0.2.7',
      });
    expect((await signIn('not the password')).statusCode).toBe(401);
    expect((await signIn(api.admin.password)).statusCode).toBe(200);

    await api.call('PATCH', `/api/v1/integrations/${id}`, { name: 'renamed' });
    const newSecret = `rotated-${Date.now()}-secret-value`;
    await api.call('PATCH', `/api/v1/integrations/${id}`, { clientSecret: newSecret });
    const token = await api.call<{ id: number; token: string }>('POST', '/api/v1/tokens', {
      name: 'ci',
      role: 'viewer',
    });
    await api.call('DELETE', `/api/v1/tokens/${token.body.id}`);
    await api.call('POST', '/api/v1/users', { username: 'dana', role: 'analyst' });
    await api.call('PATCH', `/api/v1/integrations/${id}`, { clientSecret: sim.clientSecret });
    await api.hub.sync.syncIntegration(id);
    const endpoint = (await allPages<{ id: number }>(api, '/api/v1/endpoints'))[0]!;
    await api.call('POST', `/api/v1/endpoints/${endpoint.id}/actions`, {
      type: 'scan',
      scanType: 'Quick',
      comment: 'weekly check',
      dryRun: true,
    });
    const viewer = await api.tokenFor('viewer');
    expect((await api.call('POST', '/api/v1/integrations', {}, { token: viewer })).status).toBe(403);

    const entries = (await allPages<Entry>(api, '/api/v1/audit-log')).reverse();
    const of = (action: string) => entries.filter((e) => e.action === action);
    expect(of('POST /api/v1/session').map((e) => [e.actor, e.outcome, e.address, e.details.error])).toEqual([
      ['admin', 'refused', '192.0.2.7', 'AUTH_FAILED'],
      ['admin', 'success', '192.0.2.7', undefined],
    ]);
    const changes = of('PATCH /api/v1/integrations/:id');
    expect(changes).toHaveLength(3);
    expect(changes[0]).toMatchObject({
      actor: 'admin',
      actorKind: 'token',
      target: id,
      outcome: 'success',
      details: { request: { name: 'renamed' }, before: { name: 'simulated' }, after: { name: 'renamed' } },
    });
    // A credential change: the secret is masked, the time it was set moves on.
    const credential = changes[1]!;
    expect(credential.details.request).toEqual({ clientSecret: '[redacted]' });
    const setAt = (side: Record<string, unknown> | undefined) =>
      (side?.credential as { setAt?: string } | undefined)?.setAt;
    expect(setAt(credential.details.after) !== setAt(credential.details.before)).toBe(true);
    expect(of('POST /api/v1/tokens')).toHaveLength(1);
    expect(of('DELETE /api/v1/tokens/:id')[0]?.target).toBe(String(token.body.id));
    expect(of('POST /api/v1/users')[0]?.details.request).toEqual({ username: 'dana', role: 'analyst' });
    expect(of('POST /api/v1/endpoints/:id/actions')[0]).toMatchObject({
      target: String(endpoint.id),
      outcome: 'success',
      details: { request: { type: 'scan', comment: 'weekly check', dryRun: true } },
    });
    expect(of('POST /api/v1/integrations').map((e) => [e.outcome, e.details.error])).toEqual([
      ['success', undefined],
      ['refused', 'AUTH_FORBIDDEN'],
    ]);
    // Reads are not audited.
    expect(entries.filter((e) => e.action.startsWith('GET '))).toEqual([]);

    // Nothing secret in the log, through the API or in the table.
    const everything =
      JSON.stringify(entries) +
      JSON.stringify(await databaseOf(api.hub.data).selectFrom('audit_log').selectAll().execute());
    for (const secret of [sim.clientSecret, newSecret, api.admin.password, token.body.token, viewer])
      expect(everything).not.toContain(secret);

    // Admins only; exportable whole.
    expect((await api.call('GET', '/api/v1/audit-log', undefined, { token: viewer })).status).toBe(403);
    const exported = await api.app.inject({
      method: 'GET',
      url: '/api/v1/audit-log/export?format=ndjson',
      headers: api.authHeaders,
    });
    expect(exported.statusCode).toBe(200);
    const lines = exported.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string });
    expect(lines.map((l) => l.action)).toEqual(entries.map((e) => e.action));
  });
});
