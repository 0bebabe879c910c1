import { HubError } from '../errors.js';

export class ProfileNotFoundError extends HubError {
  constructor(id: number) {
    super('PROFILE_NOT_FOUND', `No rule profile with id ${id}; list the profiles to see which exist.`);
  }
}

export class ProfileNameTakenError extends HubError {
  constructor(name: string) {
    super('PROFILE_NAME_TAKEN', `A rule profile named "${name}" exists already: choose another name.`);
  }
}
