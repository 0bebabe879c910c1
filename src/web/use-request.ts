import { useCallback, useEffect, useRef, useState } from 'react';
import { asError, get } from './api.js';

export interface Request<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * A GET that follows its path: the previous answer stays on screen while the next one loads (no layout jump),
 * and an answer that arrives after the path changed is dropped. A null path reads nothing.
 */
export function useRequest<T>(path: string | null): Request<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const ticket = ++latest.current;
    setLoading(true);
    get<T>(path).then(
      (answer) => {
        if (ticket !== latest.current) return;
        setData(answer);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return;
        setError(asError(failure));
        setLoading(false);
      },
    );
  }, [path, generation]);

  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);
  return { data, error, loading, reload };
}

/** Calls `tick` every `ms` while `active`; for states that change on Defender's side (actions, syncs). */
export function usePolling(active: boolean, ms: number, tick: () => void): void {
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(tick, ms);
    return () => {
      window.clearInterval(timer);
    };
  }, [active, ms, tick]);
}
