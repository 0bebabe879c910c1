import type { AccessClaims, TokenIssuer } from '../auth/access-token.js';
import type { Audience } from '../auth/roles.js';
import type { Exchange } from './exchange.js';

export type AuthOutcome =
  { readonly ok: true; readonly claims: AccessClaims } | { readonly ok: false; readonly message: string };

/**
 * Checks the bearer token of an API call: signed by this simulator, not expired, issued by this tenant, and for
 * the API being called (a Graph token on the Defender API is refused, and the other way round).
 */
export function authenticate(
  ex: Exchange,
  tokens: TokenIssuer,
  tenantId: string,
  expected: Audience,
): AuthOutcome {
  const header = ex.req.headers.authorization;
  if (header === undefined || !/^bearer\s+\S+/i.test(header)) {
    return { ok: false, message: 'Authorization header with a bearer token is missing.' };
  }
  const check = tokens.check(header.replace(/^bearer\s+/i, '').trim(), Math.floor(Date.now() / 1000));
  if (!check.ok) {
    const reasons = {
      malformed: 'The access token is malformed.',
      signature: 'The access token signature is invalid.',
      expired: 'The access token has expired or is not yet valid.',
      audience: 'The access token was issued for an unknown audience.',
    };
    return { ok: false, message: reasons[check.reason] };
  }
  if (check.claims.tid !== tenantId)
    return { ok: false, message: `The access token was issued for another tenant (${check.claims.tid}).` };
  if (check.audience !== expected && expected === 'arm') {
    return {
      ok: false,
      message:
        `The access token has been obtained for wrong audience or resource '${check.claims.aud}'. It should exactly match ` +
        "with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net'," +
        "'https://management.azure.com/','https://management.azure.com'.",
    };
  }
  if (check.audience !== expected) {
    return {
      ok: false,
      message: `The access token's audience '${check.claims.aud}' is not valid for this API.`,
    };
  }
  return { ok: true, claims: check.claims };
}

/**
 * MDE's and Graph's different 403 texts for a token without any of the roles a call needs. The Microsoft 365
 * Defender API shares MDE's error conventions, so it answers in MDE's words.
 */
export function missingRolesMessage(
  surface: Audience,
  required: readonly string[],
  granted: readonly string[],
): string {
  if (surface === 'graph') {
    return `Missing application roles. API required roles: ${required.join(',')}, application roles: ${granted.join(',')}.`;
  }
  return `The application does not have any of the required application permissions (${required.join(', ')}) to access the resource.`;
}
