/**
 * A tenant-wide count per epoch, computed once and kept for the last few epochs: a walk of a 100,000-machine
 * tenant is paid once per epoch, not once per request, and the epoch before stays while requests still name it.
 */
export class EpochCache<T> {
  readonly #cache = new Map<number, Promise<T>>();
  readonly #compute: (epoch: number) => Promise<T>;
  readonly #kept: number;

  constructor(compute: (epoch: number) => Promise<T>, kept = 2) {
    this.#compute = compute;
    this.#kept = kept;
  }

  get(epoch: number): Promise<T> {
    let pending = this.#cache.get(epoch);
    if (pending === undefined) {
      pending = this.#compute(epoch);
      if (this.#cache.size >= this.#kept) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(epoch, pending);
    }
    return pending;
  }
}
