import { hash, Stream } from './random.js';
import { TICKS_PER_HOUR, TICKS_PER_SECOND, ticksFromMs, type Ticks } from './time.js';

/**
 * The simulated clock. It does not follow the wall clock (runs must be reproducible); it moves only when asked.
 * Each move starts a new *epoch*: the tenant's state is a pure function of (seed, index, epoch), and the list of
 * epoch start instants is the only history kept.
 */
export class SimClock {
  readonly #starts: Ticks[];

  constructor(seed: number) {
    // A fixed instant per seed: 2026-11-20 plus up to a day, whole seconds.
    const offsetSeconds = hash(seed, Stream.clock) % 86_400;
    this.#starts = [ticksFromMs(Date.UTC(2026, 10, 20)) + offsetSeconds * TICKS_PER_SECOND];
  }

  get epoch(): number {
    return this.#starts.length - 1;
  }

  get now(): Ticks {
    return this.epochStart(this.epoch);
  }

  /** When epoch `e` began; epoch 0 is the initial instant. */
  epochStart(e: number): Ticks {
    const start = this.#starts[Math.min(Math.max(e, 0), this.#starts.length - 1)];
    if (start === undefined) throw new RangeError(`no epoch ${e}`);
    return start;
  }

  /** The epoch whose interval (start of previous, start] contains `ticks`: the first epoch starting at or after it. */
  firstEpochNotBefore(ticks: Ticks): number {
    for (let e = 0; e < this.#starts.length; e++) if ((this.#starts[e] ?? 0) >= ticks) return e;
    return this.#starts.length;
  }

  /** Moves time forward and returns the new epoch. */
  advance(hours: number): number {
    if (!(hours > 0) || !Number.isFinite(hours)) throw new RangeError('hours must be a positive number');
    this.#starts.push(this.now + Math.round(hours * TICKS_PER_HOUR));
    return this.epoch;
  }
}
