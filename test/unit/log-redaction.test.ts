import { inspect } from 'node:util';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors.js';
import { Secret } from '../../src/domain/secret.js';
import { createHubLogger, isSecretKey, redactSecrets } from '../../src/secrets/log-redaction.js';

const secret = 'Q8x8Q~canary-secret-value-0123456789abcd';
const token = 'eyJhbGciOiJSUzI1NiJ9.eyJyb2xlcyI6WyJNYWNoaW5lLlJlYWQuQWxsIl19.c2lnbmF0dXJl';

/** A Fastify app with the hub's logger, its JSON lines captured at trace. */
function loggedApp(): { app: FastifyInstance; log: FastifyBaseLogger; lines: string[] } {
  const lines: string[] = [];
  const logger: FastifyBaseLogger = createHubLogger({
    level: 'trace',
    stream: { write: (l) => lines.push(l) },
  });
  const app = Fastify({ loggerInstance: logger });
  app.get('/echo-headers', (request) => {
    // A careless line: whole headers. The redaction has to catch what such lines carry.
    request.log.debug({ headers: request.headers }, 'headers');
    return {};
  });
  afterAll(() => app.close());
  return { app, log: app.log, lines };
}

describe('Secret', () => {
  it('should show [redacted] however it becomes text, and reveal only on request', () => {
    const wrapped = new Secret(secret);
    const holder = { config: { credential: { clientSecret: wrapped } } };
    for (const text of [
      JSON.stringify(holder),
      inspect(holder, { depth: 10 }),
      `${String(wrapped)} ${wrapped.toString()}`,
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the case under test: a Secret dropped into a template string
      `${wrapped}`,
    ])
      expect(text).not.toContain(secret);
    expect(JSON.stringify(holder)).toContain('[redacted]');
    expect(wrapped.reveal()).toBe(secret);
  });
});

describe('log redaction', () => {
  it('should know secret keys by their ending, and leave look-alikes', () => {
    for (const key of ['clientSecret', 'client_secret', 'password', 'adminPassword', 'token', 'accessToken'])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['authorization', 'Proxy-Authorization', 'cookie', 'set-cookie', 'certificatePem'])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['tokenId', 'secretExpiresAt', 'credential', 'name', 'keyId', 'tokens'])
      expect(isSecretKey(key), key).toBe(false);
  });

  it('should redact secrets nested deeper than pino wildcards reach', () => {
    const { log, lines } = loggedApp();
    log.info({ nested: { deeper: { clientSecret: secret } } }, 'three levels');
    log.info({ integration: { settings: { credential: { type: 'secret', clientSecret: secret } } } }, 'four');
    log.info({ list: [{ users: [{ password: secret, name: 'ann' }] }] }, 'in arrays');
    log.info({ config: { credential: { clientSecret: new Secret(secret) } } }, 'a Secret');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toContain(secret);
    expect(JSON.parse(lines[2]!)).toMatchObject({
      list: [{ users: [{ password: '[redacted]', name: 'ann' }] }],
    });
  });

  it('should redact errors and their causes, at the err key and any other', () => {
    const { log, lines } = loggedApp();
    // An HTTP library error carrying the request it failed on: the form body and headers hold the secrets.
    const cause = Object.assign(new Error('socket hang up'), {
      request: {
        body: `client_secret=${secret}&grant_type=client_credentials`,
        headers: { Authorization: `Bearer ${token}` },
      },
    });
    const error = new HubError('DEFENDER_NETWORK_ERROR', 'The connection broke.', {
      cause,
      details: { attempt: { config: { password: secret } } },
    });
    log.error({ err: error }, 'sync failed');
    log.warn({ failure: error }, 'under another key');
    log.error(error);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(token);
    }
    const logged = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(logged.err).toMatchObject({
      type: 'HubError',
      message: 'The connection broke.',
      code: 'DEFENDER_NETWORK_ERROR',
      cause: { type: 'Error', message: 'socket hang up' },
    });
    expect(JSON.stringify(logged.err.cause)).toContain(
      'client_secret=[redacted]&grant_type=client_credentials',
    );
  });

  it('should redact secret-shaped text in messages', () => {
    const { log, lines } = loggedApp();
    log.warn(`calling with Authorization: Bearer ${token}`);
    log.info(`token ${token} refused`);
    log.error(new Error(`token request failed: client_secret=${secret}`));
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(token);
    }
  });

  it('should keep request headers out of the request log', async () => {
    const { app, lines } = loggedApp();
    await app.inject({
      method: 'GET',
      url: '/echo-headers',
      headers: { authorization: `Bearer ${token}`, cookie: `session=${secret}`, 'x-request': 'kept' },
    });
    const text = lines.join('');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token);
    expect(text).toContain('kept');
    expect(lines.length).toBeGreaterThanOrEqual(3);
  });

  it('should survive circular and very deep objects', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(redactSecrets(circular)).toEqual({ name: 'loop', self: '[circular]' });
    let deep: Record<string, unknown> = { clientSecret: secret };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain(secret);
  });
});
