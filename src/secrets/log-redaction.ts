import { pino, type Logger, type LoggerOptions } from 'pino';
import { Secret, redacted } from '../domain/secret.js';

/**
 * Key names whose values are secrets wherever they sit, compared by their ending, without case, `-` or `_`:
 * `clientSecret`, `client_secret`, `adminPassword`, `accessToken`, `set-cookie` and `Proxy-Authorization` all
 * match; `tokenId`, `secretExpiresAt` and `credential` (the API's `{type, set, setAt}`) do not.
 */
const secretKeyEndings = [
  'authorization',
  'cookie',
  'password',
  'passphrase',
  'secret',
  'secretkey',
  'token',
  'apikey',
  'privatekey',
  'certificate',
  'certificatepem',
  'clientassertion',
  'sessionid',
] as const;

export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_\s]/g, '');
  return secretKeyEndings.some((ending) => normalised.endsWith(ending));
}

/**
 * Secrets that give themselves away by their shape, in any text: bearer and basic credentials, JWTs (access
 * tokens, client assertions), and form or query fields (a token request's body, a SAS link's signature).
 */
const secretPatterns: readonly (readonly [RegExp, string])[] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi, `$1 ${redacted}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, redacted],
  [
    /\b(client_secret|client_assertion|password|access_token|refresh_token|id_token|token|sig)=[^&\s"']+/gi,
    `$1=${redacted}`,
  ],
];

export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement);
  return result;
}

/** Deeper than any log object we write; what is below is cut rather than walked. */
const maxDepth = 12;

/**
 * A copy of `value` fit to be written out, with every secret replaced by `[redacted]` at any depth: values under
 * a secret key, `Secret`s, secret-shaped text, and errors with their causes. It follows JSON's rules (`toJSON`,
 * own enumerable keys), so it keeps what a JSON log line would have shown, and nothing more.
 */
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, 0, new Set());
}

function redactValue(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Secret) return redacted;
  if (ancestors.has(value)) return '[circular]';
  if (depth >= maxDepth) return '[too deep]';
  ancestors.add(value);
  try {
    if (value instanceof Error) return errorFields(value, depth, ancestors);
    const json = (value as { toJSON?: unknown }).toJSON;
    if (typeof json === 'function') return redactValue(json.call(value), depth + 1, ancestors);
    if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, depth + 1, ancestors));
    return redactFields(Object.entries(value), depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function redactFields(
  entries: readonly (readonly [string, unknown])[],
  depth: number,
  ancestors: Set<object>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, field] of entries) {
    copy[key] =
      isSecretKey(key) && field !== undefined && field !== null
        ? redacted
        : redactValue(field, depth + 1, ancestors);
  }
  return copy;
}

/**
 * An error as a log line shows it: its type, message, stack and own fields (a HubError's `code` and
 * `details`, a Defender error's `status`), then its cause and an AggregateError's errors the same way. pino's
 * own serializer copies fields as they are and writes causes into the message: a secret one level down in a
 * cause's fields would pass its one-level redaction paths.
 */
function errorFields(error: Error, depth: number, ancestors: Set<object>): Record<string, unknown> {
  const fields = redactFields(
    Object.entries(error).filter(([key]) => key !== 'cause'),
    depth,
    ancestors,
  );
  return {
    type: error.constructor.name === '' ? error.name : error.constructor.name,
    message: redactText(error.message),
    stack: redactText(error.stack ?? ''),
    ...fields,
    ...(error.cause === undefined ? {} : { cause: redactValue(error.cause, depth + 1, ancestors) }),
    ...(error instanceof AggregateError
      ? { errors: (error.errors as unknown[]).map((e) => redactValue(e, depth + 1, ancestors)) }
      : {}),
  };
}

/** The error serializer Fastify's logger is given: every error logged as `err` goes through it. */
export function serializeError(error: unknown): { type: string; message: string; stack: string } {
  const value = redactSecrets(error);
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const fields = value as Record<string, unknown>;
    const text = (field: unknown): string => (typeof field === 'string' ? field : '');
    return { ...fields, type: text(fields.type), message: text(fields.message), stack: text(fields.stack) };
  }
  return { type: typeof error, message: redactText(String(value)), stack: '' };
}

/** The keys pino serializes itself (Fastify's request and reply, and errors): left to their serializers. */
const serializedKeys = new Set(['req', 'res', 'err']);

/**
 * pino's redaction paths: these run after the serializers, so they cover what a `req`/`res` serializer writes;
 * everything else is already redacted by `redactLogObject`, which runs before them.
 */
const serializedSecretPaths = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (serializedKeys.has(key)) copy[key] = value;
    else if (isSecretKey(key) && value !== undefined && value !== null) copy[key] = redacted;
    else copy[key] = redactSecrets(value);
  }
  return copy;
}

export interface HubLogSettings {
  /** A pino level name (`fatal` … `trace`, `silent`); `info` by default. */
  readonly level?: string;
  /** Where the JSON lines go: stdout by default; `demo` writes them on stderr, tests capture them. */
  readonly stream?: { write(line: string): void };
}

/**
 * The hub's logger, the one every process logs through (Fastify's request log is a child of it): JSON lines,
 * with secrets redacted wherever they are: in log objects at any depth (pino's own wildcards reach one level
 * only), in errors and their causes, in message text, and in the request headers a serializer may write. Never
 * log secrets on purpose anyway: log ids.
 */
export function createHubLogger(settings: HubLogSettings = {}): Logger {
  const options = hubLoggerOptions(settings.level ?? 'info');
  return settings.stream === undefined ? pino(options) : pino(options, settings.stream);
}

function hubLoggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: serializedSecretPaths, censor: redacted },
    serializers: { err: serializeError },
    formatters: {
      log: redactLogObject,
      bindings: (bindings) => redactLogObject(bindings),
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args;
        // `log.error(err)` takes the error's message as the line's message, which no serializer sees.
        const texts = first instanceof Error && rest.length === 0 ? [first, first.message] : [first, ...rest];
        const scrubbed = texts.map((arg: unknown) => (typeof arg === 'string' ? redactText(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
}
