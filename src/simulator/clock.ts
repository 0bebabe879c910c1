import { hash, Stream } from './random.js';
import { TICKS_PER_HOUR, TICKS_PER_MS, TICKS_PER_SECOND, ticksFromMs, type Ticks } from './time.js';

export type ClockMode = 'live' | 'frozen';

/** Milliseconds from some fixed origin that only moves forward (`performance.now` by default). */
export type WallClock = () => number;

/** How the clock moves: only on `advance` (frozen), or also with the wall clock, `speed` times as fast (live). */
export type ClockSettings =
  { readonly mode: 'frozen' } | { readonly mode: 'live'; readonly speed: number; readonly wall: WallClock };

export const FROZEN: ClockSettings = { mode: 'frozen' };

/**
 * A live clock starts an epoch every 30 simulated minutes. The world's rates are per epoch; a live tenant uses
 * rates for this step (world/rates.ts: over a simulated day, about what one frozen `/_sim/advance` changes), so
 * the step sets how often a live tenant changes and how much every request that walks the epochs costs (alert
 * histories, finding slots, the delta export's buckets): 48 epochs a simulated day. 30 minutes is one epoch a
 * real minute at the demo's speed of 30, so a demo that syncs alerts every minute shows new ones within a couple
 * of minutes; a smaller step would make long runs costlier.
 */
export const LIVE_STEP_TICKS = 30 * 60 * TICKS_PER_SECOND;

/**
 * A simulated day per real second, 48 epochs a real second: faster, a live tenant would begin epochs faster than
 * requests are answered. Even so it reaches the end of exact tick arithmetic (2038, see time.ts) in about 70 real
 * minutes, so the highest speeds are for short runs.
 */
export const MAX_SPEED = 86_400;

interface Live {
  readonly speed: number;
  readonly wall: WallClock;
  /** The wall clock's reading when this clock was made: simulated time flows from there. */
  readonly wallOrigin: number;
}

/**
 * The simulated clock. Each epoch is a state of the tenant, a pure function of (seed, index, epoch); the list of
 * epoch start instants is the only history kept. Frozen, time moves only on `advance`, which starts an epoch, so
 * runs are reproducible request by request. Live, `now` also follows the wall clock from the seeded start, and an
 * epoch starts every {@link LIVE_STEP_TICKS} of it: epochs are added when the clock is read, as many as have
 * passed, so the list depends only on the wall clock's readings at the advances, never on when requests came.
 */
export class SimClock {
  readonly #starts: Ticks[];
  readonly #live: Live | undefined;
  /** Simulated time the advances added to a live clock. */
  #jumped: Ticks = 0;

  constructor(seed: number, settings: ClockSettings = FROZEN) {
    // A fixed instant per seed: 2026-11-20 plus up to a day, whole seconds.
    const offsetSeconds = hash(seed, Stream.clock) % 86_400;
    this.#starts = [ticksFromMs(Date.UTC(2026, 10, 20)) + offsetSeconds * TICKS_PER_SECOND];
    this.#live =
      settings.mode === 'live'
        ? { speed: settings.speed, wall: settings.wall, wallOrigin: settings.wall() }
        : undefined;
  }

  get mode(): ClockMode {
    return this.#live === undefined ? 'frozen' : 'live';
  }

  /** Simulated seconds per real second; null when frozen. */
  get speed(): number | null {
    return this.#live?.speed ?? null;
  }

  get epoch(): number {
    this.#catchUp();
    return this.#starts.length - 1;
  }

  /** Frozen: the start of the current epoch. Live: later, by up to one step, as the wall clock says. */
  get now(): Ticks {
    return this.#catchUp();
  }

  /** When epoch `e` began; epoch 0 is the initial instant. */
  epochStart(e: number): Ticks {
    const start = this.#starts[Math.min(Math.max(e, 0), this.#starts.length - 1)];
    if (start === undefined) throw new RangeError(`no epoch ${e}`);
    return start;
  }

  /**
   * The epoch whose interval (start of previous, start] contains `ticks`: the first epoch starting at or after
   * it, or the epoch count when none has yet. The starts ascend, so a binary search.
   */
  firstEpochNotBefore(ticks: Ticks): number {
    let low = 0;
    let high = this.#starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#starts[middle] ?? Number.POSITIVE_INFINITY) >= ticks) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** Moves time forward, starting one new epoch (in either mode), and returns it. */
  advance(hours: number): number {
    if (!(hours > 0) || !Number.isFinite(hours)) throw new RangeError('hours must be a positive number');
    const jump = Math.round(hours * TICKS_PER_HOUR);
    if (this.#live === undefined) {
      this.#starts.push(this.#lastStart() + jump);
    } else {
      // The steps passed before the jump are epochs of their own; the next steps count from the jump.
      this.#catchUp();
      this.#jumped += jump;
      this.#starts.push(this.#liveNow(this.#live));
    }
    return this.epoch;
  }

  #lastStart(): Ticks {
    return this.#starts[this.#starts.length - 1] ?? 0;
  }

  #liveNow(live: Live): Ticks {
    const elapsedMs = Math.max(0, live.wall() - live.wallOrigin);
    return this.epochStart(0) + this.#jumped + Math.floor(elapsedMs * live.speed * TICKS_PER_MS);
  }

  /** Adds the epochs whose start has passed and returns now. */
  #catchUp(): Ticks {
    if (this.#live === undefined) return this.#lastStart();
    const now = this.#liveNow(this.#live);
    for (let next = this.#lastStart() + LIVE_STEP_TICKS; next <= now; next += LIVE_STEP_TICKS)
      this.#starts.push(next);
    return Math.max(now, this.#lastStart());
  }
}
