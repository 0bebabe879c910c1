import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** A database of its own per run: a SQLite file in a fresh directory, or a fresh PostgreSQL database. */
export async function benchDatabase(
  dialect: string,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-sync-bench-'));
  const env = { HUB_DATA_DIR: dir, HUB_SECRET_KEY: randomBytes(32).toString('base64') };
  const removeDir = (): void => {
    rmSync(dir, { recursive: true, force: true });
  };
  if (dialect === 'sqlite') {
    return {
      env,
      drop: () => {
        removeDir();
        return Promise.resolve();
      },
    };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = (statement: string): Promise<void> =>
    withClient(async (client) => {
      await client.query(statement);
    });
  await admin(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    env: { ...env, DATABASE_URL: url.href },
    drop: async () => {
      // `with (force)` would end connections a closing pool may still hold; let them close first.
      await new Promise((done) => setTimeout(done, 2000));
      await admin(`drop database ${name}`);
      removeDir();
    },
  };
}

export async function withClient(work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
