import { HubError } from '../errors.js';

/** Why a caller was turned away; `code` picks the HTTP status (401, 403 or 429). */
export class AuthError extends HubError {}

export const authRequired = (): AuthError =>
  new AuthError(
    'AUTH_REQUIRED',
    'Sign in first (POST /api/v1/session), or send an API token as "Authorization: Bearer <token>".',
  );

export const loginFailed = (): AuthError =>
  new AuthError('AUTH_FAILED', 'The username or the password is wrong.');

export const accountLocked = (minutes: number): AuthError =>
  new AuthError(
    'AUTH_LOCKED',
    `Too many failed sign-ins for this account: try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset the password (defender-hub users reset-password).`,
  );

export const tooManyAttempts = (): AuthError =>
  new AuthError(
    'AUTH_RATE_LIMITED',
    'Too many failed sign-ins from this address: wait 15 minutes before trying again.',
  );

export const roleTooLow = (needed: string, held: string): AuthError =>
  new AuthError(
    'AUTH_FORBIDDEN',
    `This needs the ${needed} role; you have ${held}. Ask an admin for a higher role or use a token that has it.`,
  );

export const csrfInvalid = (): AuthError =>
  new AuthError(
    'CSRF_INVALID',
    'This change needs the X-CSRF-Token header of your session (GET /api/v1/session gives it); reload the page and try again.',
  );

export class UserNotFoundError extends HubError {
  constructor(ref: number | string) {
    super(
      'USER_NOT_FOUND',
      `No user ${typeof ref === 'number' ? `with id ${ref}` : `named "${ref}"`}; list them with GET /api/v1/users or \`defender-hub users list\`.`,
    );
  }
}

export class TokenNotFoundError extends HubError {
  constructor(id: number) {
    super('TOKEN_NOT_FOUND', `No API token with id ${id} of yours; list them with GET /api/v1/tokens.`);
  }
}

export const userNameTaken = (username: string): HubError =>
  new HubError('USER_NAME_TAKEN', `A user named "${username}" exists already: choose another name.`);

export const lastAdmin = (): HubError =>
  new HubError(
    'USER_LAST_ADMIN',
    'This is the only admin: make another user admin first, so the hub keeps someone who can manage it.',
  );
