import {
  DefenderAuthError,
  DefenderErrorCode,
  entraReference,
  type CredentialLookup,
  type DefenderClient,
} from '../defender/index.js';
import { expiredCredentialMessage, type CredentialCheckOutcome } from './credential-health.js';

/** One look at a credential's health, as stored on the integration. */
export interface CredentialCheck {
  readonly outcome: CredentialCheckOutcome;
  /**
   * The end date the look found (null: none, or none can be known). Absent when the look learned nothing of it
   * (a failed read, a sign-in refused as expired): the date known before still stands.
   */
  readonly expiresAt?: string | null;
  readonly checkedAt: string;
}

/**
 * Reads when the client's own credential expires: one Graph call for the integration, never one per anything
 * else. Never throws: a refusal for want of Application.Read.All, an expired secret and a failed read are each
 * an outcome.
 */
export async function readCredentialExpiry(
  client: DefenderClient,
  signal?: AbortSignal,
): Promise<CredentialCheck> {
  try {
    return fromLookup(await client.applications.credentialInUse(signal));
  } catch (error) {
    return checkAfterFailure(error);
  }
}

/** The look a failed sign-in amounts to: an expired secret is known as such, anything else says nothing. */
export function checkAfterFailure(error: unknown): CredentialCheck {
  return { outcome: isSecretExpired(error) ? 'expired' : 'failed', checkedAt: new Date().toISOString() };
}

function fromLookup(lookup: CredentialLookup): CredentialCheck {
  const checkedAt = new Date().toISOString();
  if (lookup.kind !== 'found') return { outcome: lookup.kind, expiresAt: null, checkedAt };
  const end = lookup.credential.endDateTime;
  return end === null
    ? { outcome: 'noExpiry', expiresAt: null, checkedAt }
    : { outcome: 'found', expiresAt: end.date.toISOString(), checkedAt };
}

export function isSecretExpired(error: unknown): error is DefenderAuthError {
  return error instanceof DefenderAuthError && error.code === DefenderErrorCode.SecretExpired;
}

/**
 * Entra says only that the secret expired, not when; the hub may know the date from an earlier look. The
 * error keeps its code (DEFENDER_AUTH_SECRET_EXPIRED) and Entra's trace ids; anything else passes unchanged.
 */
export function withExpiryDate(error: unknown, expiresAt: string | null): unknown {
  if (!isSecretExpired(error)) return error;
  const reference = error.entra === undefined ? '' : ` ${entraReference(error.entra)}`;
  return new DefenderAuthError(error.code, `${expiredCredentialMessage('secret', expiresAt)}${reference}`, {
    cause: error,
    status: error.status,
    ...(error.entra === undefined ? {} : { entra: error.entra }),
  });
}
