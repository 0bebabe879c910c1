import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SecretBox,
  SecretError,
  keyFiles,
  loadMasterKey,
  openSecretBox,
  parseSecretKey,
} from '../../src/secrets/secret-box.js';
import { sealContext } from '../../src/domain/sealed-secrets.js';

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);
const plaintext = 'Q8x8Q~the-client-secret-value';

/** The SecretError `run` throws (anything else fails the test). */
function failure(run: () => unknown): SecretError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretError) return error;
    throw error;
  }
  throw new Error('expected a SecretError');
}

describe('SecretBox', () => {
  it('should seal into a v1 envelope that names its key and opens again', () => {
    const box = new SecretBox(oldKey);
    const envelope = box.seal(plaintext, sealContext.integration('a'));
    expect(envelope.split('.')).toHaveLength(5);
    expect(envelope.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(envelope).not.toContain(plaintext);
    expect(box.open(envelope, sealContext.integration('a'))).toBe(plaintext);
  });

  it('should bind a ciphertext to its row: copied to another row it does not open', () => {
    const box = new SecretBox(oldKey);
    const envelope = box.seal(plaintext, sealContext.integration('a'));
    expect(failure(() => box.open(envelope, sealContext.integration('b'))).code).toBe(
      'SECRET_INTEGRITY_FAILED',
    );
  });

  it('should refuse an altered ciphertext and an unknown format', () => {
    const box = new SecretBox(oldKey);
    const parts = box.seal(plaintext, 'ctx').split('.');
    const last = parts[4]!;
    parts[4] = `${last[0] === 'A' ? 'B' : 'A'}${last.slice(1)}`;
    expect(failure(() => box.open(parts.join('.'), 'ctx')).code).toBe('SECRET_INTEGRITY_FAILED');
    expect(failure(() => box.open('v2.x.y', 'ctx')).code).toBe('SECRET_FORMAT_UNKNOWN');
  });

  it('should open envelopes of its other keys and seal only with the current one', () => {
    const sealedOld = new SecretBox(oldKey).seal(plaintext, 'ctx');
    const ring = new SecretBox(newKey, [oldKey]);
    expect(ring.open(sealedOld, 'ctx')).toBe(plaintext);
    const sealedNew = ring.seal(plaintext, 'ctx');
    expect(sealedNew.split('.')[1]).toBe(new SecretBox(newKey).keyId);
    expect(ring.keyIds).toEqual([new SecretBox(newKey).keyId, new SecretBox(oldKey).keyId]);
    const error = failure(() => new SecretBox(oldKey).open(sealedNew, 'ctx'));
    expect(error.code).toBe('SECRET_KEY_UNKNOWN');
    expect(error.message).toContain(ring.keyId);
  });

  it('should refuse keys shorter than 32 bytes', () => {
    expect(failure(() => new SecretBox(Buffer.alloc(16))).code).toBe('SECRET_KEY_TOO_SHORT');
    expect(failure(() => new SecretBox(newKey, [Buffer.alloc(31)])).code).toBe('SECRET_KEY_TOO_SHORT');
  });
});

describe('parseSecretKey', () => {
  it('should read base64, hex and long passphrases', () => {
    const bytes = randomBytes(32);
    expect(parseSecretKey(bytes.toString('base64'), 'X').equals(bytes)).toBe(true);
    expect(parseSecretKey(` ${bytes.toString('base64')}\n`, 'X').equals(bytes)).toBe(true);
    expect(parseSecretKey('correct horse battery staple, twice as long', 'X')).toHaveLength(43);
  });

  it('should refuse a short key with a message that names its source and not its value', () => {
    const short = 'tooshort-abc123';
    const error = failure(() => parseSecretKey(short, 'HUB_NEW_SECRET_KEY'));
    expect(error.code).toBe('SECRET_KEY_TOO_SHORT');
    expect(error.message).toContain('HUB_NEW_SECRET_KEY');
    expect(error.message).not.toContain(short);
  });
});

describe('the key file', () => {
  it('should be created on first start with mode 0600 and read the same afterwards', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-key-'));
    const key = loadMasterKey({ dataDir });
    expect(statSync(keyFiles(dataDir).current).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ dataDir }).equals(key)).toBe(true);
    expect(loadMasterKey({ dataDir, secretKey: newKey.toString('base64') }).equals(newKey)).toBe(true);
  });

  it('should also open with the key of a rotation that stopped before it finished', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-key-'));
    const sealedByRotation = new SecretBox(newKey).seal(plaintext, 'ctx');
    expect(failure(() => openSecretBox({ dataDir }).open(sealedByRotation, 'ctx')).code).toBe(
      'SECRET_KEY_UNKNOWN',
    );
    writeFileSync(keyFiles(dataDir).next, `${newKey.toString('base64')}\n`, { mode: 0o600 });
    const box = openSecretBox({ dataDir });
    expect(box.open(sealedByRotation, 'ctx')).toBe(plaintext);
    // New credentials are still sealed with the key file's key until the rotation finishes.
    expect(box.keyId).toBe(new SecretBox(loadMasterKey({ dataDir })).keyId);
    // HUB_SECRET_KEY is the only key when it is set: the data directory's files are not read.
    expect(openSecretBox({ dataDir, secretKey: oldKey.toString('base64') }).keyIds).toHaveLength(1);
  });
});
