import { z } from 'zod';
import { roles } from '../domain/roles.js';

const username = z
  .string({ error: 'username is required.' })
  .trim()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}$/, {
    error:
      'username must be 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.',
  });

/** Long rather than complex: the length is what resists guessing; the cap bounds the hashing work. */
const password = z
  .string({ error: 'password is required.' })
  .min(12, { error: 'password must be at least 12 characters.' })
  .max(200, { error: 'password must be at most 200 characters.' });

const role = z.enum(roles, { error: `role must be one of ${roles.join(', ')}.` });

export const loginInput = z
  .object({
    username: z.string({ error: 'username is required.' }).trim().min(1).max(64),
    password: z.string({ error: 'password is required.' }).min(1).max(200),
  })
  .strict();

export const createUserInput = z
  .object({
    username,
    role,
    password: password.optional().describe('Generated and answered once when left out.'),
  })
  .strict();

export const updateUserInput = z.object({ role: role.optional(), password: password.optional() }).strict();

export const createTokenInput = z
  .object({
    name: z.string({ error: 'name is required.' }).trim().min(1).max(100),
    role: role.describe("No higher than the creator's role."),
  })
  .strict();

export { password as passwordSchema, username as usernameSchema };
