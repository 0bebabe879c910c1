import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/app/scheduler.js';
import { createDefenderClient } from '../../src/defender/index.js';
import { encode, exportFormats } from '../../src/export/formats.js';
import { exportDatasets } from '../../src/store/index.js';
import { buildServer } from '../../src/server/build-server.js';
import { SyncWorker } from '../../src/jobs/sync-worker.js';
import type { SyncRun } from '../../src/store/index.js';
import { simPost, simulatorConfig, useSimulator } from '../support/simulator.js';
import { dialects, postgresUrl } from '../support/stores.js';
import { simulatorSettings, useApi, type TestApi } from '../server/api-harness.js';
import { storeOf } from '../../src/store/testing.js';

/**
 * The canary: secret values given to the hub (a client secret through the API, a wrong one through "test
 * connection", the master key, the admin's password and API token) must appear nowhere in plaintext, neither in
 * the database files, the log at every level, the API's answers, the exports nor the errors, after a full sync,
 * failed test connections, a sync that crashes mid-stream and a sync process killed mid-run. Access tokens (JWTs) must appear nowhere either.
 */

// A random seed gives the simulated tenant, and so the client secret, a value no other run has used.
const sim = await useSimulator({ machines: 20, seed: randomInt(1_000, 1_000_000), findingsPerMachine: 3 });
const wrongSecret = `wrong-${randomBytes(18).toString('base64url')}`;
const accessToken = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

interface Integration {
  id: string;
}
interface Answer {
  status: number;
  text: string;
}

/** Where a canary was found: "<what> in <where>". Empty when nothing leaked. */
function leaks(
  haystacks: ReadonlyMap<string, string | Buffer>,
  canaries: Readonly<Record<string, string>>,
): string[] {
  const found: string[] = [];
  for (const [where, haystack] of haystacks) {
    const bytes = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
    for (const [what, value] of Object.entries(canaries))
      if (bytes.includes(Buffer.from(value))) found.push(`${what} in ${where}`);
    if (accessToken.test(bytes.toString('latin1'))) found.push(`an access token in ${where}`);
  }
  return found;
}

/** Every table of the test's PostgreSQL schema as text, row by row. */
async function postgresTables(schema: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      'select table_name as name from information_schema.tables where table_schema = $1',
      [schema],
    );
    const dump = new Map<string, string>();
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`select t::text as row from "${schema}"."${name}" t`);
      dump.set(`table ${name}`, rows.rows.map((r) => r.row).join('\n'));
    }
    return dump;
  } finally {
    await client.end();
  }
}

/** The SQLite database's files as they are on disk: the main file, its WAL and its shared-memory index. */
function sqliteFiles(path: string): Map<string, Buffer> {
  const files = readdirSync(dirname(path)).filter((name) => name.startsWith(basename(path)));
  return new Map(files.map((name) => [`file ${name}`, readFileSync(join(dirname(path), name))]));
}

describe.each(dialects)('the secret canary on %s', (dialect) => {
  let api: TestApi;
  let app: FastifyInstance;
  const logs: string[] = [];
  const answers = new Map<string, string>();
  const errors = new Map<string, string>();
  let integration: Integration;
  let wrong: Integration;
  let canaries: Record<string, string>;

  async function call(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Answer> {
    const options: InjectOptions = { method, url, headers: api.authHeaders };
    if (payload !== undefined) options.payload = payload as NonNullable<InjectOptions['payload']>;
    const response = await app.inject(options);
    answers.set(`the answer to ${method} ${url} #${answers.size}`, response.body);
    return { status: response.statusCode, text: response.body };
  }

  /**
   * "Sync now" through the API, and the runs it made as the API lists them: answered at once (SQLite), or queued
   * (PostgreSQL, 202) and run by a worker in this process first. Every answer goes through `call`.
   */
  async function syncNow(id: string, body: unknown): Promise<Answer> {
    const runs = async (): Promise<{ id: number }[]> => {
      const listed = await call('GET', `/api/v1/sync-runs?integration=${id}&pageSize=100`);
      return (JSON.parse(listed.text) as { items: { id: number }[] }).items;
    };
    const before = new Set((await runs()).map((run) => run.id));
    const asked = await call('POST', `/api/v1/integrations/${id}/sync`, body);
    if (asked.status !== 202) return asked;
    await new SyncWorker(api.hub.jobs!, api.hub.sync).drain();
    const made = (await runs()).filter((run) => !before.has(run.id));
    return { status: asked.status, text: JSON.stringify({ runs: made }) };
  }

  beforeAll(async () => {
    api = await useApi(dialect);
    // The harness's hub with a server of its own whose log is captured at trace, through the hub's redaction.
    app = await buildServer(api.hub, {
      logger: { level: 'trace', stream: { write: (line) => logs.push(line) } },
    });
    afterAll(() => app.close());
    canaries = {
      'the client secret': sim.clientSecret,
      'the wrong client secret': wrongSecret,
      'the master key (HUB_SECRET_KEY)': api.hub.config.secretKey ?? '',
      "the admin's password": api.admin.password,
      "the admin's API token": api.admin.token,
    };
  });

  it('should create an integration with a secret, through the API', async () => {
    const created = await call('POST', '/api/v1/integrations', simulatorSettings(sim));
    expect(created.status, created.text).toBe(201);
    integration = JSON.parse(created.text) as Integration;
  });

  it('should crash a sync mid-stream: the findings export connection breaks past the retries', async () => {
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: 'reset', path: '/api/machines/SoftwareVulnerabilitiesByMachine', count: 50 }],
    });
    // As `serve` runs it: the scheduler logs through the server's logger.
    const runs: SyncRun[] = [];
    let findingsDone: () => void = () => undefined;
    const findingsRan = new Promise<void>((resolve) => {
      findingsDone = resolve;
    });
    const scheduler = new Scheduler(api.hub, {
      logger: app.log,
      onRun: (row) => {
        runs.push(row);
        if (row.dataset === 'findings') findingsDone();
      },
    });
    await scheduler.start();
    await findingsRan;
    await scheduler.stop();
    await simPost(sim, '/_sim/faults', { clear: true });
    expect(runs.find((r) => r.dataset === 'machines')?.status).toBe('succeeded');
    expect(runs.find((r) => r.dataset === 'findings')?.status).toBe('failed');
    expect(logs.some((line) => line.includes('"level":40') && line.includes('findings'))).toBe(true);

    // The same failure thrown by the client itself, inspected whole (causes, hidden fields and all).
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: 'reset', path: '/api/machines/SoftwareVulnerabilitiesByMachine', count: 50 }],
    });
    const client = createDefenderClient(simulatorConfig(sim), {
      tuning: { retry: { maxAttempts: 2, baseDelayMs: 10 } },
    });
    try {
      let records = 0;
      for await (const batch of client.findings.exportJson()) records += batch.items.length;
      throw new Error(`the export should have failed, it gave ${records} records`);
    } catch (error) {
      errors.set('the error of a broken export', inspect(error, { depth: null, showHidden: true }));
      errors.set('the inspected client', inspect(client, { depth: null, showHidden: true }));
    } finally {
      await client.close();
      await simPost(sim, '/_sim/faults', { clear: true });
    }
  });

  it('should crash a sync process: killed mid-run (SIGKILL), its output and its half-written store kept', async () => {
    const { config } = api.hub;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sync-child.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: config.databaseUrl,
        HUB_DATA_DIR: config.dataDir,
        HUB_SECRET_KEY: config.secretKey,
        SYNC_INTEGRATION: integration.id,
        ...(storeOf(api.hub.data).schema === undefined ? {} : { SYNC_SCHEMA: storeOf(api.hub.data).schema }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    for await (const line of createInterface({ input: child.stdout })) {
      output += `${line}\n`;
      if (line === 'started') break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    errors.set('the output of the killed sync process', output);
  });

  it('should run a full sync', async () => {
    const { status, text } = await syncNow(integration.id, { full: true });
    expect(status, text).toBe(dialect === 'sqlite' ? 200 : 202);
    const { runs } = JSON.parse(text) as { runs: { dataset: string; status: string }[] };
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
  });

  it('should fail to test connections with a wrong secret, saved and unsaved', async () => {
    const unsaved = await call(
      'POST',
      '/api/v1/integrations/test',
      simulatorSettings(sim, { clientSecret: wrongSecret }),
    );
    expect(unsaved.status, unsaved.text).toBe(200);
    const result = JSON.parse(unsaved.text) as { ok: boolean; steps: { code?: string }[] };
    expect(result.ok).toBe(false);
    expect(result.steps.map((step) => step.code)).toContain('DEFENDER_AUTH_WRONG_SECRET');

    const created = await call(
      'POST',
      '/api/v1/integrations',
      simulatorSettings(sim, { name: 'wrong', clientSecret: wrongSecret, enabled: false }),
    );
    expect(created.status, created.text).toBe(201);
    wrong = JSON.parse(created.text) as Integration;
    const saved = await call('POST', `/api/v1/integrations/${wrong.id}/test`);
    expect(JSON.parse(saved.text)).toMatchObject({ ok: false });
    const sync = await syncNow(wrong.id, { dataset: 'machines' });
    expect(sync.text).toContain('DEFENDER_AUTH_WRONG_SECRET');

    try {
      const client = createDefenderClient(
        simulatorConfig(sim, { credential: { type: 'secret', clientSecret: wrongSecret } }),
      );
      try {
        await client.grantedRoles('defender');
      } finally {
        await client.close();
      }
      throw new Error('the sign-in should have failed');
    } catch (error) {
      errors.set('the error of a failed sign-in', inspect(error, { depth: null, showHidden: true }));
    }
  });

  it('should have no secret in plaintext anywhere', async () => {
    // Every GET of the OpenAPI document that needs no parameter, and the integrations' own.
    const document = JSON.parse((await call('GET', '/api/openapi.json')).text) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const plain = Object.entries(document.paths)
      .filter(([path, methods]) => 'get' in methods && !path.includes('{'))
      .map(([path]) => path);
    expect(plain.length).toBeGreaterThan(15);
    for (const path of [
      ...plain,
      '/healthz',
      ...[integration.id, wrong.id].map((id) => `/api/v1/integrations/${id}`),
    ])
      await call('GET', path);

    const exports = new Map<string, string>();
    for (const dataset of exportDatasets) {
      for (const format of exportFormats) {
        const source = api.hub.data.exports[dataset];
        let text = '';
        for await (const part of encode(format, source.columns, source.records({}))) text += part;
        exports.set(`export ${dataset} as ${format}`, text);
      }
    }
    expect(exports.get('export findings as csv')?.split('\r\n').length).toBeGreaterThan(10);

    const store = storeOf(api.hub.data);
    const database =
      store.dialect === 'sqlite'
        ? sqliteFiles(store.location.slice('sqlite:'.length))
        : await postgresTables(store.schema ?? 'public');
    expect(database.size).toBeGreaterThan(dialect === 'sqlite' ? 1 : 20);
    // The canary looks where the secrets would be: the ciphertext of the integration is in there.
    const sealed = await api.hub.data.integrations.sealedCredential(integration.id);
    const ciphertext = Buffer.from(sealed!.slice(-16));
    expect([...database.values()].some((haystack) => Buffer.from(haystack).includes(ciphertext))).toBe(true);

    expect(logs.length).toBeGreaterThan(50);
    const haystacks = new Map<string, string | Buffer>([
      ...database,
      ...logs.map((line, i) => [`log line ${i + 1}`, line] as const),
      ...answers,
      ...exports,
      ...errors,
    ]);
    expect(leaks(haystacks, canaries)).toEqual([]);
  });

  it('should catch a deliberately leaking log line (the canary is not blind)', () => {
    const from = logs.length;
    // Redacted, however deep: the canary passes these.
    app.log.info({ integration: { settings: { credential: { clientSecret: sim.clientSecret } } } }, 'nested');
    app.log.error(
      { err: new Error('failed', { cause: { request: { password: api.admin.password } } }) },
      'cause',
    );
    // A secret pasted into a message: no redaction can know it is one. The canary must catch it.
    app.log.debug(`signing in to ${sim.authorityHost} with ${sim.clientSecret}`);
    const lines = new Map(logs.slice(from).map((line, i) => [`log line ${from + i + 1}`, line]));
    expect(leaks(lines, canaries)).toEqual([`the client secret in log line ${from + 3}`]);
  });
});
