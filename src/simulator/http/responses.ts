import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Exchange } from './exchange.js';

export const JSON_TYPE = 'application/json; charset=utf-8';
/**
 * How much of a body a `reset` fault lets through before the socket is destroyed: enough for a client to have
 * handed out records already, so resuming mid-page is what gets tested.
 */
const RESET_AFTER_BYTES = 64 * 1024;

/** Writes the first `keep` units of `chunk`, lets them reach the wire, then destroys the socket mid-body. */
async function cutMidBody(res: ServerResponse, chunk: string | Buffer, keep: number): Promise<false> {
  await new Promise<void>((resolve) =>
    res.write(typeof chunk === 'string' ? chunk.slice(0, keep) : chunk.subarray(0, keep), () => {
      resolve();
    }),
  );
  await sleep(20);
  res.socket?.destroy();
  return false;
}

/**
 * Writes a body from chunks with backpressure (`write` + `drain`), so a 200 MB export page never exists as one
 * string. A `reset` fault sends the status, the headers and part of the body, then destroys the socket.
 * Resolves `false` when the body did not go out completely.
 */
export async function sendChunks(
  ex: Exchange,
  status: number,
  headers: OutgoingHttpHeaders,
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
): Promise<boolean> {
  const { res } = ex;
  res.writeHead(status, { 'request-id': ex.requestId, ...headers });
  const reset = ex.faults.kind === 'reset';
  let sent = 0;
  // One chunk is held back so a reset can still cut a body that ends before the reset point.
  let held: string | Buffer | undefined;
  for await (const chunk of chunks) {
    if (res.destroyed) return false;
    if (held !== undefined) {
      sent += held.length;
      if (!res.write(held)) await drainedOrClosed(res);
    }
    held = chunk;
    if (reset && sent + chunk.length >= RESET_AFTER_BYTES)
      return cutMidBody(res, chunk, Math.max(1, RESET_AFTER_BYTES - sent));
  }
  if (held !== undefined) {
    if (reset) return cutMidBody(res, held, Math.max(1, Math.floor(held.length / 2)));
    if (!res.write(held)) await drainedOrClosed(res);
  }
  if (res.destroyed) return false;
  res.end();
  return true;
}

/** Resolves on `drain` or `close`, removing both listeners (one pair per wait, not one per chunk ever). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function sendJson(
  ex: Exchange,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  const text = JSON.stringify(body);
  const length = ex.faults.kind === 'reset' ? {} : { 'content-length': Buffer.byteLength(text) };
  await sendChunks(ex, status, { 'content-type': JSON_TYPE, ...length, ...headers }, [text]);
}

export async function sendText(
  ex: Exchange,
  status: number,
  contentType: string,
  text: string,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  await sendChunks(
    ex,
    status,
    { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers },
    [text],
  );
}

/** MDE's error body: `{"error":{"code","message","target"}}`, target being a per-response tracking id. */
export function sendMdeError(
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  return sendJson(ex, status, { error: { code, message, target: ex.requestId } }, headers);
}

/** Graph's error body, with the `innerError` Graph always adds. */
export function sendGraphError(
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  const clientRequestId = ex.req.headers['client-request-id'];
  return sendJson(
    ex,
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': ex.requestId,
          'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : ex.requestId,
        },
      },
    },
    headers,
  );
}

const GRAPH_CODES: Record<string, string> = {
  BadRequest: 'BadRequest',
  InvalidInput: 'BadRequest',
  ODataError: 'BadRequest',
  Unauthorized: 'InvalidAuthenticationToken',
  TooManyRequests: 'TooManyRequests',
  InternalServerError: 'InternalServerError',
  ServiceUnavailable: 'ServiceUnavailable',
  ResourceNotFound: 'ResourceNotFound',
};

const STORAGE_CODES: Record<string, string> = {
  TooManyRequests: 'ServerBusy',
  ServiceUnavailable: 'ServerBusy',
  InternalServerError: 'InternalError',
};

/** ARM's own codes where they differ from MDE's (ARM's CloudError body is `{"error":{"code","message"}}`). */
const ARM_CODES: Record<string, string> = {
  Unauthorized: 'InvalidAuthenticationToken',
  InvalidInput: 'BadRequest',
};

/** An error in the shape of the service the route imitates (MDE, Graph, ARM or Azure Storage). */
export function sendApiError(
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  if (ex.surface === 'graph') return sendGraphError(ex, status, GRAPH_CODES[code] ?? code, message, headers);
  if (ex.surface === 'arm') {
    return sendJson(
      ex,
      status,
      { error: { code: ARM_CODES[code] ?? code, message } },
      {
        'x-ms-request-id': ex.requestId,
        ...headers,
      },
    );
  }
  if (ex.surface === 'blob')
    return sendStorageError(ex, status, STORAGE_CODES[code] ?? code, message, undefined, headers);
  return sendMdeError(ex, status, code, message, headers);
}

/** Azure Storage's XML error document. */
export function sendStorageError(
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  detail: string | undefined,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  const xml =
    '\uFEFF<?xml version="1.0" encoding="utf-8"?><Error>' +
    `<Code>${code}</Code><Message>${message}\nRequestId:${ex.requestId}\nTime:${new Date().toISOString()}</Message>` +
    (detail === undefined ? '' : `<AuthenticationErrorDetail>${detail}</AuthenticationErrorDetail>`) +
    '</Error>';
  return sendText(ex, status, 'application/xml', xml, {
    'x-ms-request-id': ex.requestId,
    'x-ms-error-code': code,
    ...headers,
  });
}

export function newRequestId(): string {
  return randomUUID();
}
