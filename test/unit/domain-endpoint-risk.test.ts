import { describe, expect, it } from 'vitest';
import {
  alertRisk,
  compareFindingExposure,
  endpointRiskLevel,
  exposureRisk,
  findingExposureRisk,
  isActiveAlertStatus,
  type FindingExposureInput,
  type RiskParts,
} from '../../src/domain/endpoint-risk.js';

describe('findingExposureRisk', () => {
  it.each([
    ['Low', 'NoExploit', 'Low'],
    ['Medium', 'ExploitIsPublic', 'Medium'],
    ['High', 'ExploitIsPublic', 'High'],
    ['Low', 'ExploitIsVerified', 'Medium'],
    ['Medium', 'ExploitIsInKit', 'High'],
    ['High', 'ExploitIsVerified', 'Critical'],
    ['High', 'ExploitIsInKit', 'Critical'],
    ['Critical', 'ExploitIsVerified', 'Critical'],
    ['Critical', 'ExploitIsInKit', 'Critical'],
    ['Critical', null, 'Critical'],
    ['high', 'exploitisverified', 'Critical'],
    [null, 'NoExploit', 'None'],
    [null, null, 'None'],
    [null, 'ExploitIsInKit', 'Low'],
  ] as const)('severity %j with %j should be %s', (severity, exploitability, level) => {
    expect(findingExposureRisk(severity, exploitability)).toBe(level);
  });
});

describe('isActiveAlertStatus', () => {
  it.each(['New', 'InProgress', 'new', 'inProgress', 'INPROGRESS'])('should count %j as active', (status) => {
    expect(isActiveAlertStatus(status)).toBe(true);
  });

  it.each(['Resolved', 'resolved', ' RESOLVED '])('should count %j as not active', (status) => {
    expect(isActiveAlertStatus(status)).toBe(false);
  });

  it.each(['Unknown', 'unknownFutureValue', 'Dismissed', '', null, undefined])(
    'should count the unrecognised status %j as active, so it cannot hide an alert',
    (status) => {
      expect(isActiveAlertStatus(status)).toBe(true);
    },
  );
});

describe('alertRisk', () => {
  it('should be None without alerts', () => {
    expect(alertRisk([])).toBe('None');
  });

  it('should be None when every alert is informational or unspecified', () => {
    expect(
      alertRisk([
        { severity: 'Informational', status: 'New' },
        { severity: 'UnSpecified', status: 'InProgress' },
        { severity: 'informational', status: 'new' },
        { severity: 'unknown', status: 'new' },
      ]),
    ).toBe('None');
  });

  it('should ignore resolved alerts, however severe', () => {
    expect(
      alertRisk([
        { severity: 'High', status: 'Resolved' },
        { severity: 'high', status: 'resolved' },
        { severity: 'Low', status: 'New' },
      ]),
    ).toBe('Low');
  });

  it('should take the most severe active alert from MDE and Graph spellings alike', () => {
    expect(
      alertRisk([
        { severity: 'Low', status: 'New' },
        { severity: 'medium', status: 'inProgress' },
        { severity: 'Informational', status: 'New' },
      ]),
    ).toBe('Medium');
    expect(
      alertRisk([
        { severity: 'Medium', status: 'InProgress' },
        { severity: 'high', status: 'new' },
      ]),
    ).toBe('High');
  });

  it('should count an alert whose status is not recognised', () => {
    expect(alertRisk([{ severity: 'High', status: 'unknownFutureValue' }])).toBe('High');
    expect(alertRisk([{ severity: 'Medium', status: null }])).toBe('Medium');
  });
});

describe('endpointRiskLevel', () => {
  const none: RiskParts = { exposure: 'None', alert: 'None', riskScore: 'None', exposureLevel: 'None' };

  it('should be None when every part is None', () => {
    expect(endpointRiskLevel(none)).toBe('None');
  });

  it.each(['exposure', 'alert', 'riskScore', 'exposureLevel'] as const)(
    'should follow the %s part when it is the highest',
    (part) => {
      expect(endpointRiskLevel({ ...none, exposure: 'Low', [part]: 'High' })).toBe('High');
    },
  );

  it('should take the highest part', () => {
    expect(
      endpointRiskLevel({ exposure: 'Critical', alert: 'High', riskScore: 'Medium', exposureLevel: 'Low' }),
    ).toBe('Critical');
    expect(
      endpointRiskLevel({ exposure: 'Low', alert: 'Medium', riskScore: 'Low', exposureLevel: 'None' }),
    ).toBe('Medium');
  });
});

describe('compareFindingExposure', () => {
  const f = (
    severity: string | null,
    exploitabilityLevel: string | null,
    cvssScore?: number | null,
    cveId?: string | null,
  ): FindingExposureInput => ({ severity, exploitabilityLevel, cvssScore, cveId });

  it('should put the higher exposure risk first, counting the exploit raise', () => {
    const raised = f('High', 'ExploitIsVerified', 7, 'CVE-2024-0002');
    const plainHigh = f('High', 'ExploitIsPublic', 9.9, 'CVE-2024-0001');
    expect(compareFindingExposure(raised, plainHigh)).toBeLessThan(0);
    expect(compareFindingExposure(plainHigh, raised)).toBeGreaterThan(0);
  });

  it('should break an exposure tie by the higher CVSS score, a missing score last', () => {
    const critical = f('Critical', 'NoExploit', 9.1, 'CVE-2024-0009');
    const raisedHigh = f('High', 'ExploitIsInKit', 9.8, 'CVE-2024-0001');
    const noScore = f('Critical', 'NoExploit', null, 'CVE-2000-0001');
    expect(compareFindingExposure(raisedHigh, critical)).toBeLessThan(0);
    expect(compareFindingExposure(critical, noScore)).toBeLessThan(0);
    expect(compareFindingExposure(noScore, critical)).toBeGreaterThan(0);
  });

  it('should break a remaining tie by CVE id ascending, a missing id last', () => {
    const a = f('Medium', null, 5, 'CVE-2023-1111');
    const b = f('Medium', null, 5, 'CVE-2024-0001');
    const noId = f('Medium', null, 5, null);
    expect(compareFindingExposure(a, b)).toBeLessThan(0);
    expect(compareFindingExposure(b, a)).toBeGreaterThan(0);
    expect(compareFindingExposure(b, noId)).toBeLessThan(0);
    expect(compareFindingExposure(noId, b)).toBeGreaterThan(0);
  });

  it('should call findings equal only when every key is equal', () => {
    expect(compareFindingExposure(f('Low', null, 3, 'CVE-1'), f('low', 'NoExploit', 3, 'CVE-1'))).toBe(0);
    expect(compareFindingExposure(f(null, null), f(null, null))).toBe(0);
  });

  it('should sort a list worst first', () => {
    const findings = [
      f('Low', 'NoExploit', 3.1, 'CVE-2024-0005'),
      f('Critical', 'NoExploit', 9.8, 'CVE-2024-0004'),
      f(null, null, null, 'CVE-2024-0006'),
      f('High', 'ExploitIsInKit', 8.8, 'CVE-2024-0003'),
      f('High', 'ExploitIsInKit', 8.8, 'CVE-2024-0002'),
      f('Medium', 'ExploitIsPublic', 6.5, 'CVE-2024-0001'),
    ];
    expect([...findings].sort(compareFindingExposure).map((x) => x.cveId)).toEqual([
      'CVE-2024-0004',
      'CVE-2024-0002',
      'CVE-2024-0003',
      'CVE-2024-0001',
      'CVE-2024-0005',
      'CVE-2024-0006',
    ]);
  });
});

describe('exposureRisk', () => {
  it('should be None without findings, naming no worst finding', () => {
    const result = exposureRisk([]);
    expect(result).toEqual({ level: 'None' });
    expect('worst' in result).toBe(false);
  });

  it('should be None without a worst finding when no finding carries a severity', () => {
    expect(exposureRisk([{ severity: null, exploitabilityLevel: 'NoExploit', cveId: 'CVE-1' }])).toEqual({
      level: 'None',
    });
  });

  it('should name the worst finding by its raised exposure, with its index', () => {
    const findings = [
      { severity: 'Critical', exploitabilityLevel: 'NoExploit', cvssScore: 9.0, cveId: 'CVE-A' },
      { severity: 'High', exploitabilityLevel: 'ExploitIsVerified', cvssScore: 9.5, cveId: 'CVE-B' },
      { severity: 'Medium', exploitabilityLevel: 'ExploitIsInKit', cvssScore: 10, cveId: 'CVE-C' },
    ];
    const result = exposureRisk(findings);
    expect(result.level).toBe('Critical');
    expect(result.worst?.index).toBe(1);
    expect(result.worst?.finding).toBe(findings[1]);
  });

  it('should keep Critical when a Critical finding has a verified exploit', () => {
    expect(exposureRisk([{ severity: 'Critical', exploitabilityLevel: 'ExploitIsVerified' }]).level).toBe(
      'Critical',
    );
  });

  it('should raise the level one step for an exploit in a kit', () => {
    expect(exposureRisk([{ severity: 'Medium', exploitabilityLevel: 'ExploitIsInKit' }]).level).toBe('High');
  });

  it('should skip resolved findings', () => {
    const result = exposureRisk([
      { severity: 'Critical', exploitabilityLevel: 'ExploitIsInKit', status: 'resolved', cveId: 'CVE-OLD' },
      { severity: 'Low', exploitabilityLevel: 'NoExploit', status: 'open', cveId: 'CVE-NEW' },
    ]);
    expect(result.level).toBe('Low');
    expect(result.worst?.finding.cveId).toBe('CVE-NEW');
  });

  it('should be None when every finding is resolved', () => {
    expect(exposureRisk([{ severity: 'High', exploitabilityLevel: null, status: 'Resolved' }])).toEqual({
      level: 'None',
    });
  });

  it('should agree with the comparator and keep the first of exact equals', () => {
    const findings = [
      { severity: 'High', exploitabilityLevel: null, cvssScore: 7.5, cveId: 'CVE-X' },
      { severity: 'High', exploitabilityLevel: null, cvssScore: 7.5, cveId: 'CVE-X' },
      { severity: 'High', exploitabilityLevel: null, cvssScore: 7.5, cveId: 'CVE-W' },
    ];
    expect(exposureRisk(findings).worst?.index).toBe(2);
    expect(exposureRisk(findings.slice(0, 2)).worst?.index).toBe(0);
  });
});
