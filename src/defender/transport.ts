import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Readable } from 'node:stream';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';

export interface TransportOptions {
  /** Extra trusted CA certificates (PEM), e.g. a TLS-inspecting proxy's or the simulator's. */
  readonly caPem?: string | undefined;
  /** Overrides HTTPS_PROXY. */
  readonly httpsProxy?: string | undefined;
  /** Overrides NO_PROXY (comma-separated hosts that bypass the proxy). */
  readonly noProxy?: string | undefined;
  readonly connectTimeoutMs?: number | undefined;
  /** Time without a byte before a response counts as dead. */
  readonly bodyTimeoutMs?: number | undefined;
}

/**
 * Every outbound request of one integration goes through one of these: the same trusted CAs and the same
 * proxy for the token endpoint, the APIs and the export blobs. Verification is never switched off: an extra CA
 * is added to the trusted set, the way an enterprise trusts its inspecting proxy.
 */
export class Transport {
  readonly dispatcher: Dispatcher;

  constructor(options: TransportOptions = {}) {
    const tls = { ca: trustedCertificates(options.caPem) };
    this.dispatcher = new EnvHttpProxyAgent({
      ...(options.httpsProxy === undefined ? {} : { httpsProxy: options.httpsProxy }),
      ...(options.noProxy === undefined ? {} : { noProxy: options.noProxy }),
      connect: { ...tls, timeout: options.connectTimeoutMs ?? 15_000 },
      requestTls: tls,
      proxyTls: tls,
      bodyTimeout: options.bodyTimeoutMs ?? 120_000,
      headersTimeout: options.bodyTimeoutMs ?? 120_000,
    });
  }

  request(
    url: string,
    options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { signal?: AbortSignal },
  ): Promise<Dispatcher.ResponseData> {
    return request(url, { ...options, dispatcher: this.dispatcher });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

/** System roots, NODE_EXTRA_CA_CERTS (Node drops it once `ca` is given) and the integration's own CA. */
function trustedCertificates(extraPem: string | undefined): string[] {
  const certificates = [...rootCertificates];
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  if (extraFile !== undefined && extraFile !== '') {
    try {
      certificates.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same by ignoring it.
    }
  }
  if (extraPem !== undefined && extraPem.trim() !== '') certificates.push(extraPem);
  return certificates;
}

/** An answer from the authority that was not a token; kept so a failed getToken() can be explained. */
export interface AuthorityFailure {
  readonly status: number;
  readonly body: string;
}

/**
 * Adapts a Transport to the Azure SDK's HttpClient so @azure/identity's token requests take the same CA and
 * proxy path as every other request. It also remembers the last error answer, because the SDK turns some of
 * them (an unknown tenant's discovery document, say) into a generic "endpoints_resolution_error".
 */
export class AzureHttpClient implements HttpClient {
  readonly #transport: Transport;
  #lastFailure: AuthorityFailure | undefined;
  #lastNetworkError: unknown;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  get lastFailure(): AuthorityFailure | undefined {
    return this.#lastFailure;
  }

  /** The last request that never got an answer (TLS refused, host unreachable): the SDK rewraps those too. */
  get lastNetworkError(): unknown {
    return this.#lastNetworkError;
  }

  clearLastFailure(): void {
    this.#lastFailure = undefined;
    this.#lastNetworkError = undefined;
  }

  async sendRequest(req: PipelineRequest): Promise<PipelineResponse> {
    const response = await this.#transport
      .request(req.url, {
        method: req.method,
        headers: req.headers.toJSON(),
        body: typeof req.body === 'string' ? req.body : bodyFromAzure(req.body),
        ...(req.abortSignal === undefined ? {} : { signal: req.abortSignal as AbortSignal }),
      })
      .catch((error: unknown) => {
        this.#lastNetworkError = error;
        throw error;
      });
    const bodyAsText = await response.body.text();
    if (response.statusCode >= 400) this.#lastFailure = { status: response.statusCode, body: bodyAsText };
    const headers = createHttpHeaders();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return { request: req, status: response.statusCode, headers, bodyAsText };
  }
}

function bodyFromAzure(body: PipelineRequest['body']): string | Buffer | Readable | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Token requests only ever send form strings; anything else would be a programming error upstream.
  throw new TypeError('Unsupported request body type for the Defender transport.');
}
