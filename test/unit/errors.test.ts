import { describe, expect, it } from 'vitest';
import { ConflictError, found, HubError, InputError, isNotFound, NotFoundError } from '../../src/errors.js';

describe('HubError', () => {
  it('should be the hub’s own failure (500) unless it says otherwise, and keep its cause and details', () => {
    const cause = new Error('disk full');
    const error = new HubError('EXPORT_WRITE_FAILED', 'Cannot write --out x.csv (ENOSPC).', {
      cause,
      details: { path: 'x.csv' },
    });
    expect(error.httpStatus).toBe(500);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ path: 'x.csv' });
    expect(error.name).toBe('HubError');
  });

  it('should carry the status of its meaning on the class', () => {
    expect(new InputError('name is required.')).toMatchObject({ code: 'INVALID_INPUT', httpStatus: 400 });
    expect(new NotFoundError('ALERT_NOT_FOUND', 'No alert x.')).toMatchObject({ httpStatus: 404 });
    expect(new ConflictError('USER_NAME_TAKEN', 'Taken.')).toMatchObject({ httpStatus: 409 });
  });
});

describe('found', () => {
  it('should answer the value when there is one', () => {
    expect(found(0, 'ALERT_NOT_FOUND', 'No alert 0.')).toBe(0);
  });

  it('should throw the NotFoundError named when there is none', () => {
    expect(() => found<number>(undefined, 'ALERT_NOT_FOUND', 'No alert 7.')).toThrow(
      expect.objectContaining({ code: 'ALERT_NOT_FOUND', message: 'No alert 7.', httpStatus: 404 }),
    );
  });
});

describe('isNotFound', () => {
  it('should recognise a not-found of the code asked for only', () => {
    const error = new NotFoundError('INTEGRATION_NOT_FOUND', 'No integration x.');
    expect(isNotFound(error, 'INTEGRATION_NOT_FOUND')).toBe(true);
    expect(isNotFound(error, 'ENDPOINT_NOT_FOUND')).toBe(false);
    expect(isNotFound(new HubError('INTEGRATION_NOT_FOUND', 'Not the class.'), 'INTEGRATION_NOT_FOUND')).toBe(
      false,
    );
  });
});
