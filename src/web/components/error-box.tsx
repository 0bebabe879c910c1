import { ApiError } from '../api.js';

/** An error in place, with the hub's message (which says what to do) and its code for the log or a ticket. */
export function ErrorBox({ error }: { error: Error | undefined }) {
  if (error === undefined) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="error-box" role="alert">
      <strong>{error.message}</strong>
      {code === undefined ? null : <span className="error-code"> ({code})</span>}
    </div>
  );
}
