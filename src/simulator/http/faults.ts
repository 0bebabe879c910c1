import { InputError } from '../../errors.js';
import { Rng, hash, Stream } from '../random.js';

export const FAULT_KINDS = [
  '429',
  '500',
  '503',
  'reset',
  'slow',
  'malformed',
  'empty-file',
  'expired-sas',
  'trickle',
  'expire-token',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Probability per request (per record for `malformed`) of each fault. */
export type FaultSpec = Readonly<Partial<Record<FaultKind, number>>>;

/** The next `count` requests whose pathname starts with `path` get `fault`, before any probability is rolled. */
export interface QueuedFault {
  readonly fault: FaultKind;
  readonly path: string;
  readonly count: number;
}

/** Which surface a request hits: faults that make no sense on a surface are never chosen for it. */
export type FaultSurface = 'mde' | 'graph' | 'xdr' | 'arm' | 'blob';

/** Whole-request faults, in the order they are rolled. `malformed` is rolled per record instead. */
const REQUEST_FAULTS: readonly FaultKind[] = [
  '429',
  '500',
  '503',
  'reset',
  'slow',
  'trickle',
  'empty-file',
  'expired-sas',
  'expire-token',
];

function applies(kind: FaultKind, surface: FaultSurface): boolean {
  if (kind === 'empty-file' || kind === 'expired-sas') return surface === 'blob';
  if (kind === 'expire-token') return surface !== 'blob';
  return true;
}

function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/**
 * Parses `"429:0.05,500:0.02,reset:0.01"`. Every entry needs an explicit probability, so a typo can never turn a
 * fault on for every request.
 */
export function parseFaultSpec(spec: string): FaultSpec {
  const result: Partial<Record<FaultKind, number>> = {};
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parts = entry.split(':');
    const [kind, probability] = parts.map((part) => part.trim());
    if (
      parts.length !== 2 ||
      kind === undefined ||
      kind === '' ||
      probability === undefined ||
      probability === ''
    ) {
      throw new InputError(`Malformed fault entry '${entry}': expected kind:probability, e.g. 429:0.05`);
    }
    if (!isFaultKind(kind)) {
      throw new InputError(`Unknown fault kind '${kind}' in '${entry}' (known: ${FAULT_KINDS.join(', ')})`);
    }
    const value = Number(probability);
    if (!/^\d*\.?\d+(e-?\d+)?$/i.test(probability) || !(value >= 0 && value <= 1)) {
      throw new InputError(
        `Fault probability for '${kind}' must be a number from 0 to 1, got '${probability}'`,
      );
    }
    if (kind in result) throw new InputError(`Fault kind '${kind}' is given twice`);
    result[kind] = value;
  }
  return result;
}

/** The spec back in its string form (`429:0.05,reset:0.01`). */
export function formatFaultSpec(spec: FaultSpec): string {
  return Object.entries(spec)
    .map(([kind, probability]) => `${kind}:${String(probability)}`)
    .join(',');
}

/** What one request suffers. */
export interface FaultDecision {
  readonly kind: FaultKind | undefined;
  /** Probability that each record of this response is corrupted. */
  readonly malformedRate: number;
  /** A queued `malformed` corrupts the first record, so a test knows where to look. */
  readonly corruptFirst: boolean;
}

/** Chooses faults from the spec and the queue with a PRNG seeded by the simulator seed: a run is reproducible. */
export class FaultInjector {
  #spec: FaultSpec;
  #queue: { fault: FaultKind; path: string; remaining: number }[] = [];
  readonly #rng: Rng;
  readonly #injected = new Map<FaultKind, number>();

  constructor(seed: number, spec: FaultSpec) {
    this.#spec = spec;
    this.#rng = new Rng(hash(seed, Stream.faults));
  }

  get spec(): FaultSpec {
    return this.#spec;
  }

  get queue(): QueuedFault[] {
    return this.#queue.map(({ fault, path, remaining }) => ({ fault, path, count: remaining }));
  }

  setSpec(spec: FaultSpec): void {
    this.#spec = spec;
  }

  enqueue(entries: readonly QueuedFault[]): void {
    for (const entry of entries)
      this.#queue.push({ fault: entry.fault, path: entry.path, remaining: entry.count });
  }

  clearQueue(): void {
    this.#queue = [];
  }

  injectedCounts(): Record<string, number> {
    return Object.fromEntries(this.#injected);
  }

  resetCounts(): void {
    this.#injected.clear();
  }

  decide(pathname: string, surface: FaultSurface): FaultDecision {
    const malformedRate = this.#spec.malformed ?? 0;
    const queued = this.#queue.find(
      (entry) => entry.remaining > 0 && pathname.startsWith(entry.path) && applies(entry.fault, surface),
    );
    if (queued !== undefined) {
      queued.remaining--;
      this.#queue = this.#queue.filter((entry) => entry.remaining > 0);
      this.#count(queued.fault);
      if (queued.fault === 'malformed') return { kind: undefined, malformedRate, corruptFirst: true };
      return { kind: queued.fault, malformedRate, corruptFirst: false };
    }
    for (const kind of REQUEST_FAULTS) {
      const probability = this.#spec[kind] ?? 0;
      if (probability > 0 && applies(kind, surface) && this.#rng.next() < probability) {
        this.#count(kind);
        return { kind, malformedRate, corruptFirst: false };
      }
    }
    return { kind: undefined, malformedRate, corruptFirst: false };
  }

  /** Rolls the per-record `malformed` fault; returns the record, corrupted when unlucky. */
  maybeCorrupt(
    record: Record<string, unknown>,
    position: number,
    decision: FaultDecision,
  ): Record<string, unknown> {
    const forced = decision.corruptFirst && position === 0;
    if (!forced && !(decision.malformedRate > 0 && this.#rng.next() < decision.malformedRate)) return record;
    // A queued fault was counted when it was taken from the queue.
    if (!forced) this.#count('malformed');
    return corrupt(record, this.#rng);
  }

  #count(kind: FaultKind): void {
    this.#injected.set(kind, (this.#injected.get(kind) ?? 0) + 1);
  }
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:/;

/**
 * Breaks one record the way a real payload can be broken while the page stays valid JSON: the id is missing, a
 * timestamp is garbage, or an array arrives as a string.
 */
function corrupt(record: Record<string, unknown>, rng: Rng): Record<string, unknown> {
  const copy = { ...record };
  const entries = Object.entries(copy);
  const timestampKey = entries.find(([, value]) => typeof value === 'string' && TIMESTAMP.test(value))?.[0];
  const arrayKey = entries.find(([, value]) => Array.isArray(value))?.[0];
  const choice = rng.int(3);
  if (choice === 1 && timestampKey !== undefined) {
    copy[timestampKey] = 'not-a-timestamp';
  } else if (choice === 2 && arrayKey !== undefined) {
    copy[arrayKey] = JSON.stringify(copy[arrayKey]);
  } else {
    delete copy.id;
  }
  return copy;
}
