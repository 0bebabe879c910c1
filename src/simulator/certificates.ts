import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface SimulatorCertificates {
  /** The CA clients add to their trusted set (never a verification bypass). */
  readonly caPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

/** A subjectAltName entry: an IP address (type 7) or a DNS name (type 2). */
function altName(name: string): { type: 2; value: string } | { type: 7; ip: string } {
  return isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name };
}

/**
 * A throw-away CA and a leaf for 127.0.0.1/localhost (and any `extraNames`, such as the host name other
 * containers reach the simulator by) signed by it, generated per start (EC keys: milliseconds).
 * Validity follows the wall clock, not the simulated one, because TLS peers check it against their own.
 */
export async function generateCertificates(
  caName = 'defender-hub simulator CA',
  extraNames: readonly string[] = [],
): Promise<SimulatorCertificates> {
  const names = [...new Set(['localhost', '127.0.0.1', ...extraNames])];
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
  const ca = await generate([{ name: 'commonName', value: caName }], {
    algorithm: 'sha256',
    keyType: 'ec',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map(altName),
      },
    ],
  });
  return { caPem: ca.cert, serverCertPem: leaf.cert, serverKeyPem: leaf.private };
}
