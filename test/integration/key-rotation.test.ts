import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationService } from '../../src/integrations/integration-service.js';
import { rotateSecretKey, type KeyRotationOptions } from '../../src/secrets/key-rotation.js';
import {
  SecretBox,
  SecretError,
  keyFiles,
  loadMasterKey,
  openSecretBox,
  readKeyFile,
} from '../../src/secrets/secret-box.js';
import { sealContext } from '../../src/domain/sealed-secrets.js';
import type { Store } from '../../src/store/db/database.js';
import { createRepositories } from '../../src/store/repositories.js';
import { SealedSecretsRepository } from '../../src/store/access/sealed-secrets-repository.js';
import { dialects, freshStore } from '../support/stores.js';

const certificate =
  '-----BEGIN PRIVATE KEY-----\nMIIfake\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIfake\n-----END CERTIFICATE-----\n';

/** Three credentials of each kind the hub stores, by integration name. */
const credentials: Record<string, { clientSecret: string } | { certificate: string }> = {
  alpha: { clientSecret: `alpha-${randomBytes(12).toString('base64url')}` },
  bravo: { clientSecret: `bravo-${randomBytes(12).toString('base64url')}` },
  charlie: { certificate },
};

function base64(key: Buffer): string {
  return key.toString('base64');
}

async function failure(run: Promise<unknown>): Promise<SecretError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof SecretError) return error;
    throw error;
  }
  throw new Error('expected a SecretError');
}

describe.each(dialects)('secrets rotate-key on %s', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ store, dispose } = await freshStore(dialect));
  });
  afterAll(() => dispose());
  // Rotation re-seals every row of the table: each test starts from none.
  beforeEach(async () => {
    await store.db.deleteFrom('integrations').execute();
  });

  /** Integrations sealed by a hub with this box; answers their ids by name. */
  async function addIntegrations(box: SecretBox): Promise<Record<string, string>> {
    const service = new IntegrationService(createRepositories(store).integrations, box);
    const ids: Record<string, string> = {};
    for (const [name, credential] of Object.entries(credentials)) {
      const integration = await service.create({
        name,
        tenantId: 'contoso.onmicrosoft.com',
        clientId: '6b1c5a3e-6f9b-4a7e-9d8e-2f1a3b4c5d6e',
        ...credential,
      });
      ids[name] = integration.id;
    }
    return ids;
  }

  /** What each stored credential opens to with the box, or the code it fails with, by integration name. */
  async function openAll(box: SecretBox): Promise<Record<string, string>> {
    const names = new Map((await createRepositories(store).integrations.list()).map((r) => [r.id, r.name]));
    const opened: Record<string, string> = {};
    for (const value of await new SealedSecretsRepository(store).list()) {
      const name = names.get(value.id) ?? value.id;
      try {
        opened[name] = box.open(value.envelope, sealContext[value.kind](value.id));
      } catch (error) {
        opened[name] = (error as SecretError).code;
      }
    }
    return opened;
  }

  const plaintexts = Object.fromEntries(
    Object.entries(credentials).map(([name, c]) => [
      name,
      'clientSecret' in c ? c.clientSecret : c.certificate,
    ]),
  );
  const everyOneFails = (code: string) => Object.fromEntries(Object.keys(credentials).map((n) => [n, code]));

  const rotate = (keys: KeyRotationOptions['keys'], newKey?: KeyRotationOptions['newKey']) =>
    rotateSecretKey({ sealed: new SealedSecretsRepository(store), keys, newKey });

  /** Makes the re-sealing transaction fail at its last row, after the others were rewritten in it. */
  async function breakResealingAt(id: string): Promise<() => Promise<void>> {
    if (dialect === 'sqlite') {
      await sql
        .raw(
          `create trigger reseal_crash before update of credential_ciphertext on integrations when new.id = '${id}' begin select raise(abort, 'simulated crash'); end`,
        )
        .execute(store.db);
      return async () => {
        await sql.raw('drop trigger reseal_crash').execute(store.db);
      };
    }
    await sql
      .raw(
        `create function reseal_crash() returns trigger language plpgsql as $$ begin if new.id = '${id}' then raise exception 'simulated crash'; end if; return new; end $$`,
      )
      .execute(store.db);
    await sql
      .raw(
        'create trigger reseal_crash before update of credential_ciphertext on integrations for each row execute function reseal_crash()',
      )
      .execute(store.db);
    return async () => {
      await sql.raw('drop trigger reseal_crash on integrations').execute(store.db);
      await sql.raw('drop function reseal_crash()').execute(store.db);
    };
  }

  it('should re-seal every credential with a new key file that the old key no longer opens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    const ids = await addIntegrations(openSecretBox({ dataDir }));
    const oldKey = loadMasterKey({ dataDir });

    const result = await rotate({ dataDir });

    expect(result).toMatchObject({ resealed: 3, keyFile: keyFiles(dataDir).current, resumed: false });
    expect(result.previousKeyId).toBe(new SecretBox(oldKey).keyId);
    const newKey = loadMasterKey({ dataDir });
    expect(newKey.equals(oldKey)).toBe(false);
    expect(result.keyId).toBe(new SecretBox(newKey).keyId);
    expect(statSync(keyFiles(dataDir).current).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
    expect(await openAll(openSecretBox({ dataDir }))).toEqual(plaintexts);
    expect(await openAll(new SecretBox(oldKey))).toEqual(everyOneFails('SECRET_KEY_UNKNOWN'));
    // The hub's own path: its service hands the new key's plaintext to the Defender client.
    const service = new IntegrationService(
      createRepositories(store).integrations,
      openSecretBox({ dataDir }),
    );
    const client = await service.client(ids.alpha!);
    const credential = client.config.credential;
    expect(credential.type === 'secret' ? credential.clientSecret.reveal() : '').toBe(plaintexts.alpha);
    await client.close();
  });

  it('should re-seal under HUB_SECRET_KEY with the given new key and write no file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    await addIntegrations(new SecretBox(oldKey));

    const result = await rotate(
      { dataDir, secretKey: base64(oldKey) },
      { text: base64(newKey), source: 'HUB_NEW_SECRET_KEY' },
    );

    expect(result).toMatchObject({ resealed: 3, keyFile: undefined, keyId: new SecretBox(newKey).keyId });
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await openAll(new SecretBox(newKey))).toEqual(plaintexts);
    expect(await openAll(new SecretBox(oldKey))).toEqual(everyOneFails('SECRET_KEY_UNKNOWN'));
  });

  it('should leave every credential readable with the old key when the transaction fails, and finish when run again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    const ids = await addIntegrations(openSecretBox({ dataDir }));
    const oldKey = loadMasterKey({ dataDir });
    const lastUpdated = Object.values(ids).sort().at(-1)!;
    const repair = await breakResealingAt(lastUpdated);

    const error = await failure(rotate({ dataDir }));

    expect(error.code).toBe('SECRET_ROTATION_FAILED');
    expect(error.message).toContain('nothing was changed');
    expect(loadMasterKey({ dataDir }).equals(oldKey)).toBe(true);
    expect(await openAll(new SecretBox(oldKey))).toEqual(plaintexts);
    // The key it was rotating to waits beside the key file; the hub loads it too, harmlessly.
    const pending = readKeyFile(keyFiles(dataDir).next)!;
    expect(statSync(keyFiles(dataDir).next).mode & 0o777).toBe(0o600);
    expect(await openAll(openSecretBox({ dataDir }))).toEqual(plaintexts);

    await repair();
    const again = await rotate({ dataDir });
    expect(again).toMatchObject({ resealed: 3, resumed: true, keyId: new SecretBox(pending).keyId });
    expect(existsSync(keyFiles(dataDir).next)).toBe(false);
    expect(loadMasterKey({ dataDir }).equals(pending)).toBe(true);
    expect(await openAll(openSecretBox({ dataDir }))).toEqual(plaintexts);
    expect(await openAll(new SecretBox(oldKey))).toEqual(everyOneFails('SECRET_KEY_UNKNOWN'));
  });

  it('should leave every credential readable under HUB_SECRET_KEY when the transaction fails', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const ids = await addIntegrations(new SecretBox(oldKey));
    const repair = await breakResealingAt(Object.values(ids).sort().at(-1)!);
    try {
      const error = await failure(
        rotate(
          { dataDir, secretKey: base64(oldKey) },
          { text: base64(newKey), source: 'HUB_NEW_SECRET_KEY' },
        ),
      );
      expect(error.code).toBe('SECRET_ROTATION_FAILED');
    } finally {
      await repair();
    }
    expect(await openAll(new SecretBox(oldKey))).toEqual(plaintexts);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('should finish a rotation stopped after its commit, before the key file was replaced', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    await addIntegrations(openSecretBox({ dataDir }));
    const oldKey = loadMasterKey({ dataDir });
    // The state a crash between the commit and the rename leaves: the new key in secret.key.next, every
    // credential already sealed with it, secret.key still the old key.
    const newKey = randomBytes(32);
    writeFileSync(keyFiles(dataDir).next, `${base64(newKey)}\n`, { mode: 0o600 });
    const box = new SecretBox(newKey, [oldKey]);
    await new SealedSecretsRepository(store).resealAll((v) =>
      box.seal(box.open(v.envelope, sealContext[v.kind](v.id)), sealContext[v.kind](v.id)),
    );
    expect(await openAll(openSecretBox({ dataDir }))).toEqual(plaintexts);

    expect(await rotate({ dataDir })).toMatchObject({ resumed: true, keyId: new SecretBox(newKey).keyId });
    expect(loadMasterKey({ dataDir }).equals(newKey)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
  });

  it('should refuse a wrong old key, a short or unchanged new key, and a missing one, changing nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    const [oldKey, wrongKey] = [randomBytes(32), randomBytes(32)];
    await addIntegrations(new SecretBox(oldKey));
    const env = { dataDir, secretKey: base64(oldKey) };
    const given = (key: Buffer | string) => ({
      text: typeof key === 'string' ? key : base64(key),
      source: 'HUB_NEW_SECRET_KEY',
    });

    const wrong = await failure(rotate({ dataDir, secretKey: base64(wrongKey) }, given(randomBytes(32))));
    expect(wrong.code).toBe('SECRET_KEY_UNKNOWN');
    expect(wrong.message).toMatch(/Nothing was changed\.$/);
    const short = await failure(rotate(env, given('too-short')));
    expect([short.code, short.message]).toEqual([
      'SECRET_KEY_TOO_SHORT',
      expect.stringContaining('HUB_NEW_SECRET_KEY'),
    ]);
    expect((await failure(rotate(env, given(oldKey)))).code).toBe('SECRET_KEY_UNCHANGED');
    expect((await failure(rotate(env))).code).toBe('SECRET_NEW_KEY_REQUIRED');
    expect((await failure(rotate({ dataDir }))).code).toBe('SECRET_KEY_MISSING');

    for (const error of [wrong, short]) expect(error.message).not.toContain(base64(oldKey));
    expect(await openAll(new SecretBox(oldKey))).toEqual(plaintexts);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('should refuse another new key while a stopped rotation waits to be finished', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    await addIntegrations(openSecretBox({ dataDir }));
    writeFileSync(keyFiles(dataDir).next, `${base64(randomBytes(32))}\n`, { mode: 0o600 });
    const error = await failure(
      rotate({ dataDir }, { text: base64(randomBytes(32)), source: '--new-key-file k' }),
    );
    expect(error.code).toBe('SECRET_ROTATION_PENDING');
    expect(await openAll(openSecretBox({ dataDir }))).toEqual(plaintexts);
  });

  it('should not open a ciphertext copied to another row, and not rotate around it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-rotate-'));
    const ids = await addIntegrations(openSecretBox({ dataDir }));
    const repository = createRepositories(store).integrations;
    const alpha = (await repository.sealedCredential(ids.alpha!))!;
    await repository.update(ids.bravo!, { sealedCredential: alpha });

    const service = new IntegrationService(repository, openSecretBox({ dataDir }));
    expect((await failure(service.client(ids.bravo!))).code).toBe('SECRET_INTEGRITY_FAILED');
    const error = await failure(rotate({ dataDir }));
    expect(error.code).toBe('SECRET_INTEGRITY_FAILED');
    expect(error.message).toContain(sealContext.integration(ids.bravo!));
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
    expect((await openAll(openSecretBox({ dataDir }))).alpha).toBe(plaintexts.alpha);
  });
});
