import { DefenderError, DefenderErrorCode } from './errors.js';

/** Top-level members of an OData collection answer other than `value` (`@odata.nextLink`, `@odata.count`, …). */
export type ODataEnvelope = Record<string, unknown>;

const Ch = {
  Quote: 0x22,
  Backslash: 0x5c,
  Comma: 0x2c,
  Colon: 0x3a,
  OpenBrace: 0x7b,
  CloseBrace: 0x7d,
  OpenBracket: 0x5b,
  CloseBracket: 0x5d,
} as const;

function truncated(what: string): DefenderError {
  return new DefenderError(DefenderErrorCode.NetworkError, `The answer ended before ${what} was complete.`);
}

function malformed(what: string): DefenderError {
  return new DefenderError(DefenderErrorCode.InvalidResponse, `The answer is not valid OData JSON: ${what}.`);
}

/**
 * Reads a text stream incrementally. Keeps only the unconsumed tail, so memory stays at one record whatever the
 * size of the answer (an export page can be 200 MB).
 */
class TextCursor {
  #text = '';
  #pos = 0;
  readonly #chunks: AsyncIterator<Uint8Array | string>;
  readonly #decoder = new TextDecoder('utf-8');
  #done = false;

  constructor(chunks: AsyncIterable<Uint8Array | string>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  get text(): string {
    return this.#text;
  }

  get pos(): number {
    return this.#pos;
  }

  set pos(value: number) {
    this.#pos = value;
  }

  /** Pulls one more chunk; false at the end of the stream. */
  async more(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#chunks.next();
    if (next.done === true) {
      this.#done = true;
      this.#text = this.#text.slice(this.#pos) + this.#decoder.decode();
      this.#pos = 0;
      return false;
    }
    const piece =
      typeof next.value === 'string' ? next.value : this.#decoder.decode(next.value, { stream: true });
    this.#text = this.#text.slice(this.#pos) + piece;
    this.#pos = 0;
    return true;
  }

  /** Skips white space; returns the next character code, loading more text as needed, or -1 at the end. */
  async peek(): Promise<number> {
    for (;;) {
      while (this.#pos < this.#text.length) {
        const c = this.#text.charCodeAt(this.#pos);
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return c;
        this.#pos++;
      }
      if (!(await this.more())) return -1;
    }
  }

  async expect(code: number, what: string): Promise<void> {
    const c = await this.peek();
    if (c === -1) throw truncated(what);
    if (c !== code)
      throw malformed(`expected '${String.fromCharCode(code)}' ${what}, found '${String.fromCharCode(c)}'`);
    this.#pos++;
  }

  /**
   * Returns the source text of the JSON value starting at the cursor and moves past it. The scan tracks only
   * strings and nesting depth; JSON.parse does the real parsing of the slice.
   */
  async takeValue(): Promise<string> {
    if ((await this.peek()) === -1) throw truncated('a value');
    // Offsets are relative to #pos, because more() drops the consumed prefix and shifts the text.
    let offset = 0;
    let depth = 0;
    for (;;) {
      const text = this.#text;
      let i = this.#pos + offset;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === Ch.Quote) {
          const end = stringEnd(text, i + 1);
          if (end === -1) break;
          i = end + 1;
          if (depth === 0) return this.#slice(i);
          continue;
        }
        if (c === Ch.OpenBrace || c === Ch.OpenBracket) depth++;
        else if (c === Ch.CloseBrace || c === Ch.CloseBracket) {
          if (depth === 0) return this.#slice(i);
          depth--;
          if (depth === 0) return this.#slice(i + 1);
        } else if (depth === 0 && (c === Ch.Comma || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) {
          return this.#slice(i);
        }
        i++;
      }
      offset = i - this.#pos;
      // A string cut by the chunk boundary is rescanned from its opening quote.
      if (i < text.length) offset = lastQuoteBefore(text, i, this.#pos) - this.#pos;
      if (!(await this.more())) {
        if (depth === 0 && this.#text.length > this.#pos) return this.#slice(this.#text.length);
        throw truncated('a record');
      }
    }
  }

  #slice(end: number): string {
    const value = this.#text.slice(this.#pos, end);
    this.#pos = end;
    return value;
  }
}

/** Index of the closing quote of a string whose content starts at `from`, or -1 if the text ends first. */
function stringEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1) return -1;
    let backslashes = 0;
    for (let j = q - 1; j >= from && text.charCodeAt(j) === Ch.Backslash; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

function lastQuoteBefore(text: string, end: number, floor: number): number {
  const q = text.lastIndexOf('"', end);
  return q < floor ? floor : q;
}

function parseSlice(source: string, what: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new DefenderError(
      DefenderErrorCode.InvalidResponse,
      `The answer holds ${what} that is not valid JSON.`,
      { cause: error },
    );
  }
}

/**
 * Streams the elements of an OData collection answer (`{"@odata.context": …, "value": [ … ], …}`) one by one,
 * in whatever order the members come, and returns the other top-level members once the answer ends.
 */
export async function* parseODataCollection(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<unknown, ODataEnvelope, undefined> {
  const cursor = new TextCursor(chunks);
  const envelope: ODataEnvelope = {};
  await cursor.expect(Ch.OpenBrace, 'at the start of the answer');
  if ((await cursor.peek()) === Ch.CloseBrace) {
    cursor.pos++;
    return envelope;
  }
  for (;;) {
    const key = parseSlice(await cursor.takeValue(), 'a member name');
    if (typeof key !== 'string') throw malformed('a member name is not a string');
    await cursor.expect(Ch.Colon, `after "${key}"`);
    if (key === 'value' && (await cursor.peek()) === Ch.OpenBracket) {
      yield* arrayElements(cursor);
    } else {
      envelope[key] = parseSlice(await cursor.takeValue(), `member "${key}"`);
    }
    const c = await cursor.peek();
    cursor.pos++;
    if (c === Ch.CloseBrace) return envelope;
    if (c === -1) throw truncated('the answer');
    if (c !== Ch.Comma) throw malformed(`unexpected '${String.fromCharCode(c)}' between members`);
  }
}

async function* arrayElements(cursor: TextCursor): AsyncGenerator<unknown, void, undefined> {
  await cursor.expect(Ch.OpenBracket, 'at the start of "value"');
  if ((await cursor.peek()) === Ch.CloseBracket) {
    cursor.pos++;
    return;
  }
  for (;;) {
    yield parseSlice(await cursor.takeValue(), 'a record');
    const c = await cursor.peek();
    cursor.pos++;
    if (c === Ch.CloseBracket) return;
    if (c === -1) throw truncated('the "value" array');
    if (c !== Ch.Comma) throw malformed(`unexpected '${String.fromCharCode(c)}' between records`);
  }
}

/**
 * Streams the lines of a JSON-lines text (the export files' format), skipping blank lines. Lines come back
 * unparsed: each is a record of its own, so a broken one is refused alone.
 */
export async function* jsonLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n', start)) {
      const line = rest.slice(start, nl).trim();
      start = nl + 1;
      if (line !== '') yield line;
    }
    rest = rest.slice(start);
  }
  const last = (rest + decoder.decode()).trim();
  if (last !== '') yield last;
}
