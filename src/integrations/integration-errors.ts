import { HubError } from '../errors.js';

export class IntegrationNotFoundError extends HubError {
  constructor(id: string) {
    super(
      'INTEGRATION_NOT_FOUND',
      `No integration with id or name "${id}". List them with \`defender-hub integrations list\`.`,
    );
  }
}

export class IntegrationConflictError extends HubError {
  constructor(name: string) {
    super('INTEGRATION_NAME_TAKEN', `An integration named "${name}" exists already: choose another name.`);
  }
}
