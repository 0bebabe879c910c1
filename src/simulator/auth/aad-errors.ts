import { randomUUID } from 'node:crypto';
import { sendJson } from '../http/responses.js';
import type { Exchange } from '../http/exchange.js';
import { aadTimestamp } from '../time.js';

/**
 * Entra's token-endpoint error body: `error_description` starts with the AADSTS code and ends with the trace,
 * correlation and timestamp lines (CRLF-separated, as in the documented bodies). The correlation id echoes the
 * caller's `client-request-id`, as Entra does.
 */
export function sendAadError(
  ex: Exchange,
  status: number,
  error: string,
  code: number,
  description: string,
): Promise<void> {
  const traceId = randomUUID();
  const header = ex.req.headers['client-request-id'];
  const correlationId =
    typeof header === 'string' ? header : (ex.query.get('client-request-id') ?? randomUUID());
  const timestamp = aadTimestamp(Date.now());
  return sendJson(ex, status, {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

export function unknownTenantText(tenant: string): string {
  return (
    `Tenant '${tenant}' not found. This may happen if there are no active subscriptions for the tenant. Check to ` +
    'make sure you have the correct tenant ID. Check with your subscription administrator.'
  );
}
