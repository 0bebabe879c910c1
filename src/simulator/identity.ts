import { rngFor, Stream } from './random.js';

/** The simulated tenant's directory objects, derived from the seed so a demo's credentials are stable. */
export interface TenantIdentity {
  readonly tenantId: string;
  /** `<org>.onmicrosoft.com`, accepted wherever the tenant GUID is. */
  readonly tenantDomain: string;
  /** Used for machine DNS names and user principal names. */
  readonly orgName: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The secret's *ID*: users paste it instead of the value; the token endpoint answers AADSTS7000215. */
  readonly clientSecretId: string;
  /** Object id of the app's service principal (the token's `oid`/`sub`). */
  readonly servicePrincipalId: string;
  /** Object id of the app registration (Graph `application.id`, not the client id). */
  readonly applicationObjectId: string;
  /** An older client secret of the same app, expired long ago: only its ID and hint are ever shown. */
  readonly previousSecret: { readonly keyId: string; readonly hint: string };
}

const ORGS = [
  'contoso',
  'fabrikam',
  'northwind',
  'tailspin',
  'woodgrove',
  'adatum',
  'litware',
  'proseware',
  'wingtip',
];
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';

export function deriveIdentity(seed: number): TenantIdentity {
  const rng = rngFor(seed, Stream.identity);
  const orgName = `${rng.pick(ORGS)}${rng.between(10, 99)}`;
  const randomChars = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += SECRET_ALPHABET[rng.int(SECRET_ALPHABET.length)] ?? 'x';
    return out;
  };
  // Entra secret values are 40 characters: 3 random, the "8Q~" marker, 34 random.
  const clientSecret = `${randomChars(3)}8Q~${randomChars(34)}`;
  const identity = {
    tenantId: rng.guid(),
    tenantDomain: `${orgName}.onmicrosoft.com`,
    orgName,
    clientId: rng.guid(),
    clientSecret,
    clientSecretId: rng.guid(),
    servicePrincipalId: rng.guid(),
  };
  // Drawn after the others, so adding them left every earlier value of a seed as it was.
  const applicationObjectId = rng.guid();
  const previousSecret = { keyId: rng.guid(), hint: otherHint(randomChars(3), clientSecret) };
  return { ...identity, applicationObjectId, previousSecret };
}

/** The old secret must not share the current one's hint, or the hint would not tell them apart. */
function otherHint(hint: string, clientSecret: string): string {
  return hint === clientSecret.slice(0, 3) ? `${hint.slice(0, 2)}${hint.endsWith('x') ? 'y' : 'x'}` : hint;
}

/** Whether a `{tenant}` path segment names this tenant (its GUID or its onmicrosoft.com domain). */
export function isTenant(identity: TenantIdentity, name: string): boolean {
  const lower = name.toLowerCase();
  return lower === identity.tenantId || lower === identity.tenantDomain.toLowerCase();
}
