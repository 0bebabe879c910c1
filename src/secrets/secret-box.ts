import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../errors.js';

/** Stable codes of everything the secret store fails with (the CLI's exit line and the API map from them). */
export const SecretErrorCode = {
  KeyTooShort: 'SECRET_KEY_TOO_SHORT',
  KeyMissing: 'SECRET_KEY_MISSING',
  KeyFileUnreadable: 'SECRET_KEY_FILE_UNREADABLE',
  /** An envelope names a key id that none of the loaded keys has. */
  UnknownKey: 'SECRET_KEY_UNKNOWN',
  /** The key is right but the envelope does not authenticate: altered, or moved to another row. */
  IntegrityFailed: 'SECRET_INTEGRITY_FAILED',
  UnknownFormat: 'SECRET_FORMAT_UNKNOWN',
  KeyUnchanged: 'SECRET_KEY_UNCHANGED',
  NewKeyRequired: 'SECRET_NEW_KEY_REQUIRED',
  NewKeyAmbiguous: 'SECRET_NEW_KEY_AMBIGUOUS',
  RotationPending: 'SECRET_ROTATION_PENDING',
  RotationFailed: 'SECRET_ROTATION_FAILED',
} as const;
export type SecretErrorCode = (typeof SecretErrorCode)[keyof typeof SecretErrorCode];

export class SecretError extends HubError {
  declare readonly code: SecretErrorCode;

  constructor(
    code: SecretErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}

const minimumKeyBytes = 32;

function deriveKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'defender-hub credentials v1', 32));
}

/** The id an envelope carries: a hash prefix of the derived key, so it names the key without revealing it. */
function keyIdOf(derivedKey: Buffer): string {
  return createHash('sha256').update(derivedKey).digest('base64url').slice(0, 8);
}

/**
 * Encrypts credentials at rest with AES-256-GCM. The envelope `v1.<keyId>.<iv>.<tag>.<ciphertext>` names the
 * key that sealed it, and the caller's context (`sealContext`, domain/sealed-secrets.ts) is authenticated data: a ciphertext copied to
 * another row does not open.
 *
 * A box is a keyring: the current key seals and opens; the others only open. The hub loads the key of a
 * rotation in progress as another key, so a rotation stopped at any point leaves every credential readable.
 */
export class SecretBox {
  readonly keyId: string;
  readonly #sealingKey: Buffer;
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(masterKey: Buffer, otherKeys: readonly Buffer[] = []) {
    const keys = new Map<string, Buffer>();
    for (const key of [masterKey, ...otherKeys]) {
      if (key.length < minimumKeyBytes)
        throw new SecretError(
          SecretErrorCode.KeyTooShort,
          `The secret key must be at least ${minimumKeyBytes} bytes.`,
        );
      const derived = deriveKey(key);
      keys.set(keyIdOf(derived), derived);
    }
    this.#sealingKey = deriveKey(masterKey);
    this.keyId = keyIdOf(this.#sealingKey);
    this.#keys = keys;
  }

  /** Every key id this box opens, the sealing one first. */
  get keyIds(): readonly string[] {
    return [...this.#keys.keys()];
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealingKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(envelope: string, context: string): string {
    const [version, keyId = '', iv, tag, ciphertext] = envelope.split('.');
    if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretError(
        SecretErrorCode.UnknownFormat,
        `The stored credential of ${context} is not in a format this version can read.`,
        { details: { context } },
      );
    }
    const key = this.#keys.get(keyId);
    if (key === undefined) {
      throw new SecretError(
        SecretErrorCode.UnknownKey,
        `The stored credential of ${context} was sealed with key ${keyId}, not with ${this.#keys.size === 1 ? `the key in use (${this.keyId})` : `any key loaded (${this.keyIds.join(', ')})`}: set HUB_SECRET_KEY (or the key file) to the key in use when it was saved.`,
        { details: { context, keyId, keyIds: this.keyIds } },
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new SecretError(
        SecretErrorCode.IntegrityFailed,
        `The stored credential of ${context} failed its integrity check (it was altered or moved to another record): enter it again.`,
        { cause: error, details: { context } },
      );
    }
  }
}

/** The id a master key seals under, to compare keys and to name them in messages without showing them. */
export function secretKeyId(masterKey: Buffer): string {
  return new SecretBox(masterKey).keyId;
}

/**
 * A master key as configured: base64 or hex of 32+ bytes, or a passphrase of 32+ characters. `source` names
 * where it came from (`HUB_SECRET_KEY`, a file) in the error, which never shows the value.
 */
export function parseSecretKey(text: string, source: string): Buffer {
  const configured = text.trim();
  for (const encoding of ['base64', 'hex'] as const) {
    const decoded = Buffer.from(configured, encoding);
    if (
      decoded.length >= minimumKeyBytes &&
      decoded.toString(encoding).replace(/=+$/, '') === configured.replace(/=+$/, '')
    )
      return decoded;
  }
  if (configured.length >= minimumKeyBytes) return Buffer.from(configured, 'utf8');
  throw new SecretError(
    SecretErrorCode.KeyTooShort,
    `${source} is too short: give ${minimumKeyBytes} random bytes as base64 or hex (e.g. \`openssl rand -base64 32\`).`,
  );
}

/** Where the master key and the key of a rotation in progress live when HUB_SECRET_KEY is not set. */
export function keyFiles(dataDir: string): { readonly current: string; readonly next: string } {
  const current = join(dataDir, 'secret.key');
  return { current, next: `${current}.next` };
}

/** A key file's key, or undefined when there is none. */
export function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretError(
      SecretErrorCode.KeyFileUnreadable,
      `The key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}): check its owner and mode (0600).`,
      { cause: error },
    );
  }
  return parseSecretKey(text, `The key file ${file}`);
}

export interface KeySource {
  /** HUB_SECRET_KEY; when set, no key file is read or written. */
  readonly secretKey?: string | undefined;
  readonly dataDir: string;
}

/**
 * The master key: HUB_SECRET_KEY or, failing that, the key file in the data directory, created on first start
 * with mode 0600.
 */
export function loadMasterKey(options: KeySource): Buffer {
  const configured = options.secretKey?.trim();
  if (configured !== undefined && configured !== '') return parseSecretKey(configured, 'HUB_SECRET_KEY');
  const { current } = keyFiles(options.dataDir);
  const existing = readKeyFile(current);
  if (existing !== undefined) return existing;
  mkdirSync(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(current, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(current, 0o600);
  return key;
}

/**
 * The hub's box: the master key seals; with a key file, the key of a rotation that was stopped before it
 * finished (`secret.key.next`) also opens, because the credentials may already be sealed with it.
 */
export function openSecretBox(options: KeySource): SecretBox {
  const current = loadMasterKey(options);
  const configured = options.secretKey?.trim();
  if (configured !== undefined && configured !== '') return new SecretBox(current);
  const { next } = keyFiles(options.dataDir);
  const pending = readKeyFile(next);
  return new SecretBox(current, pending === undefined ? [] : [pending]);
}
