import { useCallback, useState } from 'react';
import { asError } from './api.js';

export interface Action {
  readonly busy: boolean;
  readonly error: Error | undefined;
  readonly run: (work: () => Promise<void>) => void;
}

/** A change the user asked for: busy while it runs, its error kept to show in place. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const run = useCallback((work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    work()
      .catch((e: unknown) => {
        setError(asError(e));
      })
      .finally(() => {
        setBusy(false);
      });
  }, []);
  return { busy, error, run };
}
