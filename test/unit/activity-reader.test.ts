import { describe, expect, it } from 'vitest';
import {
  DefenderAuthError,
  DefenderErrorCode,
  DefenderPermissionError,
  resolveDefenderConfig,
  type Audience,
} from '../../src/defender/index.js';
import { chooseReader, type ActivityReader } from '../../src/sync/activity-reader.js';

const config = resolveDefenderConfig({
  tenantId: '8c4f0b1e-6f61-4a6f-9f3c-2d7c1f0a9b11',
  clientId: '3f9a1c2d-8b7e-4c6d-9e0f-1a2b3c4d5e6f',
  credential: { type: 'secret', clientSecret: 'Q8x8Q~abcdefghijklmnopqrstuvwxyz0123456' },
});

function reader(audience: Audience, roles: string[]): ActivityReader<never> {
  return {
    source: audience === 'graph' ? 'graph' : audience === 'xdr' ? 'xdr' : 'mde',
    describe: audience,
    audience,
    roles,
    probe: 'graphAlerts',
    ordered: true,
    // Choosing never reads.
    list: () => {
      throw new Error('not read');
    },
  };
}

const graph = reader('graph', ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All']);
const xdr = reader('xdr', ['Incident.Read.All', 'Incident.ReadWrite.All']);

/** A client whose tokens carry these roles per audience; an Error signs in as that failure. */
function client(tokens: Partial<Record<Audience, readonly string[] | Error>>) {
  const asked: Audience[] = [];
  return {
    asked,
    config,
    grantedRoles(audience: Audience): Promise<readonly string[]> {
      asked.push(audience);
      const roles = tokens[audience] ?? [];
      return roles instanceof Error ? Promise.reject(roles) : Promise.resolve(roles);
    },
  };
}

describe('choosing the source an activity dataset reads through', () => {
  it('should take the first source whose token carries one of its roles, asking no further', async () => {
    const app = client({ graph: ['SecurityIncident.ReadWrite.All'], xdr: ['Incident.Read.All'] });
    expect(await chooseReader(app, [graph, xdr], 'incidents', undefined)).toBe(graph);
    expect(app.asked).toEqual(['graph']);
  });

  it('should fall back to the next source when the first one is not permitted', async () => {
    const app = client({ graph: ['Device.Read.All'], xdr: ['Incident.Read.All'] });
    expect(await chooseReader(app, [graph, xdr], 'incidents', undefined)).toBe(xdr);
  });

  it('should fall back when the sign-in for the first source fails', async () => {
    const refused = new DefenderAuthError(DefenderErrorCode.AuthFailed, 'Entra ID refused a token.');
    const app = client({ graph: refused, xdr: ['Incident.ReadWrite.All'] });
    expect(await chooseReader(app, [graph, xdr], 'incidents', undefined)).toBe(xdr);
  });

  it('should name every permission that would do, and what each token carries, when none is granted', async () => {
    const failure = new DefenderAuthError(DefenderErrorCode.AuthFailed, 'AADSTS500011');
    const error = await chooseReader(
      client({ graph: ['Device.Read.All'], xdr: failure }),
      [graph, xdr],
      'incidents',
      undefined,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefenderPermissionError);
    const refusal = error as DefenderPermissionError;
    expect(refusal.code).toBe('DEFENDER_PERMISSION_MISSING');
    expect(refusal.requiredRoles).toEqual([...graph.roles, ...xdr.roles]);
    expect(refusal.grantedRoles).toEqual(['Device.Read.All']);
    expect(refusal.message).toBe(
      'Reading incidents needs SecurityIncident.Read.All or SecurityIncident.ReadWrite.All (Microsoft Graph), ' +
        'or Incident.Read.All or Incident.ReadWrite.All (Microsoft Threat Protection), as an application permission; ' +
        "the app's tokens carry Microsoft Graph: Device.Read.All; Microsoft Threat Protection: sign-in failed, " +
        'DEFENDER_AUTH_FAILED. Add one under "API permissions" of app 3f9a1c2d-8b7e-4c6d-9e0f-1a2b3c4d5e6f and ' +
        'grant admin consent.',
    );
  });

  it('should fail with the sign-in failure itself when no sign-in succeeds', async () => {
    const wrongSecret = new DefenderAuthError(
      DefenderErrorCode.WrongSecret,
      'Entra ID rejected the client secret.',
    );
    const error = await chooseReader(
      client({ graph: wrongSecret, xdr: new Error('second') }),
      [graph, xdr],
      'incidents',
      undefined,
    ).catch((e: unknown) => e);
    expect(error).toBe(wrongSecret);
  });
});
