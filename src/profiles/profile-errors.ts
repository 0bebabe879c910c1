import { HubError } from '../errors.js';

export class ProfileNotFoundError extends HubError {
  constructor(id: number) {
    super('PROFILE_NOT_FOUND', `No rule profile with id ${id}. List profiles with GET /api/v1/profiles.`);
  }
}

export class ProfileNameTakenError extends HubError {
  constructor(name: string) {
    super('PROFILE_NAME_TAKEN', `A rule profile named "${name}" exists already: choose another name.`);
  }
}
