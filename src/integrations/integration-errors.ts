import { ConflictError, NotFoundError } from '../errors.js';

export const integrationNotFound = (id: string): NotFoundError =>
  new NotFoundError(
    'INTEGRATION_NOT_FOUND',
    `No integration with id or name "${id}". List them with \`defender-hub integrations list\`.`,
  );

export class IntegrationConflictError extends ConflictError {
  constructor(name: string) {
    super('INTEGRATION_NAME_TAKEN', `An integration named "${name}" exists already: choose another name.`);
  }
}
