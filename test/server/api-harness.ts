import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { openHub, type Hub } from '../../src/app/hub.js';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import { datasets } from '../../src/sync/sync-service.js';
import type { SyncRun } from '../../src/store/index.js';
import type { HubConfig } from '../../src/app/config.js';
import { buildServer } from '../../src/server/build-server.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { postgresUrl, type TestDialect } from '../support/stores.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import type { RetryOptions } from '../../src/defender/retry-policy.js';
import type { RateGovernorOptions } from '../../src/defender/rate-governor.js';
import { testGovernor } from '../support/hub.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An answer, its JSON body typed as the caller expects it. */
export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

export interface CallOptions {
  /** Another API token to send, or null for none (anonymous); the admin's token by default. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

export interface TestApi {
  readonly hub: Hub;
  readonly app: FastifyInstance;
  /** Every answer body this file received, to check no secret ever crossed. */
  readonly bodies: string[];
  /** The first admin's name and password, and an admin API token that `call` sends unless told otherwise. */
  readonly admin: { readonly username: string; readonly password: string; readonly token: string };
  /** `Authorization` header of the admin token, for requests made with `app.inject` directly. */
  readonly authHeaders: Record<string, string>;
  call<T = unknown>(
    method: Method,
    url: string,
    payload?: unknown,
    options?: CallOptions,
  ): Promise<Answer<T>>;
  /** A new user of that role and an API token of theirs. */
  tokenFor(role: 'admin' | 'analyst' | 'viewer'): Promise<string>;
  /**
   * "Sync now" through the API, and its runs: answered by the server itself (SQLite, 200), or queued (PostgreSQL,
   * 202) and then run by a worker in this process, the answer's runs being the ones the worker made.
   */
  syncNow(integrationId: string, body?: unknown): Promise<Answer<{ runs: SyncRun[] }>>;
}

export interface TestHubOptions {
  readonly retry?: Partial<RetryOptions>;
  /** The hub's API budget (see testGovernor: scaled up unless a test is about the budget). */
  readonly governor?: Partial<RateGovernorOptions>;
  readonly config?: Partial<HubConfig>;
}

/**
 * A hub opened the way the CLI opens it (openHub over a fresh SQLite file or PostgreSQL schema) with a first
 * admin and an admin API token, closed after the test file.
 */
export async function useTestHub(
  dialect: TestDialect,
  options: TestHubOptions = {},
): Promise<{ hub: Hub; admin: TestApi['admin'] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dh-api-'));
  let databaseUrl = `sqlite:${join(dataDir, 'hub.db')}`;
  let schema: string | undefined;
  if (dialect === 'postgres') {
    schema = `t_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create schema ${schema}`);
    databaseUrl = postgresUrl;
  }
  const hub = await openHub(
    {
      dataDir,
      databaseUrl,
      host: '127.0.0.1',
      port: 0,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: undefined,
      logLevel: 'silent',
      ...options.config,
    },
    {
      // Quick retries: tests that break the service on purpose should not wait minutes of back-off.
      tuning: {
        retry: { maxAttempts: 3, baseDelayMs: 20, ...options.retry },
        governor: { ...testGovernor, ...options.governor },
      },
      // Actions are tracked against the simulator's clock, which tests move on: poll often.
      actions: { pollIntervalMs: 20, maxPollIntervalMs: 200 },
      ...(schema === undefined ? {} : { schema }),
    },
  );
  afterAll(async () => {
    await hub.close();
    if (schema !== undefined)
      await adminQuery(`drop schema ${schema} cascade; drop schema if exists ${schema}_jobs cascade`);
  });
  const admin = { username: 'admin', password: randomBytes(12).toString('base64url') };
  await hub.auth.ensureFirstAdmin(admin.password);
  const token = await hub.auth.issueAdminToken('tests');
  return { hub, admin: { ...admin, token } };
}

/** A test hub (see useTestHub) and the server built on it, torn down after the test file. */
export async function useApi(dialect: TestDialect, options: TestHubOptions = {}): Promise<TestApi> {
  const { hub, admin } = await useTestHub(dialect, options);
  const { token } = admin;
  const authHeaders = { authorization: `Bearer ${token}` };
  const app = await buildServer(hub);
  // Registered after the hub's: vitest runs afterAll hooks in reverse, so the server closes first.
  afterAll(() => app.close());
  const bodies: string[] = [];
  const call = async <T>(
    method: Method,
    url: string,
    payload?: unknown,
    given: CallOptions = {},
  ): Promise<Answer<T>> => {
    const sent = given.token === undefined ? token : given.token;
    const options: InjectOptions = {
      method,
      url,
      headers: { ...(sent === null ? {} : { authorization: `Bearer ${sent}` }), ...given.headers },
    };
    if (payload !== undefined) options.payload = payload as NonNullable<InjectOptions['payload']>;
    const response = await app.inject(options);
    bodies.push(response.body);
    const text = response.body;
    return { status: response.statusCode, text, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
  return {
    hub,
    app,
    bodies,
    admin,
    authHeaders,
    call,
    async syncNow(integrationId, body = {}) {
      const before = await runIdsOf(hub, integrationId);
      const answer = await call<{ runs: SyncRun[] }>(
        'POST',
        `/api/v1/integrations/${encodeURIComponent(integrationId)}/sync`,
        body,
      );
      if (answer.status !== 202) return answer;
      await new SyncWorker(hub.jobs!, hub.sync, { concurrency: 2 }).drain();
      const order = datasets.map((d) => d.name as string);
      const runs = (await allRunsOf(hub, integrationId))
        .filter((run) => !before.has(run.id))
        .sort((a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset));
      return { ...answer, body: { runs } };
    },
    async tokenFor(role) {
      const { user } = await hub.auth.createUser({
        username: `${role}-${randomBytes(4).toString('hex')}`,
        role,
      });
      const principal = { kind: 'token' as const, userId: user.id, username: user.username, role };
      return (await hub.auth.createToken(principal, { name: `${role} token`, role })).token;
    },
  };
}

async function allRunsOf(hub: Hub, integrationId: string): Promise<SyncRun[]> {
  return (await hub.data.syncRuns.list({ integrationId }, { page: 1, pageSize: 500 })).items;
}

async function runIdsOf(hub: Hub, integrationId: string): Promise<Set<number>> {
  return new Set((await allRunsOf(hub, integrationId)).map((run) => run.id));
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The create body a user would send for this simulator. */
export function simulatorSettings(sim: RunningSimulator, change: Record<string, unknown> = {}) {
  return { ...simulatorIntegrationSettings(sim, 'simulated'), ...change };
}

/** Every item of a list route, read page by page at the largest page size; each page must answer 200. */
export async function allPages<T>(api: TestApi, url: string): Promise<T[]> {
  const sep = url.includes('?') ? '&' : '?';
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const { status, body, text } = await api.call<{ items: T[]; total: number }>(
      'GET',
      `${url}${sep}pageSize=500&page=${page}`,
    );
    if (status !== 200) throw new Error(`${url} answered ${status}: ${text}`);
    items.push(...body.items);
    if (body.items.length < 500) {
      if (items.length !== body.total)
        throw new Error(`${url} listed ${items.length} items of ${body.total}`);
      return items;
    }
  }
}
