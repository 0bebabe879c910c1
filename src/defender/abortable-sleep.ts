import { DefenderError, DefenderErrorCode } from './errors.js';

/** Waits `ms`, or rejects at once with an Aborted error when `signal` fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(signal: AbortSignal | undefined): DefenderError {
  return new DefenderError(DefenderErrorCode.Aborted, 'The Defender request was cancelled.', {
    cause: signal?.reason,
  });
}
