import { describe, expect, it } from 'vitest';
import { openHub } from '../../src/app/hub.js';
import { loadConfig } from '../../src/app/config.js';
import { dataDirEnv, expectOneClearLine, runCli } from './cli.js';
import { databaseOf } from '../../src/store/testing.js';

describe('defender-hub users', () => {
  it('should add, list, reset and remove users, printing a generated password once and keeping the last admin', async () => {
    const env = dataDirEnv();
    const added = await runCli(['users', 'add', 'Alice', '--role', 'admin'], env);
    expect(added.code, added.stderr).toBe(0);
    const generated = added.stdout.trim();
    expect(generated).toMatch(/^[\w-]{20,}$/);
    expect(added.stderr).toMatch(/Added admin "alice"/);

    const reset = await runCli(
      ['users', 'add', 'bob', '--role', 'viewer', '--password-stdin'],
      env,
      'a long enough passphrase\n',
    );
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toBe('');

    const list = await runCli(['users', 'list', '--json'], env);
    const users = JSON.parse(list.stdout) as { username: string; role: string }[];
    expect(users.map((u) => [u.username, u.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'viewer'],
    ]);
    expect(list.stdout).not.toContain(generated);

    const hub = await openHub(loadConfig(env));
    try {
      await expect(
        hub.auth.login({ username: 'ALICE', password: generated }, '127.0.0.1'),
      ).resolves.toMatchObject({
        user: { username: 'alice', role: 'admin' },
      });
      await expect(
        hub.auth.login({ username: 'bob', password: 'a long enough passphrase' }, '127.0.0.1'),
      ).resolves.toBeDefined();
      // Nothing of either password is in the database.
      const rows = await databaseOf(hub.data).selectFrom('users').select('password_hash').execute();
      expect(JSON.stringify(rows)).not.toContain(generated);
      expect(JSON.stringify(rows)).not.toContain('passphrase');
      // Each change made with the CLI is in the audit log, by the OS user, without the password.
      const audit = await databaseOf(hub.data).selectFrom('audit_log').selectAll().orderBy('id').execute();
      expect(audit.map((e) => [e.action, e.actor_kind, e.target, e.outcome])).toEqual([
        ['users add', 'cli', 'Alice', 'success'],
        ['users add', 'cli', 'bob', 'success'],
      ]);
      expect(JSON.stringify(audit)).not.toContain('passphrase');
    } finally {
      await hub.close();
    }

    const removed = await runCli(['users', 'remove', 'bob'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expectOneClearLine(await runCli(['users', 'remove', 'alice'], env), /only admin.*\[USER_LAST_ADMIN\]/);
    expectOneClearLine(
      await runCli(['users', 'add', 'x', '--role', 'viewer', '--password-stdin'], env, 'short\n'),
      /at least 12 characters/,
    );
  });
});
