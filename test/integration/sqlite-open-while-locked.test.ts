import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';

/**
 * Another process (a second CLI command, the CLI beside a running server) holds the file's lock for a moment
 * while this one opens it: the open must wait for the lock rather than fail with "database is locked".
 */
const holdLock = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
db.exec('pragma locking_mode = EXCLUSIVE');
db.exec('begin exclusive');
db.exec('create table if not exists held (id integer)');
process.stdout.write('locked\\n');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
db.exec('commit');
db.close();
`;

describe('opening the SQLite file while another process holds its lock', () => {
  it('should wait for the lock and open, not fail', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hub-lock-')), 'hub.db');
    const first = await createStore(`sqlite:${path}`);
    await first.close();

    const holder = spawn(process.execPath, ['--eval', holdLock, path, '600'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(holder.stdout, 'data')) as [Buffer];
    expect(line.toString()).toBe('locked\n');

    const started = performance.now();
    const data = await createStore(`sqlite:${path}`);
    const waited = performance.now() - started;
    await data.close();
    const [code] = (await once(holder, 'exit')) as [number];
    expect(code).toBe(0);
    expect(waited).toBeGreaterThan(100);
  });
});
