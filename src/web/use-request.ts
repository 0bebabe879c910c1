import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { get } from './api.js';
import { apiKey } from './query-client.js';

export interface Request<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** Until the answer for this path is on screen; a poll reading the same path again is not loading. */
  readonly loading: boolean;
}

export interface RequestOptions<T> {
  /**
   * For an answer that changes on its own (an action under way, a sync): how long until it is read again, from
   * the answer on screen, or false to stop. Polls run only while the tab is visible, and a tab coming back reads
   * at once what it polls.
   */
  readonly poll?: (data: T | undefined) => number | false;
  /**
   * Show no cached answer, only this visit's: for a form that starts from what it shows, as an answer cached
   * before the last save would fill it in with the settings it replaced.
   */
  readonly fresh?: boolean;
}

/**
 * A GET of the hub's API through the UI's cache (query-client.ts). The previous answer stays on screen while the
 * next path's loads (no layout jump); a null path reads nothing.
 */
export function useRequest<T>(path: string | null, options: RequestOptions<T> = {}): Request<T> {
  const { poll, fresh = false } = options;
  const query = useQuery<T>({
    queryKey: apiKey(path ?? ''),
    queryFn: path === null ? skipToken : () => get<T>(path),
    placeholderData: keepPreviousData,
    ...(poll === undefined
      ? {}
      : {
          refetchInterval: (q) => poll(q.state.data),
          refetchIntervalInBackground: false,
          // Only what is still changing: a finished action is not read again because the tab came back.
          refetchOnWindowFocus: (q) => poll(q.state.data) !== false,
        }),
  });
  const shown = fresh && !query.isFetchedAfterMount ? undefined : query;
  return {
    data: shown?.data,
    error: shown?.error ?? undefined,
    loading: query.isLoading || query.isPlaceholderData,
  };
}
