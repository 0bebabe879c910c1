import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessClaims } from '../auth/access-token.js';
import type { FaultDecision } from './faults.js';

/** Which service a route imitates; decides error shapes, faults, auth and rate limits. */
/** `xdr`: the Microsoft 365 Defender API, on the Defender host with a token of its own. */
export type Surface = 'mde' | 'graph' | 'xdr' | 'arm' | 'blob' | 'entra' | 'sim';

/** Query parameters looked up case-insensitively (`pageSize` and Microsoft's own `pagesize` both work). */
export class Query {
  readonly #params: ReadonlyMap<string, string>;

  constructor(search: URLSearchParams) {
    const params = new Map<string, string>();
    for (const [key, value] of search) params.set(key.toLowerCase(), value);
    this.#params = params;
  }

  get(name: string): string | undefined {
    return this.#params.get(name.toLowerCase());
  }
}

/** One request and its response, with what the pipeline learned about it on the way to the handler. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Pathname with the optional `/api/v1.0` version segment folded into `/api`. */
  readonly pathname: string;
  readonly query: Query;
  readonly surface: Surface;
  readonly requestId: string;
  faults: FaultDecision;
  /** The caller's verified token, once the pipeline checked it (MDE and Graph routes only). */
  claims: AccessClaims | undefined;
}
