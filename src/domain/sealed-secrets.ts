/**
 * The kinds of value the hub keeps sealed at rest (one per sealed column), each with the authenticated data of
 * its seal: a ciphertext opens only for the row it was sealed for, so one copied to another row (by SQL, a
 * restore, a bug) fails its integrity check instead of lending a credential.
 */
export const sealContext = {
  integration: (id: string): string => `integration:${id}`,
} as const;
export type SealedKind = keyof typeof sealContext;
