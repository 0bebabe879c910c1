import { APPLICATION_READ_ROLE } from '../defender/index.js';
import type {
  CredentialType,
  CredentialWarning,
  CredentialWarningLevel,
} from '../domain/credential-warnings.js';

/**
 * What the hub's last look at an integration's credential found:
 * - `found`: the app registration's credential in use and its end date; `noExpiry`: it has none;
 * - `notPermitted`: the app lacks Application.Read.All, so Graph refused to show it (the integration is fine);
 * - `notListed`: the app registration has no credential with this secret's hint or certificate's thumbprint;
 * - `applicationNotFound`: no app registration with this client ID in the tenant (a multi-tenant app's home
 *   tenant holds it);
 * - `expired`: Entra refused the sign-in because the secret expired (AADSTS7000222);
 * - `failed`: the look itself failed (network, sign-in); what was known before still stands.
 */
export const credentialCheckOutcomes = [
  'found',
  'noExpiry',
  'notPermitted',
  'notListed',
  'applicationNotFound',
  'expired',
  'failed',
] as const;
export type CredentialCheckOutcome = (typeof credentialCheckOutcomes)[number];

/** What is known of a credential's health: the last outcome (null: never looked) and its end date. */
export interface CredentialHealthState {
  readonly type: CredentialType;
  readonly outcome: CredentialCheckOutcome | null;
  readonly expiresAt: string | null;
}

export const CredentialWarningCode = {
  Expired: 'CREDENTIAL_EXPIRED',
  ExpiresSoon: 'CREDENTIAL_EXPIRES_SOON',
  ExpiryNotPermitted: 'CREDENTIAL_EXPIRY_NOT_PERMITTED',
  NotListed: 'CREDENTIAL_NOT_LISTED',
  ApplicationNotFound: 'CREDENTIAL_APPLICATION_NOT_FOUND',
} as const;

/** From the widest window to the narrowest: the narrowest one the expiry falls in sets the level. */
export const expiryWarningWindows: readonly {
  readonly days: number;
  readonly level: CredentialWarningLevel;
}[] = [
  { days: 30, level: 'notice' },
  { days: 14, level: 'warning' },
  { days: 3, level: 'critical' },
];

const DAY_MS = 86_400_000;

/** How often the sync looks at a credential's expiry: its end date does not move, one read a day is plenty. */
export const credentialCheckIntervalMs = DAY_MS;

/** The warnings to show for a credential at `now`: at most one about its expiry, or a note why it is unknown. */
export function credentialWarnings(state: CredentialHealthState, now: Date): CredentialWarning[] {
  const { type, outcome, expiresAt } = state;
  if (outcome === 'expired') return [expiredWarning(type, expiresAt)];
  if (expiresAt !== null) return expiryWarnings(type, expiresAt, now);
  const note = outcome === null ? undefined : unknownExpiryNote(type, outcome);
  return note === undefined ? [] : [note];
}

function expiryWarnings(type: CredentialType, expiresAt: string, now: Date): CredentialWarning[] {
  const leftMs = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(leftMs)) return [];
  if (leftMs <= 0) return [expiredWarning(type, expiresAt)];
  const window = expiryWarningWindows.filter((w) => leftMs <= w.days * DAY_MS).at(-1);
  if (window === undefined) return [];
  return [
    {
      level: window.level,
      code: CredentialWarningCode.ExpiresSoon,
      message:
        `The ${noun(type)} expires on ${formatInstant(expiresAt)}, ${inDays(leftMs)}; ` +
        `${renewal(type)} before then.`,
    },
  ];
}

function expiredWarning(type: CredentialType, expiresAt: string | null): CredentialWarning {
  return {
    level: 'critical',
    code: CredentialWarningCode.Expired,
    message: expiredCredentialMessage(type, expiresAt),
  };
}

/** "The client secret expired on 2026-11-30 21:00 UTC; create a new one in Entra ID and update the integration." */
export function expiredCredentialMessage(type: CredentialType, expiresAt: string | null): string {
  const when = expiresAt === null ? 'has expired' : `expired on ${formatInstant(expiresAt)}`;
  return `The ${noun(type)} ${when}; ${renewal(type)}.`;
}

function unknownExpiryNote(
  type: CredentialType,
  outcome: CredentialCheckOutcome,
): CredentialWarning | undefined {
  switch (outcome) {
    case 'notPermitted':
      return {
        level: 'info',
        code: CredentialWarningCode.ExpiryNotPermitted,
        message:
          `When the ${noun(type)} expires is unknown: grant the app ${APPLICATION_READ_ROLE} (Microsoft Graph, ` +
          'application permission, with admin consent) and the hub reads it and warns 30, 14 and 3 days ahead.',
      };
    case 'notListed':
      return {
        level: 'info',
        code: CredentialWarningCode.NotListed,
        message:
          `When the ${noun(type)} expires is unknown: the app registration lists no ${noun(type)} with ` +
          `${type === 'secret' ? "this secret's first characters" : "this certificate's thumbprint"}.`,
      };
    case 'applicationNotFound':
      return {
        level: 'info',
        code: CredentialWarningCode.ApplicationNotFound,
        message:
          `When the ${noun(type)} expires is unknown: the app registration is not in this tenant (a multi-tenant ` +
          "app's registration lives in its home tenant).",
      };
    default:
      return undefined;
  }
}

/** Whether the daily look is due: never looked, or longer ago than the interval. */
export function credentialCheckDue(checkedAt: string | null, now: Date): boolean {
  if (checkedAt === null) return true;
  const at = Date.parse(checkedAt);
  return Number.isNaN(at) || now.getTime() - at >= credentialCheckIntervalMs;
}

function noun(type: CredentialType): string {
  return type === 'secret' ? 'client secret' : 'certificate';
}

function renewal(type: CredentialType): string {
  return type === 'secret'
    ? 'create a new one in Entra ID and update the integration'
    : 'upload a new one to the app registration in Entra ID and update the integration';
}

/** `2026-11-30 21:00 UTC`: minutes are enough for an expiry, and the zone is said. */
function formatInstant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function inDays(leftMs: number): string {
  if (leftMs < DAY_MS) return 'in less than a day';
  const days = Math.round(leftMs / DAY_MS);
  return `in ${days} day${days === 1 ? '' : 's'}`;
}
