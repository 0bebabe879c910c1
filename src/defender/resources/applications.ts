import { createHash, X509Certificate } from 'node:crypto';
import type { ApiHttp } from '../api-http.js';
import type { ResolvedDefenderConfig } from '../config.js';
import { DefenderError, DefenderErrorCode, DefenderPermissionError } from '../errors.js';
import { withQuery } from '../paging.js';
import {
  graphCollectionSchema,
  validateApplication,
  type Application,
  type KeyCredential,
  type PasswordCredential,
} from '../schemas/application.js';
import type { DefenderTimestamp } from '../schemas/timestamp.js';

/** The least privileged Graph application permission that reads app registrations. */
export const APPLICATION_READ_ROLE = 'Application.Read.All';

const SELECT = 'id,appId,displayName,passwordCredentials,keyCredentials';

type ClientCredential = ResolvedDefenderConfig['credential'];

/** The app registration's credential this client signs in with, as Graph describes it (never its value). */
export interface CredentialInUse {
  readonly type: 'secret' | 'certificate';
  /** Graph's `keyId`: the "Secret ID" or certificate ID the portal shows. */
  readonly keyId: string;
  readonly displayName: string | null;
  readonly startDateTime: DefenderTimestamp | null;
  /** Null when Graph gives none: the credential does not expire. */
  readonly endDateTime: DefenderTimestamp | null;
}

/**
 * What reading the credential's registration gave. `notPermitted` is an answer, not a failure: the app may sign
 * in and import everything without Application.Read.All, it only cannot see its own expiry dates.
 */
export type CredentialLookup =
  | { readonly kind: 'found'; readonly credential: CredentialInUse }
  /** The app registration was read, but none of its credentials is the one this client signs in with. */
  | { readonly kind: 'notListed' }
  | { readonly kind: 'applicationNotFound' }
  | {
      readonly kind: 'notPermitted';
      readonly requiredRole: string;
      readonly grantedRoles: readonly string[];
      readonly message: string;
    };

/** App registrations through Microsoft Graph (`/v1.0/applications`), for the expiry of the client's own credential. */
export class ApplicationsResource {
  readonly #http: ApiHttp;
  readonly #url: string;
  readonly #clientId: string;
  readonly #credential: ClientCredential;

  constructor(http: ApiHttp, graphBaseUrl: string, clientId: string, credential: ClientCredential) {
    this.#http = http;
    this.#url = `${graphBaseUrl}/v1.0/applications`;
    this.#clientId = clientId;
    this.#credential = credential;
  }

  /** The app registration with this Application (client) ID, or undefined. Needs Application.Read.All. */
  async byAppId(appId: string, signal?: AbortSignal): Promise<Application | undefined> {
    const url = withQuery(this.#url, { $filter: `appId eq '${appId.replace(/'/g, "''")}'`, $select: SELECT });
    const json = await this.#http.json({ url, audience: 'graph', apiClass: 'graph', signal });
    const page = graphCollectionSchema.safeParse(json);
    if (!page.success) throw invalidAnswer('a body without a value list');
    const [first] = page.data.value;
    if (first === undefined) return undefined;
    const result = validateApplication(first);
    if (!result.ok) throw invalidAnswer(result.rejected.reason);
    return result.value;
  }

  /** Finds the credential this client signs in with on its own app registration: one Graph call. */
  async credentialInUse(signal?: AbortSignal): Promise<CredentialLookup> {
    let application: Application | undefined;
    try {
      application = await this.byAppId(this.#clientId, signal);
    } catch (error) {
      if (error instanceof DefenderPermissionError) return this.#notPermitted(error);
      throw error;
    }
    if (application === undefined) return { kind: 'applicationNotFound' };
    const credential = findCredentialInUse(application, this.#credential);
    return credential === undefined ? { kind: 'notListed' } : { kind: 'found', credential };
  }

  #notPermitted(refusal: DefenderPermissionError): CredentialLookup {
    const granted = refusal.grantedRoles;
    return {
      kind: 'notPermitted',
      requiredRole: APPLICATION_READ_ROLE,
      grantedRoles: granted,
      message:
        `Reading when the credential of app ${this.#clientId} expires needs ${APPLICATION_READ_ROLE} (Microsoft Graph, ` +
        `application permission); the app's Graph token carries ${granted.length === 0 ? 'no roles' : granted.join(', ')}. ` +
        'Add it under "API permissions" and grant admin consent to be warned before the credential expires.',
    };
  }
}

/**
 * The app's credential that `credential` is. A secret is known by its hint (its first three characters, which
 * Graph calls public); a certificate by its SHA-1 thumbprint, the default `customKeyIdentifier`.
 */
export function findCredentialInUse(
  application: Application,
  credential: ClientCredential,
): CredentialInUse | undefined {
  if (credential.type === 'secret') {
    // Only the three characters Graph shows anyway are taken from the value.
    const hint = credential.clientSecret.reveal().slice(0, 3);
    const matches = (application.passwordCredentials ?? []).filter((c) => c.hint === hint);
    return describe('secret', soonestToExpire(matches));
  }
  const thumbprint = certificateThumbprint(credential.certificatePem.reveal());
  if (thumbprint === undefined) return undefined;
  const matches = (application.keyCredentials ?? []).filter(
    (c) => keyIdentifierThumbprint(c.customKeyIdentifier) === thumbprint,
  );
  return describe('certificate', soonestToExpire(matches));
}

/**
 * Two secrets can share a three-character hint. Of those, the one that expires first is taken: an early warning
 * costs a look in the portal, a missed one costs the integration.
 */
function soonestToExpire<T extends PasswordCredential | KeyCredential>(matches: readonly T[]): T | undefined {
  const end = (c: T): number => c.endDateTime?.date.getTime() ?? Number.POSITIVE_INFINITY;
  return [...matches].sort((a, b) => end(a) - end(b))[0];
}

function describe(
  type: CredentialInUse['type'],
  match: PasswordCredential | KeyCredential | undefined,
): CredentialInUse | undefined {
  if (match === undefined) return undefined;
  return {
    type,
    keyId: match.keyId,
    displayName: match.displayName ?? null,
    startDateTime: match.startDateTime ?? null,
    endDateTime: match.endDateTime ?? null,
  };
}

/** SHA-1 thumbprint (upper-case hex, as the portal shows it) of the first certificate in a PEM bundle. */
export function certificateThumbprint(pem: string): string | undefined {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (block === undefined) return undefined;
  try {
    return createHash('sha1').update(new X509Certificate(block).raw).digest('hex').toUpperCase();
  } catch {
    return undefined;
  }
}

const HEX_THUMBPRINT = /^[0-9a-f]{40}$/i;

/**
 * `customKeyIdentifier` is binary, so its JSON form varies with the tool that uploaded the certificate: the hex
 * thumbprint itself, the thumbprint's 20 bytes in base64, or the hex text in base64. Each is read as the hex.
 */
export function keyIdentifierThumbprint(value: string | null | undefined): string | undefined {
  if (value == null || value === '') return undefined;
  if (HEX_THUMBPRINT.test(value)) return value.toUpperCase();
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 20) return bytes.toString('hex').toUpperCase();
  const text = bytes.toString('latin1');
  return HEX_THUMBPRINT.test(text) ? text.toUpperCase() : undefined;
}

function invalidAnswer(reason: string): DefenderError {
  return new DefenderError(
    DefenderErrorCode.InvalidResponse,
    `/v1.0/applications answered with an app registration the client cannot read: ${reason}.`,
  );
}
