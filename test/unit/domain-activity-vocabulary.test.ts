import { describe, expect, it } from 'vitest';
import {
  activitySources,
  graphDetectionSource,
  graphEnumWord,
} from '../../src/domain/activity-vocabulary.js';

describe("Defender's own enum words in Graph's vocabulary", () => {
  it.each([
    // /api/alerts severity and status
    ['High', 'high'],
    ['Informational', 'informational'],
    ['UnSpecified', 'unknown'],
    ['InProgress', 'inProgress'],
    ['New', 'new'],
    ['Unknown', 'unknown'],
    // Microsoft 365 Defender incidents: status, classification, determination
    ['Active', 'active'],
    ['Redirected', 'redirected'],
    ['TruePositive', 'truePositive'],
    ['InformationalExpectedActivity', 'informationalExpectedActivity'],
    ['NotAvailable', 'unknown'],
    ['MultiStagedAttack', 'multiStagedAttack'],
    // Graph's own words pass unchanged
    ['inProgress', 'inProgress'],
    ['high', 'high'],
  ])('should store %s as %s', (word, expected) => {
    expect(graphEnumWord(word)).toBe(expected);
  });

  it('should keep no value as no value', () => {
    expect(graphEnumWord(null)).toBeNull();
    expect(graphEnumWord(undefined)).toBeNull();
    expect(graphEnumWord('')).toBeNull();
    expect(graphDetectionSource(undefined)).toBeNull();
  });

  it.each([
    ['WindowsDefenderAtp', 'microsoftDefenderForEndpoint'],
    ['WindowsDefenderAv', 'antivirus'],
    ['WindowsDefenderSmartScreen', 'smartScreen'],
    ['CustomerTI', 'customTi'],
    ['MTP', 'microsoft365Defender'],
    ['CustomDetection', 'customDetection'],
    ['AutomatedInvestigation', 'automatedInvestigation'],
    ['antivirus', 'antivirus'],
  ])("should store the detection source %s as Graph's %s", (source, expected) => {
    expect(graphDetectionSource(source)).toBe(expected);
  });

  it('should name the three sources an alert or incident is read from', () => {
    expect(activitySources).toEqual(['graph', 'mde', 'xdr']);
  });
});
