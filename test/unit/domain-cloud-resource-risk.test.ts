import { describe, expect, it } from 'vitest';
import { cloudResourceRiskLevel, cloudResourceRiskRank } from '../../src/domain/cloud-resource-risk.js';

describe('cloudResourceRiskLevel', () => {
  it.each([
    [null, null, 'None'],
    ['Low', null, 'Low'],
    [null, 'Medium', 'Medium'],
    ['High', 'Low', 'High'],
    ['Low', 'High', 'High'],
    ['Medium', 'Medium', 'Medium'],
    [' high ', 'low', 'High'],
    [null, 'Critical', 'Critical'],
    ['Informational', null, 'None'],
    ['SomethingNew', 'Low', 'Low'],
  ] as const)('should rate assessment %s and finding %s as %s', (assessment, finding, expected) => {
    expect(
      cloudResourceRiskLevel({ worstAssessmentSeverity: assessment, worstFindingSeverity: finding }),
    ).toBe(expected);
  });

  it('should rank the level on the risk scale, None 0 to Critical 4', () => {
    expect(cloudResourceRiskRank({ worstAssessmentSeverity: null, worstFindingSeverity: undefined })).toBe(0);
    expect(cloudResourceRiskRank({ worstAssessmentSeverity: 'Low', worstFindingSeverity: null })).toBe(1);
    expect(cloudResourceRiskRank({ worstAssessmentSeverity: 'Medium', worstFindingSeverity: 'High' })).toBe(
      3,
    );
    expect(cloudResourceRiskRank({ worstAssessmentSeverity: null, worstFindingSeverity: 'Critical' })).toBe(
      4,
    );
  });
});
