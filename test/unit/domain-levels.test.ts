import { describe, expect, it } from 'vitest';
import {
  alertSeverityRisk,
  exploitabilityLevels,
  exploitabilityRank,
  exposureLevelRisk,
  findingSeverityRisk,
  isKnownExploit,
  maxExploitability,
  maxRisk,
  maxSeverity,
  parseExploitability,
  parseRiskLevel,
  parseSeverity,
  raiseRisk,
  raisesExposure,
  riskLevels,
  riskRank,
  riskScoreRisk,
  severityLevels,
  severityRank,
} from '../../src/domain/levels.js';

describe('risk levels', () => {
  it('should order None < Low < Medium < High < Critical', () => {
    expect(riskLevels).toEqual(['None', 'Low', 'Medium', 'High', 'Critical']);
    expect(riskLevels.map(riskRank)).toEqual([0, 1, 2, 3, 4]);
  });

  it('should give None as the maximum of nothing', () => {
    expect(maxRisk()).toBe('None');
  });

  it.each([
    [['Low'], 'Low'],
    [['Low', 'High', 'Medium'], 'High'],
    [['Critical', 'None'], 'Critical'],
    [['None', 'None'], 'None'],
  ] as const)('should take the highest of %j', (levels, expected) => {
    expect(maxRisk(...levels)).toBe(expected);
  });

  it.each([
    ['None', 'Low'],
    ['Low', 'Medium'],
    ['Medium', 'High'],
    ['High', 'Critical'],
    ['Critical', 'Critical'],
  ] as const)('should raise %s one step to %s', (level, raised) => {
    expect(raiseRisk(level)).toBe(raised);
  });

  it.each([
    ['high', 'High'],
    [' CRITICAL ', 'Critical'],
    ['none', 'None'],
    ['mEdIuM', 'Medium'],
    ['Low', 'Low'],
  ] as const)('should parse the filter value %j as %s', (text, level) => {
    expect(parseRiskLevel(text)).toBe(level);
  });

  it.each(['', 'Informational', 'severe', 'High!', 'Hi'])('should refuse the filter value %j', (text) => {
    expect(parseRiskLevel(text)).toBeUndefined();
  });
});

describe('severity', () => {
  it('should order Low < Medium < High < Critical', () => {
    expect(severityLevels).toEqual(['Low', 'Medium', 'High', 'Critical']);
    expect(severityLevels.map(severityRank)).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['critical', 3],
    ['HIGH', 2],
    [' medium ', 1],
    ['low', 0],
    ['Informational', -1],
    ['', -1],
    [null, -1],
    [undefined, -1],
  ] as const)('should rank %j as %i', (value, rank) => {
    expect(severityRank(value)).toBe(rank);
  });

  it('should parse mixed case to the canonical spelling', () => {
    expect(parseSeverity('cRiTiCaL')).toBe('Critical');
    expect(parseSeverity('None')).toBeUndefined();
  });

  it('should take the highest known severity and ignore unknown words', () => {
    expect(maxSeverity(['low', 'HIGH', null, 'Medium', 'Severe'])).toBe('High');
    expect(maxSeverity(new Set(['Low', 'Critical']))).toBe('Critical');
  });

  it('should give null when no severity is known', () => {
    expect(maxSeverity([])).toBeNull();
    expect(maxSeverity([null, undefined, 'Informational'])).toBeNull();
  });
});

describe('exploitability', () => {
  it('should order NoExploit < ExploitIsPublic < ExploitIsVerified < ExploitIsInKit', () => {
    expect(exploitabilityLevels).toEqual([
      'NoExploit',
      'ExploitIsPublic',
      'ExploitIsVerified',
      'ExploitIsInKit',
    ]);
    expect(exploitabilityLevels.map(exploitabilityRank)).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['exploitisinkit', 3],
    ['EXPLOITISVERIFIED', 2],
    ['ExploitIsPublic', 1],
    ['noexploit', 0],
    ['Weaponized', -1],
    [null, -1],
    [undefined, -1],
  ] as const)('should rank %j as %i', (value, rank) => {
    expect(exploitabilityRank(value)).toBe(rank);
  });

  it('should parse mixed case to the canonical spelling', () => {
    expect(parseExploitability(' exploitispublic ')).toBe('ExploitIsPublic');
  });

  it('should take the highest known level, or null when none is known', () => {
    expect(maxExploitability(['NoExploit', 'exploitisverified', 'ExploitIsPublic', null])).toBe(
      'ExploitIsVerified',
    );
    expect(maxExploitability(['ExploitIsInKit', 'ExploitIsVerified'])).toBe('ExploitIsInKit');
    expect(maxExploitability([])).toBeNull();
    expect(maxExploitability([null, 'unknown'])).toBeNull();
  });

  it.each([
    ['NoExploit', false, false],
    ['ExploitIsPublic', true, false],
    ['ExploitIsVerified', true, true],
    ['ExploitIsInKit', true, true],
    ['exploitisinkit', true, true],
    [null, false, false],
    [undefined, false, false],
    ['Unknown', false, false],
  ] as const)('%j: known exploit %s, raises exposure %s', (level, known, raises) => {
    expect(isKnownExploit(level)).toBe(known);
    expect(raisesExposure(level)).toBe(raises);
  });
});

describe('conversions to risk levels', () => {
  it.each([
    ['Low', 'Low'],
    ['Medium', 'Medium'],
    ['High', 'High'],
    ['Critical', 'Critical'],
    ['critical', 'Critical'],
    ['Informational', 'None'],
    ['', 'None'],
    [null, 'None'],
    [undefined, 'None'],
  ] as const)('should read finding severity %j as %s', (severity, level) => {
    expect(findingSeverityRisk(severity)).toBe(level);
  });

  it.each([
    // MDE
    ['UnSpecified', 'None'],
    ['Informational', 'None'],
    ['Low', 'Low'],
    ['Medium', 'Medium'],
    ['High', 'High'],
    // Graph
    ['unknown', 'None'],
    ['informational', 'None'],
    ['low', 'Low'],
    ['medium', 'Medium'],
    ['high', 'High'],
    ['unknownFutureValue', 'None'],
    // neither API sends Critical for alerts; nulls and junk add nothing
    ['Critical', 'None'],
    [null, 'None'],
    [undefined, 'None'],
  ] as const)('should read alert severity %j as %s', (severity, level) => {
    expect(alertSeverityRisk(severity)).toBe(level);
  });

  it.each([
    ['None', 'None'],
    ['Informational', 'None'],
    ['Low', 'Low'],
    ['Medium', 'Medium'],
    ['High', 'High'],
    ['high', 'High'],
    [null, 'None'],
    ['Bogus', 'None'],
  ] as const)('should read machine riskScore %j as %s', (riskScore, level) => {
    expect(riskScoreRisk(riskScore)).toBe(level);
  });

  it.each([
    ['None', 'None'],
    ['Low', 'Low'],
    ['Medium', 'Medium'],
    ['High', 'High'],
    ['MEDIUM', 'Medium'],
    [null, 'None'],
    [undefined, 'None'],
    ['Bogus', 'None'],
  ] as const)('should read machine exposureLevel %j as %s', (exposureLevel, level) => {
    expect(exposureLevelRisk(exposureLevel)).toBe(level);
  });
});
