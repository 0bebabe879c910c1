import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigErrorCode, fileVariables, loadConfig } from '../../src/app/config.js';
import type { HubError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'dh-config-'));
const base = { HUB_DATA_DIR: dir };

/** A file holding `text`, as a container platform mounts a secret. */
function secretFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

function failure(env: NodeJS.ProcessEnv): HubError {
  try {
    loadConfig(env);
  } catch (error) {
    return error as HubError;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('should listen on 127.0.0.1 unless HUB_HOST says otherwise', () => {
    expect(loadConfig(base).host).toBe('127.0.0.1');
    expect(loadConfig({ ...base, HUB_HOST: ' 0.0.0.0 ' }).host).toBe('0.0.0.0');
    expect(failure({ ...base, HUB_HOST: ' ' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('HUB_HOST') as unknown,
    });
  });

  it('should keep /metrics behind sign-in unless HUB_METRICS_PUBLIC is true', () => {
    expect(loadConfig(base).metricsPublic).toBe(false);
    expect(loadConfig({ ...base, HUB_METRICS_PUBLIC: 'true' }).metricsPublic).toBe(true);
    expect(failure({ ...base, HUB_METRICS_PUBLIC: 'yes' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'HUB_METRICS_PUBLIC must be true or false.',
    });
  });

  it('should read each *_FILE variable from its file, without the trailing line break', () => {
    const key = 'k3y-from-a-docker-secret-0123456789abcdef';
    const config = loadConfig({
      ...base,
      HUB_SECRET_KEY_FILE: secretFile('key', `${key}\n`),
      HUB_ADMIN_PASSWORD_FILE: secretFile('password', 'correct horse battery staple\r\n'),
      DATABASE_URL_FILE: secretFile('url', `sqlite:${join(dir, 'from-file.db')}\n\n`),
    });
    expect(config.secretKey).toBe(key);
    expect(config.adminPassword).toBe('correct horse battery staple');
    expect(config.databaseUrl).toBe(`sqlite:${join(dir, 'from-file.db')}`);
  });

  it.each(fileVariables)('should refuse %s and %s_FILE set together', (name) => {
    const canary = 'canary-value-in-the-file-0123456789';
    const error = failure({ ...base, [name]: 'sqlite:x.db', [`${name}_FILE`]: secretFile(name, canary) });
    expect(error.code).toBe(ConfigErrorCode.FileConflict);
    expect(error.message).toBe(`Both ${name} and ${name}_FILE are set: set only one of them.`);
  });

  it('should name the variable and the path of a file it cannot read, and what went wrong', () => {
    const missing = join(dir, 'no-such-secret');
    const error = failure({ ...base, HUB_SECRET_KEY_FILE: missing });
    expect(error.code).toBe(ConfigErrorCode.FileUnreadable);
    expect(error.message).toContain(`HUB_SECRET_KEY_FILE names ${missing}, which cannot be read (ENOENT)`);
    expect(failure({ ...base, HUB_ADMIN_PASSWORD_FILE: dir }).message).toContain('(EISDIR)');
  });

  it('should refuse an empty file rather than fall back to the default', () => {
    // An empty HUB_SECRET_KEY means "use the key file": a secret that failed to mount must not mean that.
    const error = failure({ ...base, HUB_SECRET_KEY_FILE: secretFile('empty', '\n') });
    expect(error.code).toBe(ConfigErrorCode.FileEmpty);
    expect(error.message).toContain('HUB_SECRET_KEY_FILE names');
  });

  it('should say which file a wrong value came from, without showing the value', () => {
    const path = secretFile('bad-url', 'mysql://hub:canary-password-0123@db/hub\n');
    const error = failure({ ...base, DATABASE_URL_FILE: path });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(
      new RegExp(`^DATABASE_URL \\(from DATABASE_URL_FILE ${path}\\) must start with sqlite: or postgres://`),
    );
    expect(error.message).not.toContain('canary-password');
  });
});
