import { ConflictError, NotFoundError } from '../errors.js';

export const profileNotFound = (id: number): NotFoundError =>
  new NotFoundError(
    'PROFILE_NOT_FOUND',
    `No rule profile with id ${id}; list the profiles to see which exist.`,
  );

export class ProfileNameTakenError extends ConflictError {
  constructor(name: string) {
    super('PROFILE_NAME_TAKEN', `A rule profile named "${name}" exists already: choose another name.`);
  }
}
