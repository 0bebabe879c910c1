/**
 * Deterministic randomness for the simulated tenant. Every record is derived from `hash(seed, tag, index, …)`, so
 * any machine, finding or alert can be computed on its own, in any order, without generating the others.
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixed bijection on 32-bit integers. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any number of integers into one well-mixed unsigned 32-bit value. */
export function hash(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = fmix32((h ^ Math.imul(part | 0, 0xcc9e2d51)) + Math.imul(h, 5) + 0xe6546b64);
  }
  return h;
}

/** A value in [0, 1) from the same inputs as {@link hash}. */
export function unit(...parts: readonly number[]): number {
  return hash(...parts) / 0x1_0000_0000;
}

/** Stream tags keep the sequences of different record kinds apart even for equal indices. */
export const Stream = {
  identity: 1,
  machine: 2,
  machineEpoch: 3,
  machineLife: 4,
  vulnerability: 5,
  findings: 6,
  findingSlot: 7,
  findingEpoch: 8,
  alert: 9,
  alertEpoch: 10,
  machineAction: 11,
  faults: 12,
  clock: 13,
  idMask: 14,
  machineQuiet: 15,
  machineReport: 16,
  platformSpelling: 17,
} as const;

/** mulberry32: a small, fast generator for drawing the many fields of one record in sequence. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Unsigned 32-bit integer. */
  uint32(): number {
    return Math.floor(this.next() * 0x1_0000_0000);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  /** Picks by relative weight; `entries` are `[value, weight]` pairs. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new RangeError('weighted() from an empty list');
    return last[0];
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** A lower-case GUID (version 4 layout). */
  guid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)] ?? '8'}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** Builds an Rng for one record from the same inputs as {@link hash}. */
export function rngFor(...parts: readonly number[]): Rng {
  return new Rng(hash(...parts));
}

/** Numbers of geometric-distributed trials until the first success (≥ 1), from a uniform draw. */
export function geometric(uniform: number, probability: number): number {
  if (probability <= 0) return Number.POSITIVE_INFINITY;
  if (probability >= 1) return 1;
  return 1 + Math.floor(Math.log(1 - uniform) / Math.log(1 - probability));
}

const MULTIPLIER = 0x2c1b3c6d;
const MULTIPLIER_INVERSE = modularInverse(MULTIPLIER);

/**
 * An invertible scramble of a 32-bit index, so an id can look random and still be decoded back to its index
 * (machine and alert ids are looked up in O(1) without an id → index table).
 */
export function permute(index: number, key: number): number {
  let x = (index ^ key) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, MULTIPLIER) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  return x;
}

export function unpermute(value: number, key: number): number {
  let x = undoXorShift(value >>> 0, 15);
  x = Math.imul(x, MULTIPLIER_INVERSE) >>> 0;
  x = undoXorShift(x, 16);
  return (x ^ key) >>> 0;
}

function undoXorShift(value: number, shift: number): number {
  let x = value;
  for (let i = 0; i < Math.ceil(32 / shift); i++) x = (value ^ (x >>> shift)) >>> 0;
  return x;
}

/** Newton iteration for the inverse of an odd number modulo 2^32. */
function modularInverse(odd: number): number {
  let inverse = odd;
  for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(odd, inverse));
  return inverse >>> 0;
}
