import { describe, expect, it } from 'vitest';
import { resolveDefenderConfig } from '../../src/defender/config.js';
import { DefenderErrorCode } from '../../src/defender/errors.js';

const valid = {
  tenantId: '8c4f0b1e-6f61-4a6f-9f3c-2d7c1f0a9b11',
  clientId: '3f9a1c2d-8b7e-4c6d-9e0f-1a2b3c4d5e6f',
  credential: { type: 'secret' as const, clientSecret: 'Q8x8Q~abcdefghijklmnopqrstuvwxyz0123456' },
};

describe('resolveDefenderConfig', () => {
  it('should fill the commercial cloud defaults', () => {
    expect(resolveDefenderConfig(valid)).toMatchObject({
      apiBaseUrl: 'https://api.security.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com',
      defenderAudience: 'https://api.securitycenter.microsoft.com',
      graphAudience: 'https://graph.microsoft.com',
    });
  });

  it('should pick the US Gov hosts and audiences for GCC High', () => {
    expect(
      resolveDefenderConfig({ ...valid, apiBaseUrl: 'https://api-gov.securitycenter.microsoft.us/' }),
    ).toMatchObject({
      apiBaseUrl: 'https://api-gov.securitycenter.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
      graphBaseUrl: 'https://graph.microsoft.us',
      defenderAudience: 'https://api-gov.securitycenter.microsoft.us',
    });
  });

  it.each([
    [
      'https://api.security.microsoft.com',
      'https://api.security.microsoft.com',
      'https://api.security.microsoft.com',
    ],
    [
      'https://eu.api.security.microsoft.com',
      'https://api.security.microsoft.com',
      'https://api.security.microsoft.com',
    ],
    [
      'https://api-us2.securitycenter.microsoft.com',
      'https://api.security.microsoft.com',
      'https://api.security.microsoft.com',
    ],
    [
      'https://api-gcc.securitycenter.microsoft.us',
      'https://api-gcc.security.microsoft.us',
      'https://api-gcc.security.microsoft.us',
    ],
    [
      'https://api-gov.securitycenter.microsoft.us',
      'https://api-gov.security.microsoft.us',
      'https://api-gov.security.microsoft.us',
    ],
    // A proxy or the simulator serves the Microsoft 365 Defender API beside Defender for Endpoint's.
    ['https://127.0.0.1:8443', 'https://127.0.0.1:8443', 'https://api.security.microsoft.com'],
  ])(
    'should put the Microsoft 365 Defender API of %s at %s, audience %s',
    (apiBaseUrl, xdrBaseUrl, xdrAudience) => {
      expect(resolveDefenderConfig({ ...valid, apiBaseUrl })).toMatchObject({ xdrBaseUrl, xdrAudience });
    },
  );

  it('should take the Microsoft 365 Defender host and audience as given', () => {
    expect(
      resolveDefenderConfig({
        ...valid,
        xdrBaseUrl: 'https://api-eu.security.microsoft.com/',
        xdrAudience: 'https://api.security.microsoft.com/',
      }),
    ).toMatchObject({
      xdrBaseUrl: 'https://api-eu.security.microsoft.com',
      xdrAudience: 'https://api.security.microsoft.com/',
    });
  });

  it('should accept a tenant domain name', () => {
    expect(resolveDefenderConfig({ ...valid, tenantId: 'contoso.onmicrosoft.com' }).tenantId).toBe(
      'contoso.onmicrosoft.com',
    );
  });

  it('should refuse a base URL ending in /api and suggest the corrected one', () => {
    expect(() =>
      resolveDefenderConfig({ ...valid, apiBaseUrl: 'https://eu.api.security.microsoft.com/api' }),
    ).toThrow(
      expect.objectContaining({
        code: DefenderErrorCode.BaseUrlEndsWithApi,
        message: expect.stringContaining('use https://eu.api.security.microsoft.com') as unknown,
      }),
    );
  });

  it.each([
    [{ tenantId: 'not a tenant' }, /tenant ID must be a GUID/],
    [{ clientId: 'my-app' }, /client ID must be/],
    [{ credential: { type: 'secret', clientSecret: '  ' } }, /client secret is empty/],
    [{ apiBaseUrl: 'http://api.security.microsoft.com' }, /must use https/],
    [{ authorityHost: 'nonsense' }, /must be a URL/],
    [{ credential: { type: 'certificate', certificatePem: 'abc' } }, /PEM text holding both/],
  ])('should explain what is wrong with %j', (change, message) => {
    expect(() =>
      resolveDefenderConfig({ ...valid, ...change } as Parameters<typeof resolveDefenderConfig>[0]),
    ).toThrow(message);
  });

  it('should never put the secret in an error message', () => {
    try {
      resolveDefenderConfig({ ...valid, clientId: 'bad' });
    } catch (error) {
      expect(
        JSON.stringify({
          message: (error as Error).message,
          details: (error as { details?: unknown }).details,
        }),
      ).not.toContain(valid.credential.clientSecret);
      return;
    }
    throw new Error('expected a validation error');
  });
});
