import { describe, expect, it } from 'vitest';
import { resolveDefenderConfig } from '../../src/defender/index.js';

const base = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '6b1c5a3e-6f9b-4a7e-9d8e-2f1a3b4c5d6e',
  credential: { type: 'secret', clientSecret: 'not-a-real-secret' },
} as const;

/** The ARM token a connection test and the cloudPosture sync ask for: scope `<armAudience>/.default`. */
describe('ARM token audience', () => {
  it.each([
    ['no ARM host, a commercial Defender host', {}, 'https://management.azure.com'],
    [
      'no ARM host, GCC High',
      { apiBaseUrl: 'https://api-gov.securitycenter.microsoft.us' },
      'https://management.usgovcloudapi.net',
    ],
    // A sovereign ARM host is its own audience even beside a commercial (or default) Defender host.
    [
      'Azure Government ARM',
      { armBaseUrl: 'https://management.usgovcloudapi.net/' },
      'https://management.usgovcloudapi.net',
    ],
    [
      'Azure China ARM',
      { armBaseUrl: 'https://management.chinacloudapi.cn' },
      'https://management.chinacloudapi.cn',
    ],
    // A proxy or the simulator stands in for the Defender host's cloud's ARM.
    ['a proxy', { armBaseUrl: 'https://arm-proxy.contoso.com' }, 'https://management.azure.com'],
    [
      'a proxy for GCC High',
      {
        apiBaseUrl: 'https://api-gov.securitycenter.microsoft.us',
        armBaseUrl: 'https://arm-proxy.contoso.com',
      },
      'https://management.usgovcloudapi.net',
    ],
  ])('%s', (_what, change, audience) => {
    expect(resolveDefenderConfig({ ...base, ...change }).armAudience).toBe(audience);
  });
});
