import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's state (filters, sort, page, tab) lives in the URL so every view is a deep link and the back button
 * walks through it. Setting a filter returns to the first page.
 */
export function useUrlState(): {
  readonly params: URLSearchParams;
  readonly value: (name: string, fallback?: string) => string;
  readonly set: (
    changes: Record<string, string | number | undefined>,
    options?: { keepPage?: boolean },
  ) => void;
} {
  const [params, setParams] = useSearchParams();
  const value = useCallback((name: string, fallback = '') => params.get(name) ?? fallback, [params]);
  const set = useCallback(
    (changes: Record<string, string | number | undefined>, options: { keepPage?: boolean } = {}) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [name, v] of Object.entries(changes)) {
          if (v === undefined || v === '') next.delete(name);
          else next.set(name, String(v));
        }
        if (options.keepPage !== true && !('page' in changes)) next.delete('page');
        return next;
      });
    },
    [setParams],
  );
  return { params, value, set };
}

/** The URL's query as an object for the API, only the names given. */
export function pick(params: URLSearchParams, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = params.get(name);
    if (v !== null && v !== '') out[name] = v;
  }
  return out;
}
