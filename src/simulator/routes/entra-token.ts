import { JWT_BEARER, checkClientAssertion } from '../auth/client-assertion.js';
import { sendAadError, unknownTenantText } from '../auth/aad-errors.js';
import { TOKEN_LIFETIME_SECONDS } from '../auth/access-token.js';
import { audienceOf, rolesFor } from '../auth/roles.js';
import { isTenant } from '../identity.js';
import type { Exchange } from '../http/exchange.js';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/responses.js';
import { type Route, open } from '../http/route.js';
import type { Handler } from './handler.js';

/** Client credentials from the form or, on v2, from HTTP Basic auth. */
function basicCredentials(ex: Exchange): { id: string; secret: string } | undefined {
  const header = ex.req.headers.authorization;
  if (header === undefined || !header.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

const missing = (parameter: string): string =>
  `The request body must contain the following parameter: '${parameter}'.`;

/**
 * `POST /{tenant}/oauth2/v2.0/token` (scope form) and `POST /{tenant}/oauth2/token` (v1, resource form), client
 * credentials only, with Entra's error for each way a sign-in goes wrong.
 */
function tokenHandler(version: 'v1' | 'v2'): Handler {
  return async (state, ex, [tenant = '']) => {
    const refuse = (status: number, error: string, code: number, description: string): Promise<void> => {
      state.stats.token(false);
      return sendAadError(ex, status, error, code, description);
    };
    const form = new URLSearchParams(await readBody(ex.req));
    const { identity } = state.tenant;
    if (!isTenant(identity, tenant)) return refuse(400, 'invalid_request', 90002, unknownTenantText(tenant));
    const grantType = form.get('grant_type');
    if (grantType === null) return refuse(400, 'invalid_request', 900144, missing('grant_type'));
    if (grantType !== 'client_credentials') {
      return refuse(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    }
    const basic = version === 'v2' ? basicCredentials(ex) : undefined;
    const clientId = form.get('client_id') ?? basic?.id;
    if (clientId === undefined) return refuse(400, 'invalid_request', 900144, missing('client_id'));
    if (clientId.toLowerCase() !== identity.clientId) {
      return refuse(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${identity.tenantDomain}'. This can happen if ` +
          'the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
          'You may have sent your authentication request to the wrong tenant.',
      );
    }
    const secret = form.get('client_secret') ?? basic?.secret;
    const assertion = form.get('client_assertion');
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (assertion !== null) {
      if (form.get('client_assertion_type') !== JWT_BEARER) {
        return refuse(
          400,
          'invalid_request',
          900144,
          `${missing('client_assertion_type')} It must be '${JWT_BEARER}'.`,
        );
      }
      const failure = checkClientAssertion(
        assertion,
        identity.clientId,
        [identity.tenantId, identity.tenantDomain.toLowerCase()],
        state.certificates,
        nowSeconds,
      );
      if (failure !== undefined) return refuse(401, 'invalid_client', failure.code, failure.description);
    } else if (secret === undefined) {
      return refuse(
        400,
        'invalid_request',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    } else if (secret !== identity.clientSecret) {
      return refuse(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client ' +
          `secret ID, for a secret added to app '${identity.clientId}'.`,
      );
    } else if (state.settings.secretExpiresAt <= state.tenant.clock.now) {
      return refuse(
        401,
        'invalid_client',
        7000222,
        `The provided client secret keys for app '${identity.clientId}' are expired. Visit the Azure portal to create new keys ` +
          'for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds',
      );
    }
    const target = targetResource(version, form);
    if ('error' in target) return refuse(400, target.error, target.code, target.description);
    const audience = audienceOf(target.resource);
    if (audience === undefined) {
      return refuse(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${target.resource} was not found in the tenant named ${identity.tenantDomain}. This can ` +
          'happen if the application has not been installed by the administrator of the tenant or consented to by any user in the ' +
          'tenant. You might have sent your authentication request to the wrong tenant.',
      );
    }
    const resource = target.resource.replace(/\/+$/, '');
    const token = state.tokens.issue(
      {
        aud: resource,
        iss: `https://sts.windows.net/${identity.tenantId}/`,
        idp: `https://sts.windows.net/${identity.tenantId}/`,
        appid: identity.clientId,
        appidacr: assertion === null ? '1' : '2',
        oid: identity.servicePrincipalId,
        sub: identity.servicePrincipalId,
        tid: identity.tenantId,
        roles: rolesFor(audience, state.settings.roles),
      },
      nowSeconds,
    );
    state.stats.token(true);
    if (version === 'v2') {
      return sendJson(ex, 200, {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        ext_expires_in: TOKEN_LIFETIME_SECONDS,
        access_token: token,
      });
    }
    // The v1 endpoint sends its numbers as strings.
    return sendJson(ex, 200, {
      token_type: 'Bearer',
      expires_in: String(TOKEN_LIFETIME_SECONDS),
      ext_expires_in: String(TOKEN_LIFETIME_SECONDS),
      expires_on: String(nowSeconds + TOKEN_LIFETIME_SECONDS),
      not_before: String(nowSeconds),
      resource: target.resource,
      access_token: token,
    });
  };
}

type Target =
  | { readonly resource: string }
  | { readonly error: string; readonly code: number; readonly description: string };

/** v2 asks for `<resource>/.default` (client credentials accept nothing else); v1 names the resource itself. */
function targetResource(version: 'v1' | 'v2', form: URLSearchParams): Target {
  if (version === 'v1') {
    const resource = form.get('resource');
    return resource === null
      ? { error: 'invalid_request', code: 900144, description: missing('resource') }
      : { resource };
  }
  const scope = form.get('scope');
  if (scope === null) return { error: 'invalid_request', code: 900144, description: missing('scope') };
  const scopes = scope.split(/\s+/).filter((s) => s !== '');
  const only = scopes[0];
  if (scopes.length !== 1 || only === undefined || !only.endsWith('/.default')) {
    return {
      error: 'invalid_scope',
      code: 70011,
      description: `The provided value for the input parameter 'scope' isn't valid. The scope ${scope} isn't valid.`,
    };
  }
  return { resource: only.slice(0, -'/.default'.length) };
}

/** The token endpoints, v2.0 and v1. */
export const entraTokenRoutes: readonly Route[] = [
  open(
    'POST',
    '/{tenant}/oauth2/v2.0/token',
    /^\/([^/]+)\/oauth2\/v2\.0\/token$/,
    'entra',
    tokenHandler('v2'),
  ),
  open('POST', '/{tenant}/oauth2/token', /^\/([^/]+)\/oauth2\/token$/, 'entra', tokenHandler('v1')),
];
