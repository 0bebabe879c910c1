import { geometric, Stream, unit } from '../random.js';

/** Share of the fleet that leaves (offboarded, retired) and that newly appears at each clock advance. */
const LEAVE_RATE = 0.03;
const ARRIVAL_RATE = 0.03;
const CACHED_EPOCHS = 4;

/**
 * Which machine indices exist at which epoch. Machine `i` is born at a fixed epoch (0 for the initial fleet, then
 * a contiguous block of new indices per advance) and leaves at `born + geometric(LEAVE_RATE)`, so membership is
 * O(1) per index and needs no state beyond the seed.
 */
export class Population {
  readonly #seed: number;
  readonly #initial: number;
  readonly #arrivals: number;
  readonly #aliveCache = new Map<number, Int32Array>();

  constructor(seed: number, initialMachines: number) {
    this.#seed = seed;
    this.#initial = initialMachines;
    this.#arrivals = initialMachines === 0 ? 0 : Math.max(1, Math.round(initialMachines * ARRIVAL_RATE));
  }

  /** Number of machine indices that exist in any form up to epoch `e`. */
  indexCount(epoch: number): number {
    return this.#initial + epoch * this.#arrivals;
  }

  bornEpoch(index: number): number {
    return index < this.#initial ? 0 : 1 + Math.floor((index - this.#initial) / this.#arrivals);
  }

  leftEpoch(index: number): number {
    return this.bornEpoch(index) + geometric(unit(this.#seed, Stream.machineLife, index), LEAVE_RATE);
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
