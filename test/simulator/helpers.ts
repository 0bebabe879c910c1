import { afterAll } from 'vitest';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const MDE = 'https://api.securitycenter.microsoft.com';
export const GRAPH = 'https://graph.microsoft.com';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A simulator for one test file, reached over real HTTPS that trusts only its CA. */
export class SimHarness {
  readonly sim: RunningSimulator;
  readonly agent: Agent;

  private constructor(sim: RunningSimulator, connect: { lookup?: LookupFunction } = {}) {
    this.sim = sim;
    this.agent = new Agent({ connect: { ca: sim.caPem, ...connect } });
  }

  /** Starts a simulator that lives until the test file ends (call at file or describe level). */
  static async start(options: SimulatorOptions = {}): Promise<SimHarness> {
    const harness = await SimHarness.open(options);
    afterAll(() => harness.close());
    return harness;
  }

  /** Starts a simulator the caller closes (inside a test). Rate limits are off unless asked for. */
  static async open(
    options: SimulatorOptions = {},
    connect: { lookup?: LookupFunction } = {},
  ): Promise<SimHarness> {
    return new SimHarness(await startSimulator({ rateLimits: false, ...options }), connect);
  }

  async close(): Promise<void> {
    await this.agent.close();
    await this.sim.close();
  }

  async call(
    path: string,
    init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; token?: string } = {},
  ): Promise<Reply> {
    const url = path.startsWith('https://') ? path : `${this.sim.url}${path}`;
    const headers = {
      ...init.headers,
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
    };
    const response = await request(url, {
      dispatcher: this.agent,
      method: init.method ?? 'GET',
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  }

  async json<T>(path: string, token?: string): Promise<T> {
    const reply = await this.call(path, token === undefined ? {} : { token });
    if (reply.status !== 200) throw new Error(`GET ${path}: HTTP ${reply.status} ${reply.text}`);
    return JSON.parse(reply.text) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const reply = await this.call(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    if (reply.status !== 200) throw new Error(`POST ${path}: HTTP ${reply.status} ${reply.text}`);
    return JSON.parse(reply.text) as T;
  }

  tokenRequest(
    form: Record<string, string>,
    version: 'v1' | 'v2' = 'v2',
    tenant = this.sim.tenantId,
  ): Promise<Reply> {
    const path =
      version === 'v2'
        ? `/${tenant}/oauth2/v2.0/token?client-request-id=7d0c6e1e-0000-4000-8000-000000000001`
        : `/${tenant}/oauth2/token`;
    return this.call(path, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async token(resource: string = MDE): Promise<string> {
    const reply = await this.tokenRequest({
      grant_type: 'client_credentials',
      client_id: this.sim.clientId,
      client_secret: this.sim.clientSecret,
      scope: `${resource}/.default`,
    });
    if (reply.status !== 200) throw new Error(`token: HTTP ${reply.status} ${reply.text}`);
    return (JSON.parse(reply.text) as { access_token: string }).access_token;
  }
}

export interface ODataPage<T = Record<string, unknown>> {
  readonly '@odata.context': string;
  readonly '@odata.nextLink'?: string;
  readonly '@odata.count'?: number;
  readonly value: T[];
}

/** A list page of OData (`@odata.nextLink`) or of Azure Resource Manager (`nextLink`). */
export interface ListPage {
  readonly value: Record<string, unknown>[];
  readonly '@odata.nextLink'?: string;
  readonly nextLink?: string;
}

export interface Summary {
  epoch: number;
  now: string;
  machines: number;
  findings: number;
  findingsWithoutCve: number;
  vulnerabilities: number;
  alerts: number;
  incidents: number;
  byPlatform: Record<string, number>;
  bySeverity: Record<string, number>;
}

/**
 * Follows the next links from `path` (`@odata.nextLink` unless `nextOf` reads another, e.g. ARM's `nextLink`)
 * and returns every record with the number of pages.
 */
export async function readAllPages(
  harness: SimHarness,
  path: string,
  token: string,
  nextOf: (page: ListPage) => string | undefined = (page) => page['@odata.nextLink'],
): Promise<{ records: Record<string, unknown>[]; pages: number }> {
  const records: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next !== undefined) {
    const page: ListPage = await harness.json<ListPage>(next, token);
    records.push(...page.value);
    pages++;
    next = nextOf(page);
  }
  return { records, pages };
}
