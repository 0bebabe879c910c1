/**
 * How a device sits in the directory, from Graph's `trustType`: `AzureAd` is Entra joined, `ServerAd` hybrid
 * joined (on-premises AD, synced), anything else (`Workplace`, none) registered.
 */
export const entraJoinTypes = ['joined', 'registered', 'hybridJoined'] as const;
export type EntraJoinType = (typeof entraJoinTypes)[number];

/** The `entra` filter of the endpoint list: a join type of the endpoint's device, or `none` (no device). */
export const entraFilterValues = [...entraJoinTypes, 'none'] as const;
export type EntraFilterValue = (typeof entraFilterValues)[number];

export function joinTypeOf(trustType: string | null): EntraJoinType {
  if (trustType === 'AzureAd') return 'joined';
  if (trustType === 'ServerAd') return 'hybridJoined';
  return 'registered';
}
