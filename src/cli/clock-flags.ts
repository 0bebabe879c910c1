import { Option } from 'commander';
import { InputError } from '../errors.js';
import { MAX_SPEED, type ClockMode } from '../simulator/clock.js';
import { positiveNumber } from './options.js';

export interface ClockFlags {
  clock: ClockMode;
  speed?: number;
}

/** `simulator`: a live tenant at real pace, as a real one would be for a client that syncs it. */
export const SIMULATOR_SPEED = 1;

/**
 * `demo`: 30 simulated seconds a real second. An isolation (3 simulated minutes) succeeds in 6 s and a quick scan
 * (10) in 20 s, slow enough to watch Pending and InProgress go by, and a live epoch (30 simulated minutes) begins
 * every real minute, so new alerts arrive while one watches.
 */
export const DEMO_SPEED = 30;

export function clockOption(): Option {
  return new Option(
    '--clock <mode>',
    'live: simulated time follows real time, --speed times as fast; frozen: it moves only on POST /_sim/advance',
  )
    .choices(['live', 'frozen'])
    .default('live');
}

export function speedOption(defaultSpeed: number): Option {
  return new Option(
    '--speed <n>',
    `simulated seconds per real second of a live clock (default: ${defaultSpeed})`,
  ).argParser(positiveNumber(MAX_SPEED));
}

/** The simulator's clock options; the speed defaults only for a live clock, and is refused with a frozen one. */
export function clockOptions(flags: ClockFlags, defaultSpeed: number): { clock: ClockMode; speed?: number } {
  if (flags.clock === 'live') return { clock: 'live', speed: flags.speed ?? defaultSpeed };
  if (flags.speed !== undefined)
    throw new InputError('--speed applies to --clock live only: leave it out with --clock frozen');
  return { clock: 'frozen' };
}
