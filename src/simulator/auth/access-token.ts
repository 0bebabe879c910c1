import { generateKeyPair, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { audienceOf, type Audience } from './roles.js';

/** The claims the simulator puts in (and checks on) an access token, as Entra's v1 app tokens carry them. */
export interface AccessClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly appid: string;
  readonly appidacr: string;
  readonly idp: string;
  readonly oid: string;
  readonly sub: string;
  readonly tid: string;
  readonly roles: readonly string[];
  readonly uti: string;
  readonly ver: '1.0';
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: AccessClaims; readonly audience: Audience }
  | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' | 'audience' };

/** An hour, less the second Entra takes off. */
export const TOKEN_LIFETIME_SECONDS = 3599;

export function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeJwtPart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Issues and verifies RS256 access tokens with a key generated per start. Token times follow the wall clock, not
 * the simulated one: a client caches tokens by real time, and advancing the simulated clock must not log it out.
 */
export class TokenIssuer {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly kid: string;

  private constructor(privateKey: KeyObject, publicKey: KeyObject) {
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
    this.kid = randomUUID().replaceAll('-', '');
  }

  static async create(): Promise<TokenIssuer> {
    const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    return new TokenIssuer(privateKey, publicKey);
  }

  issue(claims: Omit<AccessClaims, 'iat' | 'nbf' | 'exp' | 'uti' | 'ver'>, nowSeconds: number): string {
    const full: AccessClaims = {
      ...claims,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + TOKEN_LIFETIME_SECONDS + 1,
      uti: randomUUID().replaceAll('-', '').slice(0, 22),
      ver: '1.0',
    };
    const signingInput = `${base64UrlJson({ typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid })}.${base64UrlJson(full)}`;
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), this.#privateKey).toString('base64url')}`;
  }

  check(token: string, nowSeconds: number): TokenCheck {
    const [header, payload, signature] = token.split('.');
    const claims = decodeJwtPart(payload);
    if (decodeJwtPart(header)?.alg !== 'RS256' || claims === undefined || signature === undefined)
      return { ok: false, reason: 'malformed' };
    const valid = verify(
      'sha256',
      Buffer.from(`${header ?? ''}.${payload ?? ''}`),
      this.#publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return { ok: false, reason: 'signature' };
    const typed = claims as unknown as AccessClaims;
    if (typeof typed.exp !== 'number' || typed.exp <= nowSeconds || typed.nbf > nowSeconds + 300)
      return { ok: false, reason: 'expired' };
    const audience = audienceOf(typed.aud);
    if (audience === undefined) return { ok: false, reason: 'audience' };
    return { ok: true, claims: typed, audience };
  }

  /** The signing key as a JWKS document (what `jwks_uri` serves). */
  jwks(): Record<string, unknown> {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.kid,
          x5t: this.kid,
          n: jwk.n,
          e: jwk.e,
          issuer: 'https://sts.windows.net/{tenantid}/',
        },
      ],
    };
  }
}
