import {
  stepNotPermittedCode,
  type ConnectionTestResult,
  type PermissionRow,
} from '../integrations/connection-test.js';
import { oneLine, table } from './output.js';

/** A connection test's result for a person: the verdict in the status's words, the steps, the permission table. */
export function connectionTestLines(name: string, result: ConnectionTestResult): string[] {
  const steps = table(
    ['STEP', 'RESULT', 'TIME', 'DETAIL'],
    result.steps.map((s) => [
      s.name,
      s.ok ? (s.code === stepNotPermittedCode ? 'not permitted' : 'ok') : 'failed',
      `${s.ms} ms`,
      s.ok ? oneLine(s.message ?? '') : `${oneLine(s.message ?? '')} [${s.code ?? 'FAILED'}]`,
    ]),
  );
  return [
    `Connection test of "${name}": ${result.ok ? 'ok' : 'failed'}`,
    result.label,
    '',
    ...steps,
    '',
    ...permissionLines(result.permissions),
    ...(result.product === 'cloud' ? ['', ...subscriptionLines(result)] : []),
    '',
    ...credentialLines(result.credential),
  ];
}

/** "yes", "no", or why it is not known. */
function grantedWord(row: PermissionRow): string {
  if (row.granted === null) return row.note === undefined ? 'not known' : `not known: ${row.note}`;
  return row.granted ? 'yes' : 'no';
}

/**
 * One row per feature; several APIs are separated by " / ", each with its permissions in the same place in the
 * next column. A permission the token carries is starred.
 */
function permissionLines(rows: readonly PermissionRow[]): string[] {
  return table(
    ['FEATURE', 'API', 'PERMISSIONS (ANY ONE; * GRANTED)', 'GRANTED', 'ENABLES'],
    rows.map((row) => [
      row.label,
      row.sources.map((s) => s.api).join(' / '),
      row.sources
        .map((s) => s.permissions.map((p) => `${p.name}${p.granted === true ? '*' : ''}`).join(', '))
        .join(' / '),
      grantedWord(row),
      row.enables,
    ]),
  );
}

/** Cloud: ARM access is a role per subscription, so the subscriptions stand where app roles would. */
function subscriptionLines(result: ConnectionTestResult): string[] {
  if (result.subscriptions.length === 0) return ['Subscriptions visible: none'];
  const readable = (value: boolean | null): string => (value === null ? 'not tried' : value ? 'yes' : 'no');
  return table(
    ['SUBSCRIPTION', 'NAME', 'STATE', 'READABLE (SECURITY READER)'],
    result.subscriptions.map((s) => [s.subscriptionId, s.displayName, s.state, readable(s.readable)]),
  );
}

function credentialLines(credential: ConnectionTestResult['credential']): string[] {
  return [
    `Credential expires: ${credential.expiresAt ?? 'unknown'}`,
    ...credential.warnings.map((w) => `  ${w.level}: ${oneLine(w.message)} [${w.code}]`),
  ];
}
