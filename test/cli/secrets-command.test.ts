import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntegrationService } from '../../src/integrations/integration-service.js';
import { SecretBox, keyFiles, openSecretBox } from '../../src/secrets/secret-box.js';
import { sealContext } from '../../src/domain/sealed-secrets.js';
import { migrateToLatest, openStore } from '../../src/store/db/database.js';
import { createRepositories } from '../../src/store/repositories.js';
import { dataDirEnv, expectOneClearLine, runCli } from './cli.js';

const clientSecret = `cli-${randomBytes(16).toString('base64url')}`;

/** A data directory with one integration sealed by `box` (the key file's, unless given), as a hub leaves it. */
async function hubData(box?: (dataDir: string) => SecretBox): Promise<NodeJS.ProcessEnv> {
  const env = dataDirEnv();
  const store = openStore(env.DATABASE_URL!);
  try {
    await migrateToLatest(store);
    const sealing = box?.(env.HUB_DATA_DIR!) ?? openSecretBox({ dataDir: env.HUB_DATA_DIR! });
    await new IntegrationService(createRepositories(store).integrations, sealing).create({
      name: 'contoso',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '6b1c5a3e-6f9b-4a7e-9d8e-2f1a3b4c5d6e',
      clientSecret,
    });
  } finally {
    await store.close();
  }
  return env;
}

/** The stored credential, opened with the box. */
async function storedSecret(env: NodeJS.ProcessEnv, box: SecretBox): Promise<string> {
  const store = openStore(env.DATABASE_URL!);
  try {
    const [row] = await createRepositories(store).integrations.list();
    const sealed = await createRepositories(store).integrations.sealedCredential(row!.id);
    return box.open(sealed!, sealContext.integration(row!.id));
  } finally {
    await store.close();
  }
}

// Each test has its own data directory: the spawns run side by side.
describe.concurrent('defender-hub secrets rotate-key', () => {
  it('should replace the key file and say so, never printing a key', async () => {
    const env = await hubData();
    const oldKeyText = readFileSync(keyFiles(env.HUB_DATA_DIR!).current, 'utf8').trim();

    const result = await runCli(['secrets', 'rotate-key'], env);

    expect(result.code, result.stderr).toBe(0);
    const newKeyText = readFileSync(keyFiles(env.HUB_DATA_DIR!).current, 'utf8').trim();
    expect(newKeyText).not.toBe(oldKeyText);
    const box = openSecretBox({ dataDir: env.HUB_DATA_DIR! });
    expect(result.stdout).toContain(
      `Re-sealed 1 credential in sqlite:${env.HUB_DATA_DIR!}/hub.db with key ${box.keyId}`,
    );
    expect(result.stdout).toContain(`${keyFiles(env.HUB_DATA_DIR!).current} holds the new key (mode 0600)`);
    for (const text of [oldKeyText, newKeyText, clientSecret])
      expect(result.stdout + result.stderr).not.toContain(text);
    expect(await storedSecret(env, box)).toBe(clientSecret);
  });

  it('should say which value HUB_SECRET_KEY takes next when the key comes from the environment', async () => {
    const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const env = await hubData(() => new SecretBox(Buffer.from(oldKey, 'base64')));

    const result = await runCli(['secrets', 'rotate-key'], {
      ...env,
      HUB_SECRET_KEY: oldKey,
      HUB_NEW_SECRET_KEY: newKey,
    });

    expect(result.code, result.stderr).toBe(0);
    const box = new SecretBox(Buffer.from(newKey, 'base64'));
    expect(result.stdout).toContain(
      `Now set HUB_SECRET_KEY to the value of HUB_NEW_SECRET_KEY (key ${box.keyId}) for every hub process (serve, worker, the CLI), remove HUB_NEW_SECRET_KEY and restart serve and worker`,
    );
    for (const text of [oldKey, newKey, clientSecret])
      expect(result.stdout + result.stderr).not.toContain(text);
    expect(await storedSecret(env, box)).toBe(clientSecret);
  });

  it('should refuse a new key file that holds the key in use, in one clear line', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const env = await hubData(() => new SecretBox(Buffer.from(oldKey, 'base64')));
    const file = join(env.HUB_DATA_DIR!, 'new.key');
    writeFileSync(file, `${oldKey}\n`, { mode: 0o600 });

    const result = await runCli(['secrets', 'rotate-key', '--new-key-file', file], {
      ...env,
      HUB_SECRET_KEY: oldKey,
    });

    expectOneClearLine(result, /The new key is the key in use .*\[SECRET_KEY_UNCHANGED\]$/);
    expect(result.stderr).not.toContain(oldKey);
  });
});
