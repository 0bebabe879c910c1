import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirEnv, expectOneClearLine, runCli, startCli } from './cli.js';

/** Starts `serve` on a free port and answers the address it says it serves, then stops it. */
async function servedAddress(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  // Silent: the first stdout line is then serve's own, not a log record.
  const serve = startCli(['serve', '--port', '0', ...args], { ...env, LOG_LEVEL: 'silent' });
  try {
    const line = await serve.firstLine;
    const url = /^defender-hub serving (http:\/\/\S+) /.exec(line)?.[1];
    if (url === undefined) throw new Error(`not the serving line: ${line}`);
    return new URL(url).hostname;
  } finally {
    serve.child.kill('SIGTERM');
    const exit = await serve.exit;
    expect(exit.code, exit.stderr).toBe(0);
  }
}

describe('defender-hub serve', () => {
  it('should listen on HUB_HOST, on --host when both are given, and on 127.0.0.1 by default', async () => {
    // Every 127.x address is the loopback interface on Linux: listening there needs no network.
    const env = { ...dataDirEnv(), HUB_HOST: '127.0.0.2' };
    expect(await servedAddress([], env)).toBe('127.0.0.2');
    expect(await servedAddress(['--host', '127.0.0.3'], env)).toBe('127.0.0.3');
    expect(await servedAddress([], dataDirEnv())).toBe('127.0.0.1');
  });
});

describe('*_FILE variables', () => {
  it('should open the database DATABASE_URL_FILE names', async () => {
    const { HUB_DATA_DIR: dir = '' } = dataDirEnv();
    const urlFile = join(dir, 'database-url');
    writeFileSync(urlFile, `sqlite:${join(dir, 'from-file.db')}\n`);
    const result = await runCli(['migrate'], { HUB_DATA_DIR: dir, DATABASE_URL_FILE: urlFile });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`to sqlite:${join(dir, 'from-file.db')}.`);
  });

  it('should refuse a variable set both ways, and an unreadable file, in one clear line without the contents', async () => {
    const env = dataDirEnv();
    const keyFile = join(env.HUB_DATA_DIR ?? '', 'key');
    const key = 'a-canary-key-that-must-never-be-printed-0123456789';
    writeFileSync(keyFile, key);
    const both = await runCli(['migrate'], { ...env, HUB_SECRET_KEY: key, HUB_SECRET_KEY_FILE: keyFile });
    expectOneClearLine(
      both,
      /Both HUB_SECRET_KEY and HUB_SECRET_KEY_FILE are set.*\[CONFIG_FILE_CONFLICT\]$/,
    );

    const missing = join(env.HUB_DATA_DIR ?? '', 'no-password-here');
    const unreadable = await runCli(['migrate'], { ...env, HUB_ADMIN_PASSWORD_FILE: missing });
    expectOneClearLine(
      unreadable,
      new RegExp(
        `HUB_ADMIN_PASSWORD_FILE names ${missing}, which cannot be read \\(ENOENT\\).*\\[CONFIG_FILE_UNREADABLE\\]$`,
      ),
    );
    for (const result of [both, unreadable]) expect(result.stderr + result.stdout).not.toContain(key);
  });
});
