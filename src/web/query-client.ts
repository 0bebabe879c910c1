import { QueryClient, type QueryKey } from '@tanstack/react-query';

/**
 * The UI's one cache of API answers (TanStack Query). Its defaults are the hub's, not the library's:
 * - no retries: the hub's refusals say what to do, and three silent retries would show one seconds late (a
 *   poll reads again anyway);
 * - no refetch on the tab coming back, except for the answers that change on their own (use-request.ts turns it
 *   on with a poll): a list that only the user changes need not be read again because the tab was hidden;
 * - network mode "always": the hub is often on this machine or the LAN, so the browser's guess at being online
 *   (navigator.onLine) says nothing about reaching it, and a paused query would show "Loading…" for good.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/**
 * The cache key of an API path: its segments, then its query as an object. A change invalidates by prefix, so
 * `apiKey('/actions')` covers every actions list and each action, and `apiKey('/endpoints')` every endpoint
 * and its tabs.
 */
export function apiKey(path: string): QueryKey {
  const [pathname = '', search] = path.split('?', 2);
  const segments = pathname.split('/').filter((s) => s !== '');
  if (search === undefined || search === '') return segments;
  return [...segments, Object.fromEntries(new URLSearchParams(search))];
}
