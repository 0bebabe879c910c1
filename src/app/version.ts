import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The version in package.json, read where the package is installed: this module sits one folder below the
 * package root both as src/app/version.ts and as dist/app/version.js, so a release never needs it written twice.
 */
export const hubVersion: string = z
  .object({ version: z.string().min(1) })
  .parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as unknown).version;
