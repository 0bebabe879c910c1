import { describe, expect, it } from 'vitest';
import { errorReply } from '../../src/server/error-replies.js';
import {
  DefenderError,
  DefenderErrorCode,
  DefenderPermissionError,
  HuntingQueryError,
  HuntingQuotaError,
} from '../../src/defender/index.js';
import { HubError, InputError, InvalidInputError, NotFoundError } from '../../src/errors.js';
import { SyncBusyError } from '../../src/sync/sync-service.js';
import { IntegrationConflictError, integrationNotFound } from '../../src/integrations/integration-errors.js';
import { ProfileNameTakenError, profileNotFound } from '../../src/profiles/profile-errors.js';
import { StrategyNameTakenError } from '../../src/strategies/strategy-service.js';
import {
  huntingResultNotFound,
  SavedHuntingQueryNameTakenError,
  savedHuntingQueryNotFound,
} from '../../src/hunting/hunting-errors.js';
import { actionNotFound, ActionRefusedError } from '../../src/actions/action-errors.js';
import {
  accountLocked,
  authRequired,
  csrfInvalid,
  lastAdmin,
  loginFailed,
  roleTooLow,
  tokenNotFound,
  tooManyAttempts,
  userNameTaken,
  userNotFound,
} from '../../src/auth/auth-errors.js';
import { StrategyExpressionError } from '../../src/domain/strategy/index.js';
import { endpointNotFound } from '../../src/store/index.js';
import { SecretError, SecretErrorCode } from '../../src/secrets/secret-box.js';
import { ConfigError, ConfigErrorCode } from '../../src/app/config.js';

/**
 * Every code's status, as the API answered before errors carried their own: a change here is a change of the
 * API, so it is deliberate, never the side effect of moving a throw to another class.
 */
const statusOfCode: [HubError, string, number][] = [
  [new InputError('name is required.', { details: { issues: [] } }), 'INVALID_INPUT', 400],
  [new InvalidInputError('SYNC_UNKNOWN_DATASET', 'x'), 'SYNC_UNKNOWN_DATASET', 400],
  [new InvalidInputError('SYNC_DATASET_NOT_FOR_PRODUCT', 'x'), 'SYNC_DATASET_NOT_FOR_PRODUCT', 400],
  [
    new StrategyExpressionError({ line: 1, column: 1 }, 'a field', 'x', 'no.'),
    'INVALID_STRATEGY_EXPRESSION',
    400,
  ],
  [new ActionRefusedError('ACTION_BULK_TOO_LARGE', 'x'), 'ACTION_BULK_TOO_LARGE', 400],
  [authRequired(), 'AUTH_REQUIRED', 401],
  [loginFailed(), 'AUTH_FAILED', 401],
  [roleTooLow('admin', 'viewer'), 'AUTH_FORBIDDEN', 403],
  [csrfInvalid(), 'CSRF_INVALID', 403],
  [new ActionRefusedError('ACTION_PROTECTED_DEVICE', 'x'), 'ACTION_PROTECTED_DEVICE', 403],
  [endpointNotFound(1), 'ENDPOINT_NOT_FOUND', 404],
  [integrationNotFound('x'), 'INTEGRATION_NOT_FOUND', 404],
  [profileNotFound(1), 'PROFILE_NOT_FOUND', 404],
  [actionNotFound('a'), 'ACTION_NOT_FOUND', 404],
  [userNotFound('x'), 'USER_NOT_FOUND', 404],
  [tokenNotFound(1), 'TOKEN_NOT_FOUND', 404],
  [savedHuntingQueryNotFound(1), 'HUNTING_SAVED_QUERY_NOT_FOUND', 404],
  [huntingResultNotFound(1), 'HUNTING_RESULT_NOT_FOUND', 404],
  [new NotFoundError('ALERT_NOT_FOUND', 'x'), 'ALERT_NOT_FOUND', 404],
  [new IntegrationConflictError('x'), 'INTEGRATION_NAME_TAKEN', 409],
  [new ProfileNameTakenError('x'), 'PROFILE_NAME_TAKEN', 409],
  [new StrategyNameTakenError('x'), 'STRATEGY_NAME_TAKEN', 409],
  [new SavedHuntingQueryNameTakenError('x'), 'HUNTING_SAVED_QUERY_NAME_TAKEN', 409],
  [new SyncBusyError('i', 'machines'), 'SYNC_ALREADY_RUNNING', 409],
  [userNameTaken('x'), 'USER_NAME_TAKEN', 409],
  [lastAdmin(), 'USER_LAST_ADMIN', 409],
  [new ActionRefusedError('ACTION_DEVICE_NOT_ONBOARDED', 'x'), 'ACTION_DEVICE_NOT_ONBOARDED', 409],
  [accountLocked(15), 'AUTH_LOCKED', 429],
  [tooManyAttempts(), 'AUTH_RATE_LIMITED', 429],
  [new HubError('SYNC_RUN_LOST', 'x'), 'SYNC_RUN_LOST', 500],
  [new SecretError(SecretErrorCode.KeyMissing, 'x'), 'SECRET_KEY_MISSING', 500],
  [new ConfigError(ConfigErrorCode.FileEmpty, 'x'), 'CONFIG_FILE_EMPTY', 500],
  [new DefenderError(DefenderErrorCode.InvalidConfig, 'x'), 'DEFENDER_INVALID_CONFIG', 400],
  [new DefenderError(DefenderErrorCode.BaseUrlEndsWithApi, 'x'), 'DEFENDER_BASE_URL_ENDS_WITH_API', 400],
  [new HuntingQueryError('x', { serviceMessage: 'bad' }), 'HUNTING_QUERY_INVALID', 400],
  [new DefenderError(DefenderErrorCode.HuntingResultTooLarge, 'x'), 'HUNTING_RESULT_TOO_LARGE', 400],
  [new DefenderError(DefenderErrorCode.WrongSecret, 'x', { status: 401 }), 'DEFENDER_AUTH_WRONG_SECRET', 502],
  // Defender's 404 is its answer, not the caller's mistake: a bad gateway like any other upstream failure.
  [new DefenderError(DefenderErrorCode.NotFound, 'x', { status: 404 }), 'DEFENDER_NOT_FOUND', 502],
  [
    new DefenderPermissionError('x', { requiredRoles: [], grantedRoles: [] }),
    'DEFENDER_PERMISSION_MISSING',
    502,
  ],
  [new DefenderError(DefenderErrorCode.Throttled, 'x', { status: 429 }), 'DEFENDER_THROTTLED', 503],
  [new HuntingQuotaError('x', { quota: 'cpu' }), 'HUNTING_QUOTA_EXCEEDED', 503],
];

describe('errorReply', () => {
  it.each(statusOfCode)('should answer %s with its code %s and status %i', (error, code, status) => {
    const reply = errorReply(error);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(reply.body.error.message).toBe(error.message);
  });

  it('should keep a Defender error’s own status apart from the status the hub answers with', () => {
    const error = new DefenderError(DefenderErrorCode.Throttled, 'slow down', { status: 429 });
    expect(error.status).toBe(429);
    expect(error.httpStatus).toBe(503);
  });

  it('should pass the details on', () => {
    const error = new ActionRefusedError('ACTION_BULK_TOO_LARGE', 'Split it.', { limit: 2, requested: 3 });
    expect(errorReply(error).body.error.details).toEqual({ limit: 2, requested: 3 });
  });

  it('should answer anything unplanned as a 500 that says nothing of the error', () => {
    const error = new Error('connection string postgres://admin:hunter2@db failed');
    const reply = errorReply(error);
    expect(reply.status).toBe(500);
    expect(reply.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(reply.body)).not.toMatch(/hunter2|at .*:\d+/);
  });
});
