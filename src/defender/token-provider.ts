import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import type { ResolvedDefenderConfig } from './config.js';
import { DefenderAuthError, DefenderErrorCode, entraReference, type EntraErrorBody } from './errors.js';
import { entraErrorBodySchema } from './schemas/envelopes.js';
import { isMicrosoftAuthorityHost } from './clouds.js';
import { AzureHttpClient, type Transport } from './transport.js';
import { describeNetworkError } from './network-errors.js';

/** `xdr`: the Microsoft 365 Defender API (incidents), a resource of its own beside Defender for Endpoint's. */
export type Audience = 'defender' | 'graph' | 'arm' | 'xdr';

/** Refresh this long before expiry so a token never dies during a long page download. */
const refreshMarginMs = 5 * 60_000;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Access tokens for the audiences of one tenant (Defender, Graph, Azure Resource Manager, Microsoft 365 Defender), through @azure/identity. Failures become typed errors that
 * name the mistake (a wrong secret, an expired one, an unknown app or tenant) instead of MSAL's generic text.
 */
export class TokenProvider {
  readonly #config: ResolvedDefenderConfig;
  readonly #http: AzureHttpClient;
  #credential: TokenCredential;
  readonly #cache = new Map<Audience, CachedToken>();
  readonly #pending = new Map<Audience, Promise<string>>();

  constructor(config: ResolvedDefenderConfig, transport: Transport) {
    this.#config = config;
    this.#http = new AzureHttpClient(transport);
    this.#credential = this.#createCredential();
  }

  /** A valid token for the audience, from cache when it has more than a few minutes left. */
  getToken(audience: Audience, signal?: AbortSignal): Promise<string> {
    const cached = this.#cache.get(audience);
    if (cached !== undefined && cached.expiresAt - Date.now() > refreshMarginMs)
      return Promise.resolve(cached.token);
    // Concurrent callers share one token request.
    let pending = this.#pending.get(audience);
    if (pending === undefined) {
      pending = this.#fetch(audience, signal).finally(() => this.#pending.delete(audience));
      this.#pending.set(audience, pending);
    }
    return pending;
  }

  /**
   * Forget a token the API refused (revoked, or expired early). The credential is rebuilt as well, because
   * MSAL's own cache would hand back the same refused token.
   */
  invalidate(audience: Audience, token: string): void {
    if (this.#cache.get(audience)?.token !== token) return;
    this.#cache.clear();
    this.#credential = this.#createCredential();
  }

  async #fetch(audience: Audience, signal: AbortSignal | undefined): Promise<string> {
    const resource = {
      defender: this.#config.defenderAudience,
      graph: this.#config.graphAudience,
      arm: this.#config.armAudience,
      xdr: this.#config.xdrAudience,
    }[audience];
    this.#http.clearLastFailure();
    try {
      const token = await this.#credential.getToken(
        `${resource}/.default`,
        signal === undefined ? {} : { abortSignal: signal },
      );
      // getToken's null means "no token and no reason": treat it as a failure with whatever the authority said.
      if (token === null) throw new Error('The credential returned no token.');
      this.#cache.set(audience, { token: token.token, expiresAt: token.expiresOnTimestamp });
      return token.token;
    } catch (error) {
      throw this.#explain(error);
    }
  }

  #createCredential(): TokenCredential {
    const { tenantId, clientId, credential, authorityHost } = this.#config;
    const options = {
      authorityHost,
      // Instance discovery asks login.microsoftonline.com about the authority; a custom host (sovereign
      // proxy, the simulator) is unknown there and discovery would fail.
      disableInstanceDiscovery: !isMicrosoftAuthorityHost(authorityHost),
      httpClient: this.#http,
      retryOptions: { maxRetries: 2 },
    };
    return credential.type === 'secret'
      ? new ClientSecretCredential(tenantId, clientId, credential.clientSecret.reveal(), options)
      : new ClientCertificateCredential(
          tenantId,
          clientId,
          { certificate: credential.certificatePem.reveal() },
          options,
        );
  }

  #explain(error: unknown): DefenderAuthError {
    const failure = this.#http.lastFailure;
    const entra = failure === undefined ? undefined : parseEntraError(failure.body);
    if (entra !== undefined) return this.#fromEntra(entra, failure?.status, error);
    const network = describeNetworkError(this.#http.lastNetworkError ?? error, this.#config.authorityHost);
    if (network !== undefined) return new DefenderAuthError(network.code, network.message, { cause: error });
    return new DefenderAuthError(
      DefenderErrorCode.AuthFailed,
      `Signing in to ${this.#config.authorityHost} failed: ${safeMessage(error)}. Check the tenant ID, client ID and credential.`,
      { cause: error },
    );
  }

  #fromEntra(entra: EntraErrorBody, status: number | undefined, cause: unknown): DefenderAuthError {
    const { tenantId, clientId, credential } = this.#config;
    const has = (code: number): boolean => entra.aadsts.includes(code);
    const ids = ` ${entraReference(entra)}`;
    const fail = (
      code: (typeof DefenderErrorCode)[keyof typeof DefenderErrorCode],
      message: string,
    ): DefenderAuthError => new DefenderAuthError(code, message + ids, { cause, entra, status });

    if (has(7000215)) {
      if (credential.type === 'secret' && guid.test(credential.clientSecret.reveal())) {
        return fail(
          DefenderErrorCode.SecretIdInsteadOfValue,
          'The client secret looks like the secret\'s ID (a GUID), not its value. In the app registration\'s "Certificates & secrets", copy the Value column (shown only when the secret is created; create a new secret if it is hidden).',
        );
      }
      return fail(
        DefenderErrorCode.WrongSecret,
        `Entra ID rejected the client secret of app ${clientId}. Paste the secret's Value (not its ID) from "Certificates & secrets", or create a new secret.`,
      );
    }
    if (has(7000222)) {
      return fail(
        DefenderErrorCode.SecretExpired,
        `The client secret of app ${clientId} has expired. Create a new secret in the app registration's "Certificates & secrets" and update this integration.`,
      );
    }
    if (has(700016)) {
      return fail(
        DefenderErrorCode.UnknownApplication,
        `No application with client ID ${clientId} exists in tenant ${tenantId}. Check the Application (client) ID, and that the app is registered (or consented) in this tenant.`,
      );
    }
    if (has(90002) || entra.error === 'invalid_tenant') {
      return fail(
        DefenderErrorCode.UnknownTenant,
        `Tenant ${tenantId} was not found. Use the Directory (tenant) ID GUID or a verified domain of the tenant, and check the cloud (commercial or US Gov).`,
      );
    }
    if (has(700027) || has(700024) || has(700023)) {
      return fail(
        DefenderErrorCode.InvalidCertificate,
        `Entra ID rejected the certificate assertion of app ${clientId}. Upload the certificate's public part to the app registration, and use its matching private key here.`,
      );
    }
    return fail(DefenderErrorCode.AuthFailed, `Entra ID refused a token: ${firstLine(entra.description)}.`);
  }
}

function parseEntraError(body: string): EntraErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = entraErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const codes =
    parsed.data.error_codes.length > 0
      ? parsed.data.error_codes
      : codesFromDescription(parsed.data.error_description);
  return {
    error: parsed.data.error,
    aadsts: codes,
    description: parsed.data.error_description,
    traceId: parsed.data.trace_id,
    correlationId: parsed.data.correlation_id,
  };
}

function codesFromDescription(description: string): number[] {
  return [...description.matchAll(/AADSTS(\d+)/g)].map((m) => Number(m[1]));
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? text).replace(/\.$/, '');
}

function safeMessage(error: unknown): string {
  return error instanceof Error ? firstLine(error.message) : 'unknown error';
}
