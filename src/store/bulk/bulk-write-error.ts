import { HubError } from '../../errors.js';

/** A batch the database refused; nothing of it is stored. */
export class BulkWriteError extends HubError {
  constructor(message: string, options: { databaseCode?: string | undefined; cause?: unknown } = {}) {
    super(
      'STORE_WRITE_FAILED',
      `A batch could not be written to the database (nothing of it was stored; the next sync writes it again): ${message}`,
      {
        ...(options.databaseCode === undefined ? {} : { details: { databaseCode: options.databaseCode } }),
        cause: options.cause,
      },
    );
  }
}

/** A database driver's error as the batch's failure, its code and the error itself kept. */
export function bulkWriteFailure(error: unknown): BulkWriteError {
  const code = (error as { code?: unknown }).code;
  return new BulkWriteError(error instanceof Error ? error.message : 'unknown error', {
    databaseCode: typeof code === 'string' ? code : undefined,
    cause: error,
  });
}
