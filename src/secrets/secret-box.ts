import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../errors.js';

export class SecretError extends HubError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('SECRET_ERROR', message, options);
  }
}

/**
 * Encrypts credentials at rest with AES-256-GCM. The envelope `v1.<keyId>.<iv>.<tag>.<ciphertext>` names the
 * key that sealed it (for rotation), and the caller's context (e.g. `integration:<id>`) is authenticated data:
 * a ciphertext copied to another row does not open.
 */
export class SecretBox {
  readonly #key: Buffer;
  readonly keyId: string;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new SecretError('The secret key must be at least 32 bytes.');
    this.#key = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'defender-hub credentials v1', 32),
    );
    this.keyId = createHash('sha256').update(this.#key).digest('base64url').slice(0, 8);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
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
    const [version, keyId, iv, tag, ciphertext] = envelope.split('.');
    if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretError('A stored credential is not in a format this version can read.');
    }
    if (keyId !== this.keyId) {
      throw new SecretError(
        'A stored credential was sealed with another secret key: set HUB_SECRET_KEY (or the key file) to the key in use when it was saved.',
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new SecretError(
        'A stored credential failed its integrity check (it was altered or moved to another record).',
        { cause: error },
      );
    }
  }
}

/**
 * The master key: HUB_SECRET_KEY (base64 or hex of 32+ bytes, or a passphrase of 32+ characters) or, failing
 * that, a key file in the data directory created on first start with mode 0600.
 */
export function loadMasterKey(options: { secretKey?: string | undefined; dataDir: string }): Buffer {
  const configured = options.secretKey?.trim();
  if (configured !== undefined && configured !== '') {
    for (const encoding of ['base64', 'hex'] as const) {
      const decoded = Buffer.from(configured, encoding);
      if (
        decoded.length >= 32 &&
        decoded.toString(encoding).replace(/=+$/, '') === configured.replace(/=+$/, '')
      )
        return decoded;
    }
    if (configured.length >= 32) return Buffer.from(configured, 'utf8');
    throw new SecretError(
      'HUB_SECRET_KEY is too short: give 32 random bytes as base64 or hex (e.g. `openssl rand -base64 32`).',
    );
  }
  const file = join(options.dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
