import { constants, verify } from 'node:crypto';
import { decodeJwtPart } from './access-token.js';
import type { CertificateRegistry } from './certificate-registry.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Why a certificate client assertion was refused, as the AADSTS code Entra uses for it. */
export interface AssertionFailure {
  readonly code: number;
  readonly description: string;
}

/**
 * Checks a client assertion the way Entra does: a JWT signed with a certificate registered on the app (found by
 * its `x5t`/`x5t#S256` thumbprint; RS256, PS256 — what MSAL sends with SHA-256 thumbprints — or ES256), issued
 * and subject = the client id, audience = this tenant's token endpoint, not expired.
 */
export function checkClientAssertion(
  assertion: string,
  clientId: string,
  tenantNames: readonly string[],
  registry: CertificateRegistry,
  nowSeconds: number,
): AssertionFailure | undefined {
  const [headerPart, payloadPart, signaturePart] = assertion.split('.');
  const header = decodeJwtPart(headerPart);
  const claims = decodeJwtPart(payloadPart);
  if (header === undefined || claims === undefined || signaturePart === undefined) {
    return { code: 50027, description: 'JWT token is invalid or malformed.' };
  }
  const certificate = registry.find(header);
  if (certificate === undefined) {
    const given = header['x5t#S256'] ?? header.x5t;
    const thumbprint = typeof given === 'string' ? given : '';
    return {
      code: 700027,
      description:
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., ` +
        `Thumbprint of key used by client: '${Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase()}', Please visit the Azure ` +
        `Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    };
  }
  const data = Buffer.from(`${headerPart ?? ''}.${payloadPart ?? ''}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const key = certificate.publicKey;
  let valid: boolean;
  switch (header.alg) {
    case 'RS256':
      valid = verify('sha256', data, key, signature);
      break;
    case 'PS256':
      valid = verify(
        'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      );
      break;
    case 'ES256':
      valid = verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      break;
    default:
      valid = false;
  }
  if (!valid) return { code: 700027, description: 'Client assertion failed signature validation.' };
  if (claims.iss !== clientId || claims.sub !== clientId) {
    return {
      code: 700021,
      description: "Client assertion application identifier doesn't match 'client_id' parameter.",
    };
  }
  if (!audienceIsTokenEndpoint(claims.aud, tenantNames)) {
    return {
      code: 700027,
      description:
        'Client assertion contains an invalid audience: it must be the token endpoint of this tenant.',
    };
  }
  if (
    typeof claims.exp !== 'number' ||
    claims.exp <= nowSeconds ||
    (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + 300)
  ) {
    return { code: 700024, description: 'Client assertion is not within its valid time range.' };
  }
  return undefined;
}

function audienceIsTokenEndpoint(aud: unknown, tenantNames: readonly string[]): boolean {
  if (typeof aud !== 'string') return false;
  let path: string;
  try {
    path = new URL(aud).pathname.toLowerCase();
  } catch {
    return false;
  }
  return tenantNames.some(
    (tenant) => path === `/${tenant}/oauth2/v2.0/token` || path === `/${tenant}/oauth2/token`,
  );
}
