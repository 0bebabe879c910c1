import { describe, expect, it } from 'vitest';
import { readAccessTokenClaims, requiredRolesFromMessage } from '../../src/defender/access-token.js';
import { readFixture, requireFixtures } from '../support/fixtures.js';

describe('requiredRolesFromMessage', () => {
  it("should read the roles from Graph's published 403", (ctx) => {
    requireFixtures(ctx);
    const body = JSON.parse(readFixture('defender', 'graph-error-403-missing-roles.json')) as {
      error: { message: string };
    };
    expect(requiredRolesFromMessage(body.error.message)).toEqual([
      'SecurityAlert.Read.All',
      'SecurityAlert.ReadWrite.All',
      'SecurityIncident.Read.All',
      'SecurityIncident.ReadWrite.All',
    ]);
  });

  it('should read the roles from the MDE 403 text', () => {
    expect(
      requiredRolesFromMessage(
        'The application does not have any of the required application permissions (Machine.Read.All, Machine.ReadWrite.All) to access the resource.',
      ),
    ).toEqual(['Machine.Read.All', 'Machine.ReadWrite.All']);
  });

  it('should return nothing for a message without roles', () => {
    expect(requiredRolesFromMessage('Forbidden')).toEqual([]);
  });
});

describe('readAccessTokenClaims', () => {
  it('should read roles, audience and expiry from a JWT payload', () => {
    const payload = Buffer.from(
      JSON.stringify({
        roles: ['Machine.Read.All'],
        aud: 'https://api.securitycenter.microsoft.com',
        exp: 1_800_000_000,
      }),
    ).toString('base64url');
    expect(readAccessTokenClaims(`h.${payload}.s`)).toEqual({
      roles: ['Machine.Read.All'],
      audience: 'https://api.securitycenter.microsoft.com',
      expiresAt: new Date(1_800_000_000_000),
    });
  });

  it('should not throw on an opaque token', () => {
    expect(readAccessTokenClaims('opaque').roles).toEqual([]);
  });
});
