import { describe, expect, it } from 'vitest';
import { errorReply } from '../../src/server/error-replies.js';
import { NotFoundError } from '../../src/server/not-found.js';
import { DefenderError, DefenderErrorCode } from '../../src/defender/index.js';
import { InputError, type HubError } from '../../src/errors.js';
import { SyncBusyError } from '../../src/sync/sync-service.js';
import { IntegrationConflictError } from '../../src/integrations/integration-errors.js';

describe('errorReply', () => {
  it.each<[HubError, number, string]>([
    [new InputError('name is required.', { details: { issues: [] } }), 400, 'INVALID_INPUT'],
    [new NotFoundError('ENDPOINT_NOT_FOUND', 'No endpoint with id 1.'), 404, 'ENDPOINT_NOT_FOUND'],
    [new IntegrationConflictError('x'), 409, 'INTEGRATION_NAME_TAKEN'],
    [new SyncBusyError('i', 'machines'), 409, 'SYNC_ALREADY_RUNNING'],
    [new DefenderError(DefenderErrorCode.InvalidConfig, 'bad'), 400, 'DEFENDER_INVALID_CONFIG'],
    [new DefenderError(DefenderErrorCode.WrongSecret, 'wrong'), 502, 'DEFENDER_AUTH_WRONG_SECRET'],
    [new DefenderError(DefenderErrorCode.NotFound, 'gone upstream'), 502, 'DEFENDER_NOT_FOUND'],
    [new DefenderError(DefenderErrorCode.Throttled, 'slow down'), 503, 'DEFENDER_THROTTLED'],
  ])('should map %s to %i', (error, status, code) => {
    const reply = errorReply(error);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(reply.body.error.message).toBe(error.message);
  });

  it('should answer anything unplanned as a 500 that says nothing of the error', () => {
    const error = new Error('connection string postgres://admin:hunter2@db failed');
    const reply = errorReply(error);
    expect(reply.status).toBe(500);
    expect(reply.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(reply.body)).not.toMatch(/hunter2|at .*:\d+/);
  });
});
