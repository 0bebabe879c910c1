import { describe, expect, it } from 'vitest';
import { entraFilterValues, entraJoinTypes, joinTypeOf } from '../../src/domain/entra-join.js';

describe('Entra join types', () => {
  it.each([
    ['AzureAd', 'joined'],
    ['ServerAd', 'hybridJoined'],
    ['Workplace', 'registered'],
    [null, 'registered'],
  ] as const)('should read trustType %s as %s', (trustType, joinType) => {
    expect(joinTypeOf(trustType)).toBe(joinType);
  });

  it('should filter by every join type, or by no device', () => {
    expect(entraFilterValues).toEqual([...entraJoinTypes, 'none']);
  });
});
