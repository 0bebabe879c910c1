import { z } from 'zod';
import { roles } from '../../domain/roles.js';

const role = z.enum(roles);

export const userBody = z.object({
  id: z.number().int(),
  username: z.string(),
  role,
  passwordSetAt: z.string(),
  lastLoginAt: z.string().nullable(),
  lockedUntil: z.string().nullable().describe('Set while the account is locked after failed sign-ins.'),
  createdAt: z.string(),
});

export const tokenBody = z.object({
  id: z.number().int(),
  name: z.string(),
  role,
  username: z.string().describe('Who created it.'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Who is signed in, and how. */
export const sessionBody = z.object({
  username: z.string(),
  role,
  via: z.enum(['session', 'token']),
  csrfToken: z
    .string()
    .nullable()
    .describe('Send it as X-CSRF-Token with every change made with the session cookie; null for tokens.'),
});

/** A sign-in's answer: the user, and the CSRF token the session's changes send. */
export const signInBody = z.object({ user: userBody, csrfToken: z.string(), expiresAt: z.string() });

/** A created user, with the password generated for it (answered this once) when none was given. */
export const createdUserBody = z.object({ user: userBody, password: z.string().optional() });

/** A created API token: its secret, shown this once. */
export const createdTokenBody = z.object({ id: z.number().int(), token: z.string(), name: z.string(), role });
