import { DefenderErrorCode } from './errors.js';

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

const unreachableCodes = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface NetworkProblem {
  readonly code: typeof DefenderErrorCode.TlsUntrusted | typeof DefenderErrorCode.HostUnreachable;
  readonly message: string;
}

/** Finds a TLS-trust or can't-connect failure anywhere in an error's cause chain and says what to do. */
export function describeNetworkError(error: unknown, url: string): NetworkProblem | undefined {
  const origin = URL.canParse(url) ? new URL(url).origin : url;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (tlsCodes.has(code)) {
      return {
        code: DefenderErrorCode.TlsUntrusted,
        message:
          `The TLS certificate of ${origin} is not trusted (${code}). If a proxy inspects TLS, add its CA certificate (PEM) ` +
          "to the integration's trusted CA; otherwise check that the host name is right.",
      };
    }
    if (unreachableCodes.has(code)) {
      return {
        code: DefenderErrorCode.HostUnreachable,
        message:
          `Could not connect to ${origin} (${code}). Check the host name (the regional API host, e.g. https://eu.api.security.microsoft.com), ` +
          'the proxy setting (HTTPS_PROXY) and the firewall.',
      };
    }
  }
  return undefined;
}
