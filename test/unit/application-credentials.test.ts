import { createHash, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import {
  certificateThumbprint,
  findCredentialInUse,
  keyIdentifierThumbprint,
} from '../../src/defender/resources/applications.js';
import { validateApplication, type Application } from '../../src/defender/schemas/application.js';
import { Secret } from '../../src/domain/secret.js';

const secretValue = 'Abc8Q~thisIsNotARealSecretButLooksLikeOne12';

function application(raw: Record<string, unknown>): Application {
  const result = validateApplication({ id: 'object-id', appId: 'app-id', ...raw });
  if (!result.ok) throw new Error(result.rejected.reason);
  return result.value;
}

const password = (keyId: string, hint: string, endDateTime: string | null) => ({
  customKeyIdentifier: null,
  displayName: keyId,
  endDateTime,
  hint,
  keyId,
  secretText: null,
  startDateTime: '2025-01-01T00:00:00Z',
});

describe('the credential in use on the app registration', () => {
  it("should find a secret by its hint, its value's first three characters, and not return the hint", () => {
    const app = application({
      passwordCredentials: [
        password('old', 'Xyz', '2025-06-01T00:00:00Z'),
        password('current', 'Abc', '2027-03-04T05:06:07Z'),
      ],
    });
    const found = findCredentialInUse(app, { type: 'secret', clientSecret: new Secret(secretValue) });
    expect(found).toMatchObject({ type: 'secret', keyId: 'current', displayName: 'current' });
    expect(found?.endDateTime?.date.toISOString()).toBe('2027-03-04T05:06:07.000Z');
    expect(JSON.stringify(found)).not.toContain('"Abc"');
  });

  it('should take the one that expires first when two secrets share a hint, and none when none matches', () => {
    const app = application({
      passwordCredentials: [
        password('later', 'Abc', '2028-01-01T00:00:00Z'),
        password('never', 'Abc', null),
        password('sooner', 'Abc', '2027-01-01T00:00:00Z'),
      ],
    });
    const credential = { type: 'secret', clientSecret: new Secret(secretValue) } as const;
    expect(findCredentialInUse(app, credential)?.keyId).toBe('sooner');
    expect(findCredentialInUse(application({ passwordCredentials: [] }), credential)).toBeUndefined();
    expect(findCredentialInUse(application({ passwordCredentials: null }), credential)).toBeUndefined();
  });

  it('should find a certificate by its thumbprint in each form customKeyIdentifier comes in', async () => {
    const pems = await generate([{ name: 'commonName', value: 'hub' }], {
      algorithm: 'sha256',
      keySize: 2048,
    });
    const raw = new X509Certificate(pems.cert).raw;
    const digest = createHash('sha1').update(raw).digest();
    const hex = digest.toString('hex').toUpperCase();
    const bundle = `${pems.private}\n${pems.cert}`;
    expect(certificateThumbprint(bundle)).toBe(hex);
    for (const form of [
      hex,
      hex.toLowerCase(),
      digest.toString('base64'),
      Buffer.from(hex).toString('base64'),
    ]) {
      expect(keyIdentifierThumbprint(form)).toBe(hex);
      const app = application({
        keyCredentials: [
          { keyId: 'other', customKeyIdentifier: 'A'.repeat(40), endDateTime: '2026-01-01T00:00:00Z' },
          {
            keyId: 'ours',
            customKeyIdentifier: form,
            endDateTime: '2027-01-01T00:00:00Z',
            type: 'AsymmetricX509Cert',
          },
        ],
      });
      const found = findCredentialInUse(app, { type: 'certificate', certificatePem: new Secret(bundle) });
      expect(found).toMatchObject({ type: 'certificate', keyId: 'ours' });
    }
    expect(keyIdentifierThumbprint('CN=hub')).toBeUndefined();
    expect(keyIdentifierThumbprint(null)).toBeUndefined();
    expect(certificateThumbprint('no certificate here')).toBeUndefined();
  });
});
