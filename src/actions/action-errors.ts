import { HubError } from '../errors.js';

export class ActionNotFoundError extends HubError {
  constructor(actionId: string) {
    super('ACTION_NOT_FOUND', `No machine action with id ${actionId}; list them with GET /api/v1/actions.`);
  }
}

/** A guardrail said no: the request never reached Defender. */
export class ActionRefusedError extends HubError {
  constructor(
    code:
      | 'ACTION_PROTECTED_DEVICE'
      | 'ACTION_DEVICE_NOT_ONBOARDED'
      | 'ACTION_BULK_TOO_LARGE'
      | 'ACTION_NOT_CANCELLABLE',
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details === undefined ? {} : { details });
  }
}
