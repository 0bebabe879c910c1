import type { z } from 'zod';
import { InputError } from './errors.js';

/**
 * Checks caller input against a schema: the parsed value, or an InputError whose message names each field that
 * is wrong (unless the message names it already) and whose details list the issues.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new InputError(
    issues
      .map((i) => (i.message.startsWith(i.path) || i.path === '' ? i.message : `${i.path}: ${i.message}`))
      .join(' '),
    { details: { issues } },
  );
}
