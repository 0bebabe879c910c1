import { oneLine } from './output.js';

/**
 * A long-running command's life: on SIGINT or SIGTERM it cancels the start-up still under way (through
 * `signal`), waits for it, then closes what was opened, newest first, and exits 0. A second signal quits at once.
 */
export class Lifecycle {
  readonly #closers: (() => Promise<void>)[] = [];
  readonly #abort = new AbortController();
  #startup: Promise<unknown> = Promise.resolve();
  #stopping = false;

  constructor() {
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
  }

  /** Aborted when a stop was asked for: start-up work checks it and ends early. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Runs the start-up; a stop waits for it to end before closing anything it may still be using. */
  start<T>(startup: Promise<T>): Promise<T> {
    this.#startup = startup.catch(() => undefined);
    return startup;
  }

  /** Something to close on stop (closed in the reverse order of registration). */
  onStop(close: () => Promise<void>): void {
    this.#closers.push(close);
  }

  readonly #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#stopping) {
      process.stderr.write(`defender-hub: ${signal} again: quitting without waiting [STOPPED]\n`);
      process.exit(1);
    }
    this.#stopping = true;
    process.stderr.write(`Stopping (${signal}): waiting for running syncs; send it again to quit at once.\n`);
    this.#abort.abort();
    this.#stop().then(
      () => process.exit(0),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`defender-hub: stopping failed: ${oneLine(message)} [STOP_FAILED]\n`);
        process.exit(1);
      },
    );
  };

  async #stop(): Promise<void> {
    await this.#startup;
    for (const close of this.#closers.reverse()) await close();
  }
}
