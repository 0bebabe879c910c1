import { geometric, Stream, unit } from '../random.js';
import { Arrivals, perEpoch, type WorldRates } from './rates.js';

const CACHED_EPOCHS = 4;

/**
 * Which machine indices exist at which epoch. Machine `i` is born at a fixed epoch (0 for the initial fleet, then
 * a contiguous block of new indices per epoch, `rates.machineArrival`) and leaves at
 * `born + geometric(rates.machineLeave)`, so membership is O(1) per index and needs no state beyond the seed.
 */
export class Population {
  readonly #seed: number;
  readonly #initial: number;
  readonly #leave: number;
  readonly #arrivals: Arrivals;
  readonly #aliveCache = new Map<number, Int32Array>();

  constructor(seed: number, initialMachines: number, rates: WorldRates) {
    this.#seed = seed;
    this.#initial = initialMachines;
    this.#leave = rates.machineLeave;
    this.#arrivals = new Arrivals(perEpoch(rates.machineArrival, initialMachines));
  }

  /** Number of machine indices that exist in any form up to epoch `e`. */
  indexCount(epoch: number): number {
    return this.#initial + this.#arrivals.through(epoch);
  }

  bornEpoch(index: number): number {
    return index < this.#initial ? 0 : this.#arrivals.epochOf(index - this.#initial);
  }

  leftEpoch(index: number): number {
    return this.bornEpoch(index) + geometric(unit(this.#seed, Stream.machineLife, index), this.#leave);
  }

  isAlive(index: number, epoch: number): boolean {
    return (
      index >= 0 &&
      index < this.indexCount(epoch) &&
      this.bornEpoch(index) <= epoch &&
      epoch < this.leftEpoch(index)
    );
  }

  /** Indices alive at `epoch`, ascending: the order every machine list and export walks. */
  alive(epoch: number): Int32Array {
    const cached = this.#aliveCache.get(epoch);
    if (cached !== undefined) return cached;
    const count = this.indexCount(epoch);
    const buffer = new Int32Array(count);
    let n = 0;
    for (let i = 0; i < count; i++) if (this.isAlive(i, epoch)) buffer[n++] = i;
    const alive = buffer.slice(0, n);
    if (this.#aliveCache.size >= CACHED_EPOCHS) {
      const oldest = this.#aliveCache.keys().next().value;
      if (oldest !== undefined) this.#aliveCache.delete(oldest);
    }
    this.#aliveCache.set(epoch, alive);
    return alive;
  }
}
