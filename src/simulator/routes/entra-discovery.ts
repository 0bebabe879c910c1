import { sendAadError, unknownTenantText } from '../auth/aad-errors.js';
import { isTenant } from '../identity.js';
import { sendJson } from '../http/responses.js';
import { type Route, open } from '../http/route.js';
import type { Handler } from './handler.js';

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration` (and the v1 twin). MSAL reads it before the first token
 * request and needs `token_endpoint`, `issuer`, `authorization_endpoint` and `jwks_uri`.
 */
const openIdConfiguration: Handler = async (state, ex, [tenant = '']) => {
  const { identity } = state.tenant;
  if (!isTenant(identity, tenant)) {
    return sendAadError(ex, 400, 'invalid_tenant', 90002, unknownTenantText(tenant));
  }
  const base = `${state.baseUrl()}/${identity.tenantId}`;
  const v2 = ex.pathname.includes('/v2.0/');
  const oauth = v2 ? `${base}/oauth2/v2.0` : `${base}/oauth2`;
  return sendJson(ex, 200, {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${base}/v2.0` : `https://sts.windows.net/${identity.tenantId}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${state.baseUrl()}/oidc/userinfo`,
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'roles'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
};

/** `GET /{tenant}/discovery/v2.0/keys`: the public key access tokens are signed with. */
const signingKeys: Handler = async (state, ex) => sendJson(ex, 200, state.tokens.jwks());

/** OpenID discovery and signing keys, per tenant. */
export const entraDiscoveryRoutes: readonly Route[] = [
  open(
    'GET',
    '/{tenant}/v2.0/.well-known/openid-configuration',
    /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/,
    'entra',
    openIdConfiguration,
  ),
  open(
    'GET',
    '/{tenant}/.well-known/openid-configuration',
    /^\/([^/]+)\/\.well-known\/openid-configuration$/,
    'entra',
    openIdConfiguration,
  ),
  open('GET', '/{tenant}/discovery/keys', /^\/([^/]+)\/discovery(?:\/v2\.0)?\/keys$/, 'entra', signingKeys),
];
