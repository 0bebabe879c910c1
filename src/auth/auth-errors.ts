import { ConflictError, HubError, NotFoundError } from '../errors.js';

/** Why a caller was turned away: not signed in (401), not allowed (403), or too many tries (429). */
export class AuthError extends HubError {
  constructor(code: string, message: string, httpStatus: 401 | 403 | 429) {
    super(code, message, { httpStatus });
  }
}

export const authRequired = (): AuthError =>
  new AuthError(
    'AUTH_REQUIRED',
    'Sign in first (POST /api/v1/session), or send an API token as "Authorization: Bearer <token>".',
    401,
  );

export const loginFailed = (): AuthError =>
  new AuthError('AUTH_FAILED', 'The username or the password is wrong.', 401);

export const accountLocked = (minutes: number): AuthError =>
  new AuthError(
    'AUTH_LOCKED',
    `Too many failed sign-ins for this account: try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset the password (defender-hub users reset-password).`,
    429,
  );

export const tooManyAttempts = (): AuthError =>
  new AuthError(
    'AUTH_RATE_LIMITED',
    'Too many failed sign-ins from this address: wait 15 minutes before trying again.',
    429,
  );

export const roleTooLow = (needed: string, held: string): AuthError =>
  new AuthError(
    'AUTH_FORBIDDEN',
    `This needs the ${needed} role; you have ${held}. Ask an admin for a higher role or use a token that has it.`,
    403,
  );

export const csrfInvalid = (): AuthError =>
  new AuthError(
    'CSRF_INVALID',
    'This change needs the X-CSRF-Token header of your session (GET /api/v1/session gives it); reload the page and try again.',
    403,
  );

export const userNotFound = (ref: number | string): NotFoundError =>
  new NotFoundError(
    'USER_NOT_FOUND',
    `No user ${typeof ref === 'number' ? `with id ${ref}` : `named "${ref}"`}; list them with GET /api/v1/users or \`defender-hub users list\`.`,
  );

export const tokenNotFound = (id: number): NotFoundError =>
  new NotFoundError(
    'TOKEN_NOT_FOUND',
    `No API token with id ${id} of yours; list them with GET /api/v1/tokens.`,
  );

export const userNameTaken = (username: string): ConflictError =>
  new ConflictError('USER_NAME_TAKEN', `A user named "${username}" exists already: choose another name.`);

export const lastAdmin = (): ConflictError =>
  new ConflictError(
    'USER_LAST_ADMIN',
    'This is the only admin: make another user admin first, so the hub keeps someone who can manage it.',
  );
