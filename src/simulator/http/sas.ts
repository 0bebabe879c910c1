import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isoSecondsZ, msFromTicks, parseIsoTicks, type Ticks } from '../time.js';

export const SAS_VERSION = '2020-08-04';

/** Why a SAS was refused, in Azure Storage's words. */
export type SasRefusal = { readonly detail: string; readonly message: string };

/**
 * Shared-access signatures for the export blobs: an HMAC over the blob path and validity window with a key that
 * lives as long as the simulator. Validity is judged against the simulated clock, so advancing time expires them.
 */
export class SasSigner {
  readonly #key = randomBytes(32);

  #sign(path: string, start: string, expiry: string): string {
    return createHmac('sha256', this.#key)
      .update(`r\n${start}\n${expiry}\n/blob/tvmexport${path}\n${SAS_VERSION}\nb`)
      .digest('base64');
  }

  /** The query string for a read-only blob SAS. */
  queryFor(path: string, start: Ticks, expiry: Ticks): string {
    const st = isoSecondsZ(start);
    const se = isoSecondsZ(expiry);
    const params = new URLSearchParams({
      sv: SAS_VERSION,
      st,
      se,
      sr: 'b',
      sp: 'r',
      sig: this.#sign(path, st, se),
    });
    return params.toString();
  }

  check(path: string, params: URLSearchParams, now: Ticks): SasRefusal | undefined {
    const st = params.get('st') ?? '';
    const se = params.get('se') ?? '';
    const given = Buffer.from(params.get('sig') ?? '', 'base64');
    const expected = Buffer.from(this.#sign(path, st, se), 'base64');
    const authFailed =
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.';
    if (params.get('sp') !== 'r' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        message: authFailed,
        detail: `Signature did not match. String to sign used was r\n${st}\n${se}\n/blob/tvmexport${path}`,
      };
    }
    const start = parseIsoTicks(st);
    const expiry = parseIsoTicks(se);
    if (start === undefined || expiry === undefined || now < start || now > expiry) {
      const http = (text: string): string => {
        const ticks = parseIsoTicks(text);
        return ticks === undefined ? text : new Date(msFromTicks(ticks)).toUTCString();
      };
      return {
        message: authFailed,
        detail: `Signature not valid in the specified time frame: Start [${http(st)}] - Expiry [${http(se)}] - Current [${http(isoSecondsZ(now))}]`,
      };
    }
    return undefined;
  }
}
