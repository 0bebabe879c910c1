import { describe, expect, it } from 'vitest';
import type { CloudName } from '../../src/domain/clouds.js';
import {
  alertUrl,
  commercialPortalTenant,
  cveUrl,
  endpointAlertsUrl,
  endpointOverviewUrl,
  endpointVulnerabilitiesUrl,
  incidentUrl,
  integrationPortalTenant,
  portalBaseUrls,
  portalForApiBaseUrl,
} from '../../src/domain/portal-links.js';

const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const machineId = '1e5bc9d7e413ddd7902c2932e418702b84d0cc07';

describe('portal per cloud', () => {
  it.each([
    ['commercial', 'https://security.microsoft.com'],
    ['gcc', 'https://security.microsoft.com'],
    ['gccHigh', 'https://security.microsoft.us'],
  ] as const)('%s should use %s', (cloud, base) => {
    expect(portalBaseUrls[cloud]).toBe(base);
    expect(endpointOverviewUrl({ cloud, tenantId }, machineId)).toBe(
      `${base}/machines/v2/${machineId}/overview?tid=${tenantId}`,
    );
  });

  it.each([
    ['https://api.security.microsoft.com', 'https://security.microsoft.com'],
    ['https://eu.api.security.microsoft.com/', 'https://security.microsoft.com'],
    ['https://api-us2.securitycenter.microsoft.com', 'https://security.microsoft.com'],
    ['https://api-gcc.securitycenter.microsoft.us', 'https://security.microsoft.com'],
    ['https://api-gov.securitycenter.microsoft.us', 'https://security.microsoft.us'],
    ['https://127.0.0.1:8443', 'https://security.microsoft.com'],
  ])('should send API host %s to the portal %s', (apiBaseUrl, portal) => {
    expect(portalForApiBaseUrl(apiBaseUrl)).toBe(portal);
  });

  it('should refuse an API base URL that is not a URL', () => {
    expect(() => portalForApiBaseUrl('not a url')).toThrow(TypeError);
  });
});

describe('portal links', () => {
  const commercial = { cloud: 'commercial' as CloudName, tenantId };
  const gccHigh = { cloud: 'gccHigh' as CloudName, tenantId };

  it('should link the device page and its tabs', () => {
    expect(endpointOverviewUrl(commercial, machineId)).toBe(
      `https://security.microsoft.com/machines/v2/${machineId}/overview?tid=${tenantId}`,
    );
    expect(endpointVulnerabilitiesUrl(commercial, machineId)).toBe(
      `https://security.microsoft.com/machines/v2/${machineId}/vulnerabilities?tid=${tenantId}`,
    );
    expect(endpointAlertsUrl(gccHigh, machineId)).toBe(
      `https://security.microsoft.us/machines/v2/${machineId}/alerts?tid=${tenantId}`,
    );
  });

  it('should link alerts, incidents and CVEs', () => {
    expect(alertUrl(commercial, 'da637472900382838869_1364969609')).toBe(
      `https://security.microsoft.com/alerts/da637472900382838869_1364969609?tid=${tenantId}`,
    );
    expect(incidentUrl(gccHigh, '2972395')).toBe(
      `https://security.microsoft.us/incidents/2972395?tid=${tenantId}`,
    );
    expect(cveUrl(commercial, 'CVE-2024-21412')).toBe(
      `https://security.microsoft.com/vulnerabilities/vulnerability/CVE-2024-21412/overview?tid=${tenantId}`,
    );
  });

  it('should encode ids so they stay inside their path segment', () => {
    expect(alertUrl(commercial, 'a/b?c#d e')).toBe(
      `https://security.microsoft.com/alerts/a%2Fb%3Fc%23d%20e?tid=${tenantId}`,
    );
    expect(endpointOverviewUrl(commercial, '../admin')).toBe(
      `https://security.microsoft.com/machines/v2/..%2Fadmin/overview?tid=${tenantId}`,
    );
    expect(new URL(cveUrl(commercial, 'CVE/../x')).pathname).toBe(
      '/vulnerabilities/vulnerability/CVE%2F..%2Fx/overview',
    );
  });

  it('should encode the tenant id and leave it out when empty', () => {
    expect(incidentUrl({ cloud: 'commercial', tenantId: 'a&b=c' }, '1')).toBe(
      'https://security.microsoft.com/incidents/1?tid=a%26b%3Dc',
    );
    expect(incidentUrl({ cloud: 'gcc', tenantId: '' }, '1')).toBe(
      'https://security.microsoft.com/incidents/1',
    );
  });

  it("should take an integration's tenant and the cloud of its API host", () => {
    expect(
      integrationPortalTenant({ tenantId, apiBaseUrl: 'https://api-gov.securitycenter.microsoft.us' }),
    ).toEqual({ cloud: 'gccHigh', tenantId });
    expect(integrationPortalTenant({ tenantId, apiBaseUrl: 'https://127.0.0.1:8443' })).toEqual({
      cloud: 'commercial',
      tenantId,
    });
    expect(alertUrl(commercialPortalTenant, '1')).toBe('https://security.microsoft.com/alerts/1');
  });
});
