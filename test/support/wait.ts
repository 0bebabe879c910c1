import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `condition` holds, asking every `everyMs`; fails the test after `timeoutMs`. */
export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
