import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { HubError, InputError } from '../errors.js';
import { defaultSlaDays, parseSlaDays, type SlaDays } from '../domain/remediation.js';
import type { JobQueueTuning } from '../jobs/sync-job-queue.js';
import type { RetentionPeriods } from './retention.js';

/**
 * `Critical=7,High=30`: days allowed to fix a finding per severity, over `base` (by default Critical 15, High 30,
 * Medium 90, Low 180). The one format for HUB_SLA_DAYS and the API's `sla` parameter.
 */
export function parseSlaDaysText(
  text: string,
  base: SlaDays = defaultSlaDays,
): { ok: true; value: SlaDays } | { ok: false; error: string } {
  const entries: [string, unknown][] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [severity = '', days, ...rest] = part.split('=');
    if (days === undefined || rest.length > 0)
      return { ok: false, error: `"${part.trim()}" is not SEVERITY=DAYS (e.g. Critical=7,High=30)` };
    entries.push([severity.trim(), /^\s*\d+\s*$/.test(days) ? Number(days) : days.trim()]);
  }
  const parsed = parseSlaDays(Object.fromEntries(entries), base);
  return parsed.ok ? parsed : { ok: false, error: parsed.errors.join('; ') };
}

/** A whole number of `unit` from min to max, with its default, and messages that name the variable. */
function wholeNumberVariable(name: string, unit: string, min: number, max: number, fallback: number) {
  return z.coerce
    .number({ error: `${name} must be a number of ${unit}.` })
    .int({ error: `${name} must be a whole number of ${unit}.` })
    .min(min, { error: `${name} must be at least ${min} ${unit}.` })
    .max(max, { error: `${name} must be at most ${max} ${unit}.` })
    .default(fallback);
}

/** Environment configuration, each setting with its default (see README, "Configuration"). */
const configSchema = z.object({
  HUB_DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => v.startsWith('sqlite:') || v.startsWith('postgres://') || v.startsWith('postgresql://'), {
      error: 'DATABASE_URL must start with sqlite: or postgres:// (e.g. sqlite:./data/defender-hub.db).',
    })
    .optional(),
  HUB_HOST: z.string().trim().min(1, { error: 'HUB_HOST must not be empty.' }).default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number.' })
    .int({ error: 'PORT must be a whole number.' })
    .min(0)
    .max(65535, { error: 'PORT must be at most 65535.' })
    .default(8080),
  HUB_SECRET_KEY: z.string().optional(),
  HUB_ADMIN_PASSWORD: z.string().optional(),
  HUB_TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'HUB_TRUST_PROXY must be true or false.' })
    .default('false')
    .transform((v) => v === 'true'),
  HUB_METRICS_PUBLIC: z
    .enum(['true', 'false'], { error: 'HUB_METRICS_PUBLIC must be true or false.' })
    .default('false')
    .transform((v) => v === 'true'),
  HUB_SESSION_IDLE_MINUTES: z.coerce
    .number({ error: 'HUB_SESSION_IDLE_MINUTES must be a number of minutes.' })
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  HUB_SESSION_MAX_HOURS: z.coerce
    .number({ error: 'HUB_SESSION_MAX_HOURS must be a number of hours.' })
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  // pg-boss refuses a heartbeat under 10 seconds.
  HUB_JOB_HEARTBEAT_SECONDS: wholeNumberVariable('HUB_JOB_HEARTBEAT_SECONDS', 'seconds', 10, 3600, 30),
  HUB_JOB_RETRY_LIMIT: wholeNumberVariable('HUB_JOB_RETRY_LIMIT', 'retries', 0, 20, 3),
  HUB_JOB_RETRY_DELAY_SECONDS: wholeNumberVariable('HUB_JOB_RETRY_DELAY_SECONDS', 'seconds', 1, 86_400, 60),
  HUB_RETENTION_JOBS_DAYS: wholeNumberVariable('HUB_RETENTION_JOBS_DAYS', 'days', 1, 3650, 7),
  HUB_RETENTION_SYNC_RUNS_DAYS: wholeNumberVariable('HUB_RETENTION_SYNC_RUNS_DAYS', 'days', 1, 3650, 90),
  HUB_RETENTION_AUDIT_LOG_DAYS: wholeNumberVariable('HUB_RETENTION_AUDIT_LOG_DAYS', 'days', 1, 3650, 365),
  HUB_RETENTION_HUNTING_RESULTS_HOURS: wholeNumberVariable(
    'HUB_RETENTION_HUNTING_RESULTS_HOURS',
    'hours',
    1,
    24 * 365,
    24,
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HUB_SLA_DAYS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return defaultSlaDays;
      const parsed = parseSlaDaysText(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: `HUB_SLA_DAYS: ${parsed.error}.` });
      return z.NEVER;
    }),
});

export interface HubConfig {
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** The address `serve` listens on unless --host says otherwise. */
  readonly host: string;
  readonly port: number;
  /** Never logged or printed. */
  readonly secretKey: string | undefined;
  readonly adminPassword: string | undefined;
  /**
   * Behind a reverse proxy (TLS terminated there): take the client's address and scheme from X-Forwarded-For
   * and X-Forwarded-Proto, so sign-in limits and the audit log see the client and cookies are marked Secure.
   */
  readonly trustProxy?: boolean;
  /** `GET /metrics` answers without a session or API token: for scrapers on a private network. */
  readonly metricsPublic?: boolean;
  /** UI sessions end after this many idle minutes, and this many hours after sign-in at the latest. */
  readonly sessionIdleMinutes?: number;
  readonly sessionMaxHours?: number;
  readonly logLevel: string;
  /** Days allowed to fix an open finding, per severity (HUB_SLA_DAYS); the defaults when absent. */
  readonly slaDays?: SlaDays | undefined;
  /** PostgreSQL: how the job engine heartbeats, retries and keeps finished jobs (HUB_JOB_*, HUB_RETENTION_JOBS_DAYS). */
  readonly jobs?: JobQueueTuning;
  /** How long sync runs, the audit log and hunting results are kept (HUB_RETENTION_*). */
  readonly retention?: RetentionPeriods;
}

/** Stable codes of the configuration errors that are not a value's format (those are INVALID_INPUT). */
export const ConfigErrorCode = {
  /** Both `X` and `X_FILE` are set: which one wins would be a guess. */
  FileConflict: 'CONFIG_FILE_CONFLICT',
  FileUnreadable: 'CONFIG_FILE_UNREADABLE',
  /** An empty secret file is a mount gone wrong, not a choice: an empty HUB_SECRET_KEY would mean "use the key file". */
  FileEmpty: 'CONFIG_FILE_EMPTY',
} as const;
export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

export class ConfigError extends HubError {
  declare readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** The variables that may instead name a file holding their value (`X_FILE`), as Docker and Kubernetes secrets are mounted. */
export const fileVariables = ['DATABASE_URL', 'HUB_SECRET_KEY', 'HUB_ADMIN_PASSWORD'] as const;

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * The environment with each `X_FILE` replaced by `X`, read from that file without its trailing line breaks, and
 * where each came from. Errors name the variable and the path, never what the file holds.
 */
function withFileVariables(env: NodeJS.ProcessEnv): {
  env: NodeJS.ProcessEnv;
  fromFile: ReadonlyMap<string, string>;
} {
  const resolved = { ...env };
  const fromFile = new Map<string, string>();
  for (const name of fileVariables) {
    const path = env[`${name}_FILE`];
    if (!isSet(path)) continue;
    if (isSet(env[name]))
      throw new ConfigError(
        ConfigErrorCode.FileConflict,
        `Both ${name} and ${name}_FILE are set: set only one of them.`,
      );
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(
        ConfigErrorCode.FileUnreadable,
        `${name}_FILE names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}): check the path and that this user may read it.`,
        { cause: error },
      );
    }
    const value = text.replace(/(\r?\n)+$/, '');
    if (value === '')
      throw new ConfigError(ConfigErrorCode.FileEmpty, `${name}_FILE names ${path}, which is empty.`);
    resolved[name] = value;
    fromFile.set(name, `${name} (from ${name}_FILE ${path})`);
  }
  return { env: resolved, fromFile };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const { env: resolved, fromFile } = withFileVariables(env);
  const parsed = configSchema.safeParse(resolved);
  if (!parsed.success) {
    // Messages that name their variable already ("PORT must be a number.") are not prefixed with it again; a
    // value read from a file says which file.
    const describe = (i: { path: PropertyKey[]; message: string }): string => {
      const name = i.path.join('.');
      const message = i.message.startsWith(name) ? i.message.slice(name.length) : `: ${i.message}`;
      return `${fromFile.get(name) ?? name}${message}`;
    };
    throw new InputError(parsed.error.issues.map(describe).join(' '));
  }
  const c = parsed.data;
  const dataDir = resolve(c.HUB_DATA_DIR);
  return Object.freeze({
    dataDir,
    databaseUrl: c.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'defender-hub.db')}`,
    host: c.HUB_HOST,
    port: c.PORT,
    secretKey: c.HUB_SECRET_KEY,
    adminPassword: c.HUB_ADMIN_PASSWORD,
    trustProxy: c.HUB_TRUST_PROXY,
    metricsPublic: c.HUB_METRICS_PUBLIC,
    sessionIdleMinutes: c.HUB_SESSION_IDLE_MINUTES,
    sessionMaxHours: c.HUB_SESSION_MAX_HOURS,
    logLevel: c.LOG_LEVEL,
    slaDays: c.HUB_SLA_DAYS,
    jobs: {
      heartbeatSeconds: c.HUB_JOB_HEARTBEAT_SECONDS,
      retryLimit: c.HUB_JOB_RETRY_LIMIT,
      retryDelaySeconds: c.HUB_JOB_RETRY_DELAY_SECONDS,
      keepFinishedSeconds: c.HUB_RETENTION_JOBS_DAYS * 86_400,
    },
    retention: {
      syncRunsDays: c.HUB_RETENTION_SYNC_RUNS_DAYS,
      auditLogDays: c.HUB_RETENTION_AUDIT_LOG_DAYS,
      huntingResultsHours: c.HUB_RETENTION_HUNTING_RESULTS_HOURS,
    },
  });
}
