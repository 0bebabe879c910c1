import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  SecretBox,
  SecretError,
  SecretErrorCode,
  keyFiles,
  parseSecretKey,
  readKeyFile,
  secretKeyId,
  type KeySource,
} from './secret-box.js';
import { sealContext } from '../domain/sealed-secrets.js';
import type { SealedSecretsRepository, SealedValue } from '../store/index.js';

export interface KeyRotationOptions {
  /** The sealed credentials, re-sealed in one transaction. */
  readonly sealed: Pick<SealedSecretsRepository, 'list' | 'resealAll'>;
  /** HUB_SECRET_KEY (then no key file is touched) and the data directory of the key file. */
  readonly keys: KeySource;
  /**
   * The key to rotate to, as text (base64, hex or a passphrase, like HUB_SECRET_KEY), and where it came from
   * for messages. Needed with HUB_SECRET_KEY; with a key file a random key is made when it is absent.
   */
  readonly newKey?: { readonly text: string; readonly source: string } | undefined;
}

export interface KeyRotationResult {
  /** Credentials now sealed with the new key. */
  readonly resealed: number;
  readonly keyId: string;
  readonly previousKeyId: string;
  /** The key file that holds the new key now; undefined when the key comes from HUB_SECRET_KEY. */
  readonly keyFile: string | undefined;
  /** A rotation that had stopped part-way was finished. */
  readonly resumed: boolean;
}

/**
 * Re-seals every stored credential with a new master key, so that the old key opens none of them.
 *
 * Nothing is lost wherever it stops. With a key file the new key is first written, durably and mode 0600, to
 * `secret.key.next`, which the hub loads as a second key (`openSecretBox`); then every credential is re-sealed in
 * one transaction; then `secret.key.next` is renamed over `secret.key` (atomic). Stopped before the commit, the
 * credentials are under the old key; after it, under the new one, which the hub still finds in
 * `secret.key.next`. Running the command again finishes the same rotation. With HUB_SECRET_KEY the credentials
 * are re-sealed in one transaction and the caller is told which value to set: the command cannot change the
 * environment of the hub's processes, and it never shows a key.
 */
export async function rotateSecretKey(options: KeyRotationOptions): Promise<KeyRotationResult> {
  const configured = options.keys.secretKey?.trim();
  const fromEnvironment = configured !== undefined && configured !== '';
  const files = keyFiles(options.keys.dataDir);
  const current = fromEnvironment
    ? parseSecretKey(configured, 'HUB_SECRET_KEY')
    : readCurrentKeyFile(files.current);
  const pending = fromEnvironment ? undefined : readKeyFile(files.next);
  const given =
    options.newKey === undefined ? undefined : parseSecretKey(options.newKey.text, options.newKey.source);
  if (given !== undefined && pending !== undefined && secretKeyId(given) !== secretKeyId(pending)) {
    throw new SecretError(
      SecretErrorCode.RotationPending,
      `A rotation to key ${secretKeyId(pending)} (${files.next}) was stopped before it finished, and credentials may be sealed with it: run \`defender-hub secrets rotate-key\` without a new key to finish it first, then rotate to ${options.newKey?.source ?? 'the new key'}.`,
    );
  }
  const next = given ?? pending ?? (fromEnvironment ? undefined : randomBytes(32));
  if (next === undefined) {
    throw new SecretError(
      SecretErrorCode.NewKeyRequired,
      'HUB_SECRET_KEY is set, so the new key must come from you: put it in a file given with --new-key-file FILE (e.g. `openssl rand -base64 32 > new.key`, mode 0600) or in HUB_NEW_SECRET_KEY.',
    );
  }
  const previousKeyId = secretKeyId(current);
  const keyId = secretKeyId(next);
  if (keyId === previousKeyId) {
    throw new SecretError(
      SecretErrorCode.KeyUnchanged,
      `The new key is the key in use (${keyId}): give another one (e.g. \`openssl rand -base64 32\`).`,
    );
  }

  const box = new SecretBox(next, [current]);
  const { sealed } = options;
  // Every credential must open before anything is written: a wrong old key (or a credential that was altered)
  // is told now, with nothing changed, not left as a half-done rotation.
  for (const value of await sealed.list()) reseal(box, value);
  if (!fromEnvironment && pending === undefined) writeKeyFileDurably(files.next, next);
  let resealed: number;
  try {
    resealed = await sealed.resealAll((value) => reseal(box, value));
  } catch (error) {
    if (error instanceof SecretError) throw error;
    throw new SecretError(
      SecretErrorCode.RotationFailed,
      `Re-sealing the credentials failed (${error instanceof Error ? error.message : String(error)}); nothing was changed and every credential still opens: run the command again once the database is fine.`,
      { cause: error },
    );
  }
  if (!fromEnvironment) {
    renameSync(files.next, files.current);
    fsyncDirectory(dirname(files.current));
  }
  return {
    resealed,
    keyId,
    previousKeyId,
    keyFile: fromEnvironment ? undefined : files.current,
    resumed: pending !== undefined,
  };
}

/** The value sealed again with the box's current key; a value that does not open stops the rotation. */
function reseal(box: SecretBox, value: SealedValue): string {
  const context = sealContext[value.kind](value.id);
  try {
    return box.seal(box.open(value.envelope, context), context);
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    throw new SecretError(error.code, `${error.message} Nothing was changed.`, {
      cause: error,
      ...(error.details === undefined ? {} : { details: { ...error.details } }),
    });
  }
}

function readCurrentKeyFile(file: string): Buffer {
  const key = readKeyFile(file);
  if (key === undefined) {
    throw new SecretError(
      SecretErrorCode.KeyMissing,
      `There is no key file ${file} and HUB_SECRET_KEY is not set: point HUB_DATA_DIR at the hub's data directory, or set HUB_SECRET_KEY to the key in use.`,
    );
  }
  return key;
}

/** Written beside its name, synced and renamed: the file is either absent or whole, never half-written. */
function writeKeyFileDurably(file: string, key: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The umask may have narrowed the mode further; the hub's own key file is exactly 0600.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  fsyncDirectory(dirname(file));
}

/** A rename is durable only once its directory is synced. */
function fsyncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
