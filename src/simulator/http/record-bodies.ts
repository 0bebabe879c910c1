import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultDecision, FaultInjector } from './faults.js';

/** Flush size for ordinary bodies: large enough for few syscalls, small enough to keep memory flat. */
const FLUSH_BYTES = 256 * 1024;
/** A `trickle` body goes out in about this many pieces, one every TRICKLE_PAUSE_MS (≈ 3 s in all). */
const TRICKLE_PIECES = 30;
const TRICKLE_PAUSE_MS = 100;

export interface RecordBodyOptions {
  /** What the request suffers: a trickle paces the body, a malformed rate corrupts records. */
  readonly request: FaultDecision;
  readonly faults: FaultInjector;
  /** Records (or other units) expected, to spread a trickled body over its ~3 s. */
  readonly expected: number;
}

/**
 * Serialises records lazily, one flush at a time, applying the per-record `malformed` fault and the `trickle`
 * pacing. The caller's iterable is pulled only as fast as the socket drains.
 */
async function* serialise(
  records: Iterable<Record<string, unknown>>,
  frame: (text: string, position: number) => string,
  options: RecordBodyOptions,
): AsyncGenerator<string> {
  const trickle = options.request.kind === 'trickle';
  const perPiece = Math.max(1, Math.ceil(options.expected / TRICKLE_PIECES));
  let buffer: string[] = [];
  let size = 0;
  let position = 0;
  for (const record of records) {
    const text = JSON.stringify(options.faults.maybeCorrupt(record, position, options.request));
    buffer.push(frame(text, position));
    size += text.length;
    position++;
    if (trickle ? position % perPiece === 0 : size >= FLUSH_BYTES) {
      yield buffer.join('');
      buffer = [];
      size = 0;
      if (trickle) await sleep(TRICKLE_PAUSE_MS);
    }
  }
  if (buffer.length > 0) yield buffer.join('');
}

/** `head` + records joined by commas + `tail()`; the tail is computed after the records (it may hold a nextLink). */
export async function* jsonArrayBody(
  head: string,
  records: Iterable<Record<string, unknown>>,
  tail: () => string,
  options: RecordBodyOptions,
): AsyncGenerator<string> {
  yield head;
  yield* serialise(records, (text, position) => (position === 0 ? text : `,${text}`), options);
  yield tail();
}

/** One JSON document per line (the via-files export and the truth routes). */
export function jsonLinesBody(
  records: Iterable<Record<string, unknown>>,
  options: RecordBodyOptions,
): AsyncGenerator<string> {
  return serialise(records, (text) => `${text}\n`, options);
}
