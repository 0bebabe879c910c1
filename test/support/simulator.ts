import { afterAll } from 'vitest';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
  type SimulatorStats,
} from '../../src/simulator/index.js';
import {
  createDefenderClient,
  type DefenderClient,
  type DefenderClientOptions,
} from '../../src/defender/index.js';
import type { DefenderClientConfigInput } from '../../src/defender/config.js';

/** Starts a simulator for the test file and stops it when the file is done. */
export async function useSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ rateLimits: false, ...options });
  afterAll(() => sim.close());
  return sim;
}

/** The integration settings a user would enter for this simulator, trusting its CA. */
export function simulatorConfig(
  sim: RunningSimulator,
  change: Partial<DefenderClientConfigInput> = {},
): DefenderClientConfigInput {
  return {
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    credential: { type: 'secret', clientSecret: sim.clientSecret },
    apiBaseUrl: sim.apiBaseUrl,
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
    caPem: sim.caPem,
    ...change,
  };
}

export function clientFor(
  sim: RunningSimulator,
  change: Partial<DefenderClientConfigInput> = {},
  options: DefenderClientOptions = {},
): DefenderClient {
  const client = createDefenderClient(simulatorConfig(sim, change), options);
  afterAll(() => client.close());
  return client;
}

/**
 * The Defender and Graph routes the simulator served that name one item, other than a software product's or a
 * recommendation's device list (one call per item of a catalog): what a sync must never call per machine.
 */
export async function perItemRoutes(sim: RunningSimulator): Promise<string[]> {
  const stats = await simGet<SimulatorStats>(sim, '/_sim/stats');
  return Object.keys(stats.requests.byRoute).filter(
    (route) =>
      /^[A-Z]+ \/(api|v1\.0)\//.test(route) &&
      route.includes('{') &&
      !route.startsWith('GET /api/Software/{id}/') &&
      !route.startsWith('GET /api/recommendations/{id}/'),
  );
}

/** GET a `/_sim/*` route as JSON (no token needed). */
export async function simGet<T>(sim: RunningSimulator, path: string): Promise<T> {
  return (await simFetch(sim, path, 'GET')) as T;
}

export async function simPost<T>(sim: RunningSimulator, path: string, body: unknown): Promise<T> {
  return (await simFetch(sim, path, 'POST', body)) as T;
}

async function simFetch(
  sim: RunningSimulator,
  path: string,
  method: string,
  body?: unknown,
): Promise<unknown> {
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
  try {
    const response = await request(`${sim.url}${path}`, {
      method: method as 'GET' | 'POST',
      dispatcher,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new Error(`${method} ${path}: HTTP ${response.statusCode} ${text}`);
    return text.trim().startsWith('{') || text.trim().startsWith('[') ? (JSON.parse(text) as unknown) : text;
  } finally {
    await dispatcher.close();
  }
}

/** Drains a batch iterator into ids and rejected reasons. */
export async function drain<T>(
  batches: AsyncIterable<{ items: T[]; rejected: { reason: string }[] }>,
  idOf: (item: T) => string,
): Promise<{ ids: string[]; rejected: string[] }> {
  const ids: string[] = [];
  const rejected: string[] = [];
  for await (const batch of batches) {
    for (const item of batch.items) ids.push(idOf(item));
    for (const r of batch.rejected) rejected.push(r.reason);
  }
  return { ids, rejected };
}
