import { resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';

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
  PORT: z.coerce
    .number({ error: 'PORT must be a number.' })
    .int({ error: 'PORT must be a whole number.' })
    .min(0)
    .max(65535, { error: 'PORT must be at most 65535.' })
    .default(8080),
  HUB_SECRET_KEY: z.string().optional(),
  HUB_ADMIN_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface HubConfig {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly port: number;
  /** Never logged or printed. */
  readonly secretKey: string | undefined;
  readonly adminPassword: string | undefined;
  readonly logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // Messages that name their variable already ("PORT must be a number.") are not prefixed with it again.
    const describe = (i: { path: PropertyKey[]; message: string }): string => {
      const name = i.path.join('.');
      return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
    };
    throw new InputError(parsed.error.issues.map(describe).join(' '));
  }
  const c = parsed.data;
  const dataDir = resolve(c.HUB_DATA_DIR);
  return Object.freeze({
    dataDir,
    databaseUrl: c.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'defender-hub.db')}`,
    port: c.PORT,
    secretKey: c.HUB_SECRET_KEY,
    adminPassword: c.HUB_ADMIN_PASSWORD,
    logLevel: c.LOG_LEVEL,
  });
}
