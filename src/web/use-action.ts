import { useMutation, useQueryClient } from '@tanstack/react-query';
import { asError } from './api.js';
import { apiKey } from './query-client.js';

export interface Action {
  readonly busy: boolean;
  readonly error: Error | undefined;
  readonly run: (work: () => Promise<void>) => void;
}

/**
 * A change the user asked for: busy while it runs, its error kept to show in place. Afterwards the answers of
 * the API paths it `affects` (each with everything under it) are read again, success or not, as a change that
 * failed half-way may have made part of itself; busy lasts until they are, so the page shows the change done.
 */
export function useAction(affects: readonly string[] = []): Action {
  const client = useQueryClient();
  const { mutate, isPending, error } = useMutation({
    mutationFn: async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (thrown) {
        throw asError(thrown);
      }
    },
    onSettled: () => Promise.all(affects.map((path) => client.invalidateQueries({ queryKey: apiKey(path) }))),
  });
  return { busy: isPending, error: error ?? undefined, run: mutate };
}
