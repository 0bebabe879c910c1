import type { FastifyInstance } from 'fastify';
import type { Hub } from '../src/app/hub.js';
import { buildServer } from '../src/server/build-server.js';

/** The strategies whose evaluation is timed: one over patch fields, one that needs the patch × endpoint pairs. */
const benchStrategies = [
  'Defender.SeverityLevel in ("Critical","High") and Defender.KnownExploitExists = true',
  'Defender.SeverityLevel >= "High" and Endpoint.RiskLevel >= "High"',
];

/**
 * The endpoint table's pages in each order, and the lists that join across sources: the CVE catalog (endpoint
 * catalogs merged with cloud findings' CVEs), patches, cloud resources, and the endpoint ↔ Entra ID device join
 * both ways.
 */
const joinedPages = [
  // The endpoint table's pages as the web UI asks for them: each order, a far page and a search.
  '/api/v1/endpoints?sort=name&pageSize=50',
  '/api/v1/endpoints?sort=-lastSeen&pageSize=50',
  '/api/v1/endpoints?sort=-risk&pageSize=50',
  '/api/v1/endpoints?sort=os&pageSize=50',
  '/api/v1/endpoints?sort=name&page=1000&pageSize=50',
  '/api/v1/endpoints?sort=name&search=desk&pageSize=50',
  '/api/v1/vulnerabilities?pageSize=50',
  '/api/v1/vulnerabilities?pageSize=50&sort=-exposedCloudResources',
  '/api/v1/vulnerabilities?pageSize=50&search=CVE-2024',
  '/api/v1/patches?pageSize=50',
  '/api/v1/cloud/resources?pageSize=50',
  '/api/v1/entra-devices?onboarded=false&pageSize=50',
  '/api/v1/endpoints?entra=none&pageSize=50',
  '/api/v1/endpoints?entra=joined&sort=-lastSeen&pageSize=50',
];

export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

async function timed(
  app: FastifyInstance,
  url: string,
  token: string,
): Promise<{ ms: number; total: number }> {
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const ms = performance.now() - started;
  if (response.statusCode !== 200)
    throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
  return { ms, total: (JSON.parse(response.body) as { total: number }).total };
}

const riskLevels = ['Critical', 'High', 'Medium', 'Low', 'None'];

/** A few requests first, so the figures are of a running server, not of its first compilations. */
async function warmUp(app: FastifyInstance, token: string): Promise<void> {
  for (const level of riskLevels) await timed(app, `/api/v1/endpoints?riskLevel=${level}`, token);
}

/**
 * Through the HTTP API, on the synced store: the endpoint list filtered by risk level (a page at a time, every
 * level in turn) and each benchmark strategy's matches (first page, 100 endpoints per patch).
 */
export async function queryTimings(hub: Hub): Promise<void> {
  const app = await buildServer(hub);
  // Timed as a script calls the API: with a token, authenticated on every request.
  await hub.auth.ensureFirstAdmin(undefined);
  const token = await hub.auth.issueAdminToken('bench');
  try {
    await warmUp(app, token);
    const list: number[] = [];
    for (let i = 0; i < 100; i++) {
      const level = riskLevels[i % riskLevels.length] ?? 'High';
      list.push(
        (await timed(app, `/api/v1/endpoints?riskLevel=${level}&page=${1 + (i % 4)}&pageSize=50`, token)).ms,
      );
    }
    console.log(
      `endpoint list with a risk filter: p95 ${percentile(list, 0.95).toFixed(1)} ms, median ${percentile(list, 0.5).toFixed(1)} ms (100 requests of 50 rows)`,
    );
    for (const url of joinedPages) {
      const runs: number[] = [];
      for (let r = 0; r < 20; r++) runs.push((await timed(app, url, token)).ms);
      console.log(
        `${url}: p95 ${percentile(runs, 0.95).toFixed(1)} ms, median ${percentile(runs, 0.5).toFixed(1)} ms (20 requests)`,
      );
    }
    for (const [i, expression] of benchStrategies.entries()) {
      const { id } = await hub.strategies.create({ name: `bench ${i} ${Date.now()}`, expression });
      const runs = [];
      try {
        for (let r = 0; r < 5; r++)
          runs.push(await timed(app, `/api/v1/patch-strategies/${id}/matches?pageSize=50`, token));
      } finally {
        await hub.strategies.remove(id);
      }
      console.log(
        `strategy ${JSON.stringify(expression)}: ${runs[0]?.total ?? 0} patches, slowest of 5 runs ${Math.max(...runs.map((r) => r.ms)).toFixed(0)} ms, median ${percentile(
          runs.map((r) => r.ms),
          0.5,
        ).toFixed(0)} ms`,
      );
    }
  } finally {
    await app.close();
  }
}

/**
 * The endpoint list through the API while this process runs a findings sync, as `serve` does: SQLite reads and
 * the sync's parsing share the main thread, so a long step of the sync shows here. One request every 100 ms from
 * the start of the run to its end.
 */
export async function apiDuringSync(
  hub: Hub,
  sync: () => Promise<unknown>,
): Promise<{ p95: number; median: number; max: number; requests: number }> {
  const app = await buildServer(hub);
  await hub.auth.ensureFirstAdmin(undefined);
  const token = await hub.auth.issueAdminToken('bench during sync');
  try {
    await warmUp(app, token);
    const state = { running: true };
    const run = sync().finally(() => {
      state.running = false;
    });
    const times: number[] = [];
    while (state.running) {
      const level = riskLevels[times.length % riskLevels.length] ?? 'High';
      times.push((await timed(app, `/api/v1/endpoints?riskLevel=${level}&pageSize=50`, token)).ms);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await run;
    return {
      p95: percentile(times, 0.95),
      median: percentile(times, 0.5),
      max: Math.max(...times),
      requests: times.length,
    };
  } finally {
    await app.close();
  }
}
