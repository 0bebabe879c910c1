import { createHash, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { InputError } from '../../errors.js';

export interface RegisteredCertificate {
  readonly thumbprintSha1: string;
  readonly publicKey: KeyObject;
  /** The credential's id on the app registration (Graph `keyCredential.keyId`). */
  readonly keyId: string;
  readonly subject: string;
  /** Validity, ms since the epoch: Graph's start and end of the key credential. */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Certificates registered on the app registration ("Certificates & secrets"), found by the JWT's thumbprint. */
export class CertificateRegistry {
  readonly #bySha1 = new Map<string, RegisteredCertificate>();
  readonly #bySha256 = new Map<string, RegisteredCertificate>();

  /** Registers a PEM certificate and returns its SHA-1 thumbprint (hex, as the portal shows it). */
  register(pem: string): string {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch (error) {
      throw new InputError('registerCertificate needs a PEM certificate (-----BEGIN CERTIFICATE-----)', {
        cause: error,
      });
    }
    const sha1 = createHash('sha1').update(certificate.raw).digest();
    const sha256 = createHash('sha256').update(certificate.raw).digest();
    const thumbprintSha1 = sha1.toString('hex').toUpperCase();
    const entry: RegisteredCertificate = {
      thumbprintSha1,
      publicKey: certificate.publicKey,
      keyId: this.#bySha1.get(sha1.toString('base64url'))?.keyId ?? randomUUID(),
      subject: certificate.subject.replace(/\n/g, ', '),
      notBefore: Date.parse(certificate.validFrom),
      notAfter: Date.parse(certificate.validTo),
    };
    this.#bySha1.set(sha1.toString('base64url'), entry);
    this.#bySha256.set(sha256.toString('base64url'), entry);
    return entry.thumbprintSha1;
  }

  /** Every registered certificate, in the order first registered. */
  list(): RegisteredCertificate[] {
    return [...this.#bySha1.values()];
  }

  /** By the `x5t` (SHA-1) or `x5t#S256` header of a client assertion (base64url digests). */
  find(header: Record<string, unknown>): RegisteredCertificate | undefined {
    const sha256 = header['x5t#S256'];
    if (typeof sha256 === 'string') return this.#bySha256.get(sha256);
    const sha1 = header.x5t;
    return typeof sha1 === 'string' ? this.#bySha1.get(sha1) : undefined;
  }
}
