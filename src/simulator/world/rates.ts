import { LIVE_STEP_TICKS, type ClockMode } from '../clock.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, type Ticks } from '../time.js';

/**
 * How many new items (machines, alerts) an epoch brings: `share` of a base count, at least `atLeast`. `whole`
 * rounds that to whole items an epoch; otherwise the fraction is kept and adds up over the epochs (0.3 a step is
 * one item every third or fourth step), see {@link Arrivals}.
 */
export interface Inflow {
  readonly share: number;
  readonly atLeast: number;
  readonly whole: boolean;
}

/**
 * Spells in which a reporting machine sends nothing (switched off, out of the office, a broken sensor) and after
 * which it comes back. Time is cut into `window`-long windows per machine (each machine's start at its own
 * offset); in each, with `chance`, one spell of `shortest` to `longest` (skewed towards short) lies wholly inside.
 */
export interface QuietSpells {
  readonly chance: number;
  readonly window: Ticks;
  readonly shortest: Ticks;
  readonly longest: Ticks;
}

/**
 * How fast the tenant changes from one epoch to the next: every chance, share and count the world draws per epoch.
 * Chosen once from the clock's mode (see {@link worldRates}) and read wherever the world is computed.
 */
export interface WorldRates {
  /** Chance that a machine leaves (offboarded, retired) at each epoch. */
  readonly machineLeave: number;
  /** New machines an epoch, of the initial fleet. */
  readonly machineArrival: Inflow;
  /** New alerts an epoch, of the alerts in the initial 30-day window. */
  readonly alertArrival: Inflow;
  /** Chance that an open alert moves on (New → InProgress → Resolved) at each epoch. */
  readonly alertUpdate: number;
  /** Chance that an open finding of a reporting machine is fixed at each epoch. */
  readonly findingFix: number;
  /** New findings an epoch, of a product's initial findings on the machine. */
  readonly findingNew: number;
  /** Chance that a fixed finding that comes back (a quarter of them) does so at each epoch. */
  readonly findingReopen: number;
  /**
   * How often a reporting machine sends its full report, the API's `lastSeen` (~every 24 h, Defender documents).
   * Null: one report an epoch, at a fresh instant within the 20 hours before the epoch began (one advance is
   * about a day, so that reads as a daily report; on 30-minute steps it would jump back and forth).
   */
  readonly reportEvery: Ticks | null;
  /** Null: a reporting machine never goes quiet. */
  readonly quiet: QuietSpells | null;
}

/** Per `/_sim/advance`: the rates every frozen tenant has always had (tests count on them exactly). */
export const FROZEN_RATES: WorldRates = {
  machineLeave: 0.03,
  machineArrival: { share: 0.03, atLeast: 1, whole: true },
  alertArrival: { share: 0.05, atLeast: 1, whole: true },
  alertUpdate: 0.12,
  findingFix: 0.04,
  findingNew: 0.04,
  findingReopen: 0.5,
  reportEvery: null,
  quiet: null,
};

/** Epochs in a simulated day on a live clock (48 of 30 minutes). */
export const LIVE_STEPS_PER_DAY = TICKS_PER_DAY / LIVE_STEP_TICKS;

/** The chance per step that makes `perDay` the chance over a simulated day. */
function perStep(perDay: number): number {
  return 1 - Math.pow(1 - perDay, 1 / LIVE_STEPS_PER_DAY);
}

/**
 * Per 30-minute step of a live clock. Over a simulated day the fleet and the findings change as much as one
 * frozen advance changes them (3 % of the machines leave and 3 % arrive, 4 % of the findings are fixed and 4 %
 * new ones found, half the returning fixed ones reappear), a little every step. Alerts are the exception, so that
 * a live tenant has news every step: at least one new alert a step (a 500-machine tenant's day-equivalent would
 * be one every six steps), and 1.5 % of the open alerts move on a step (52 % a day: a 500-machine tenant's 80 or
 * so open alerts see a status change on most steps, and with one new alert a step they settle near 130 instead of
 * piling up, each needing two moves to be resolved). Machines also go quiet and come back: in each 30-day window,
 * 30 % of the reporting machines have one spell of 6 hours to 14 days without a report (about 5 % of them are
 * quiet at any time, and three in ten of the spells pass the 7 days after which Defender calls the device
 * Inactive).
 */
export const LIVE_RATES: WorldRates = {
  machineLeave: perStep(0.03),
  machineArrival: { share: 0.03 / LIVE_STEPS_PER_DAY, atLeast: 0, whole: false },
  alertArrival: { share: 0.05 / LIVE_STEPS_PER_DAY, atLeast: 1, whole: false },
  alertUpdate: 0.015,
  findingFix: perStep(0.04),
  findingNew: 0.04 / LIVE_STEPS_PER_DAY,
  findingReopen: perStep(0.5),
  reportEvery: TICKS_PER_DAY,
  quiet: {
    chance: 0.3,
    window: 30 * TICKS_PER_DAY,
    shortest: 6 * TICKS_PER_HOUR,
    longest: 14 * TICKS_PER_DAY,
  },
};

/**
 * The rates of the clock's mode, with every change a step makes — machines leaving and arriving, alerts arriving
 * and moving on, findings fixed and found — scaled by `churn` (1: as they have always been). A benchmark's "hour
 * later" uses an eighth: about 1 % of the findings change in one advance instead of 8 %.
 */
export function worldRates(mode: ClockMode, churn = 1): WorldRates {
  const rates = mode === 'live' ? LIVE_RATES : FROZEN_RATES;
  if (churn === 1) return rates;
  return {
    ...rates,
    machineLeave: rates.machineLeave * churn,
    machineArrival: { ...rates.machineArrival, share: rates.machineArrival.share * churn },
    alertArrival: { ...rates.alertArrival, share: rates.alertArrival.share * churn },
    alertUpdate: rates.alertUpdate * churn,
    findingFix: rates.findingFix * churn,
    findingNew: rates.findingNew * churn,
  };
}

/** Items an epoch for a base count (0 for an empty base). */
export function perEpoch(flow: Inflow, base: number): number {
  if (base === 0) return 0;
  const share = base * flow.share;
  return Math.max(flow.atLeast, flow.whole ? Math.round(share) : share);
}

/** Millionths of an item: the running count is then exact integer arithmetic (well below 2^53 for any run). */
const PARTS = 1_000_000;

/**
 * Items arriving epoch after epoch at a steady, possibly fractional, rate: epoch `e` brings the items numbered
 * `through(e - 1)` to `through(e) - 1`. With a whole rate every epoch brings the same number.
 */
export class Arrivals {
  readonly #parts: number;

  constructor(itemsPerEpoch: number) {
    this.#parts = Math.round(itemsPerEpoch * PARTS);
  }

  /** Items that arrived in epochs 1 to `epoch`. */
  through(epoch: number): number {
    if (epoch <= 0) return 0;
    const total = epoch * this.#parts;
    return (total - (total % PARTS)) / PARTS;
  }

  /** The epoch (≥ 1) that brought item `n` (≥ 0, 0 the first to arrive). */
  epochOf(n: number): number {
    if (this.#parts === 0) return Number.POSITIVE_INFINITY;
    let epoch = Math.max(1, Math.ceil(((n + 1) * PARTS) / this.#parts));
    while (epoch > 1 && this.through(epoch - 1) > n) epoch--;
    while (this.through(epoch) <= n) epoch++;
    return epoch;
  }
}
