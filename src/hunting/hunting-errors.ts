import { ConflictError, NotFoundError } from '../errors.js';

export const savedHuntingQueryNotFound = (ref: number | string): NotFoundError =>
  new NotFoundError(
    'HUNTING_SAVED_QUERY_NOT_FOUND',
    `No saved hunting query ${typeof ref === 'number' ? `with id ${ref}` : `named "${ref}"`}. ` +
      'List them with GET /api/v1/hunting/queries or `defender-hub hunt list`.',
  );

export class SavedHuntingQueryNameTakenError extends ConflictError {
  constructor(name: string) {
    super(
      'HUNTING_SAVED_QUERY_NAME_TAKEN',
      `A saved hunting query named "${name}" exists already: choose another name, or change that query ` +
        '(PUT /api/v1/hunting/queries/:id).',
    );
  }
}

export const huntingResultNotFound = (id: number): NotFoundError =>
  new NotFoundError(
    'HUNTING_RESULT_NOT_FOUND',
    `No hunting result with id ${id}: results are kept for 24 hours after their run. Run the query again ` +
      '(POST /api/v1/hunting/query) for a new one.',
  );
