import { describe, expect, it } from 'vitest';
import {
  credentialCheckDue,
  credentialWarnings,
  expiredCredentialMessage,
  type CredentialHealthState,
} from '../../src/integrations/credential-health.js';

const now = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const inDays = (days: number): string => new Date(now.getTime() + days * DAY).toISOString();
const secret = (change: Partial<CredentialHealthState>): CredentialHealthState => ({
  type: 'secret',
  outcome: 'found',
  expiresAt: null,
  ...change,
});

describe('credential expiry warnings', () => {
  it.each([
    [400, 'none'],
    [31, 'none'],
    [30, 'notice'],
    [15, 'notice'],
    [14, 'warning'],
    [10, 'warning'],
    [3.5, 'warning'],
    [3, 'critical'],
    [2, 'critical'],
    [0.1, 'critical'],
  ] as const)('should warn %s days before expiry at level %s', (days, level) => {
    const warnings = credentialWarnings(secret({ expiresAt: inDays(days) }), now);
    if (level === 'none') {
      expect(warnings).toEqual([]);
      return;
    }
    expect(warnings).toEqual([
      { level, code: 'CREDENTIAL_EXPIRES_SOON', message: expect.any(String) as unknown },
    ]);
    expect(warnings[0]?.message).toMatch(
      /^The client secret expires on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, in /,
    );
    expect(warnings[0]?.message).toMatch(
      /create a new one in Entra ID and update the integration before then\.$/,
    );
  });

  it('should say how many days are left, and less than a day at the end', () => {
    const message = (days: number) =>
      credentialWarnings(secret({ expiresAt: inDays(days) }), now)[0]?.message;
    expect(message(10)).toContain('2026-12-11 12:00 UTC, in 10 days;');
    expect(message(1)).toContain('in 1 day;');
    expect(message(0.5)).toContain('in less than a day;');
  });

  it('should show an expiry in the past as expired, with its date', () => {
    expect(credentialWarnings(secret({ expiresAt: inDays(-2) }), now)).toEqual([
      {
        level: 'critical',
        code: 'CREDENTIAL_EXPIRED',
        message:
          'The client secret expired on 2026-11-29 12:00 UTC; create a new one in Entra ID and update the integration.',
      },
    ]);
    expect(credentialWarnings(secret({ expiresAt: now.toISOString() }), now)[0]?.code).toBe(
      'CREDENTIAL_EXPIRED',
    );
  });

  it('should show a secret Entra refused as expired as expired, with or without a known date', () => {
    const known = credentialWarnings(secret({ outcome: 'expired', expiresAt: inDays(5) }), now);
    expect(known).toEqual([expect.objectContaining({ level: 'critical', code: 'CREDENTIAL_EXPIRED' })]);
    expect(known[0]?.message).toMatch(/^The client secret expired on 2026-12-06 12:00 UTC; /);
    const unknown = credentialWarnings(secret({ outcome: 'expired', expiresAt: null }), now);
    expect(unknown[0]?.message).toBe(
      'The client secret has expired; create a new one in Entra ID and update the integration.',
    );
  });

  it('should say nothing while the expiry is unknown for no known reason', () => {
    expect(credentialWarnings(secret({ outcome: null }), now)).toEqual([]);
    expect(credentialWarnings(secret({ outcome: 'failed' }), now)).toEqual([]);
    expect(credentialWarnings(secret({ outcome: 'noExpiry' }), now)).toEqual([]);
    expect(credentialWarnings(secret({ expiresAt: 'not a date' }), now)).toEqual([]);
  });

  it('should note which permission would make the expiry known', () => {
    expect(credentialWarnings(secret({ outcome: 'notPermitted' }), now)).toEqual([
      {
        level: 'info',
        code: 'CREDENTIAL_EXPIRY_NOT_PERMITTED',
        message: expect.stringMatching(/grant the app Application\.Read\.All \(Microsoft Graph/) as unknown,
      },
    ]);
    expect(credentialWarnings(secret({ outcome: 'notListed' }), now)[0]?.code).toBe('CREDENTIAL_NOT_LISTED');
    expect(credentialWarnings(secret({ outcome: 'applicationNotFound' }), now)[0]?.code).toBe(
      'CREDENTIAL_APPLICATION_NOT_FOUND',
    );
  });

  it('should speak of a certificate as a certificate', () => {
    const [warning] = credentialWarnings(
      { type: 'certificate', outcome: 'found', expiresAt: inDays(2) },
      now,
    );
    expect(warning?.message).toMatch(
      /^The certificate expires on .*upload a new one to the app registration/,
    );
    expect(expiredCredentialMessage('certificate', null)).toMatch(/^The certificate has expired; upload/);
  });
});

describe('the daily look', () => {
  it('should be due when never looked or a day ago, not before', () => {
    expect(credentialCheckDue(null, now)).toBe(true);
    expect(credentialCheckDue(inDays(-1), now)).toBe(true);
    expect(credentialCheckDue(inDays(-0.9), now)).toBe(false);
    expect(credentialCheckDue('garbage', now)).toBe(true);
  });
});
