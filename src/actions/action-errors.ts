import { HubError, NotFoundError } from '../errors.js';

export const actionNotFound = (actionId: string): NotFoundError =>
  new NotFoundError(
    'ACTION_NOT_FOUND',
    `No machine action with id ${actionId}; list them with GET /api/v1/actions.`,
  );

/** Each guardrail's code, by the status that says whose doing the refusal is. */
const refusalStatus = {
  // The integration's protectedDevices forbid it, whoever asks and whatever the device's state.
  ACTION_PROTECTED_DEVICE: 403,
  // The device's state (only discovered, no sensor) conflicts with the request, whoever asks.
  ACTION_DEVICE_NOT_ONBOARDED: 409,
  ACTION_BULK_TOO_LARGE: 400,
} as const;

/** A guardrail said no: the request never reached Defender. */
export class ActionRefusedError extends HubError {
  constructor(code: keyof typeof refusalStatus, message: string, details?: Record<string, unknown>) {
    super(code, message, { httpStatus: refusalStatus[code], ...(details === undefined ? {} : { details }) });
  }
}
