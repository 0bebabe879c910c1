import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MS, TICKS_PER_SECOND } from '../time.js';
import { KqlError, positionAt } from './kql-error.js';

export type TokenKind = 'ident' | 'number' | 'timespan' | 'string' | 'datetime' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for `string`, with its quotes). */
  readonly text: string;
  /** Decoded string, the number, timespan ticks, or the text inside `datetime(...)`. */
  readonly value: string | number;
  readonly offset: number;
  readonly end: number;
}

/** Two-character operators first, so `<=` is never read as `<` then `=`. */
const PUNCTUATION = [
  '==',
  '!=',
  '<=',
  '>=',
  '=~',
  '!~',
  '|',
  ',',
  '(',
  ')',
  '<',
  '>',
  '=',
  '!',
  '~',
  '+',
  '-',
  ';',
];

/** Timespan literal suffixes (`7d`, `90m`), longest first so `ms` wins over `m`. */
const TIMESPAN_UNITS: readonly (readonly [string, number])[] = [
  ['ms', TICKS_PER_MS],
  ['d', TICKS_PER_DAY],
  ['h', TICKS_PER_HOUR],
  ['m', 60 * TICKS_PER_SECOND],
  ['s', TICKS_PER_SECOND],
];

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Splits a query into tokens; `//` comments and white space between them are dropped. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const skipped = skipSpaceAndComments(text, at);
    if (skipped !== at) {
      at = skipped;
      continue;
    }
    const token = readToken(text, at, tokens[tokens.length - 1]);
    tokens.push(token);
    at = token.end;
  }
  tokens.push({ kind: 'eof', text: '', value: '', offset: text.length, end: text.length });
  return tokens;
}

function skipSpaceAndComments(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) i++;
    else if (text.startsWith('//', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline + 1;
    } else break;
  }
  return i;
}

function readToken(text: string, at: number, previous: Token | undefined): Token {
  const char = text[at] ?? '';
  if (char === '"' || char === "'") return readString(text, at, at, false);
  if (char === '@' && (text[at + 1] === '"' || text[at + 1] === "'"))
    return readString(text, at, at + 1, true);
  if (/[0-9]/.test(char)) return readNumber(text, at);
  if (/[A-Za-z_]/.test(char)) {
    let end = at + 1;
    while (end < text.length && /[A-Za-z0-9_]/.test(text[end] ?? '')) end++;
    const word = text.slice(at, end);
    return { kind: 'ident', text: word, value: word, offset: at, end };
  }
  if (char === '(' && previous?.kind === 'ident' && previous.text === 'datetime')
    return readDatetime(text, at);
  const punct = PUNCTUATION.find((p) => text.startsWith(p, at));
  if (punct !== undefined)
    return { kind: 'punct', text: punct, value: punct, offset: at, end: at + punct.length };
  throw new KqlError('syntax', `Query could not be parsed at '${char}'`, positionAt(text, at));
}

/** `"..."` and `'...'` with backslash escapes; `@"..."` verbatim (a doubled quote is one quote). */
function readString(text: string, start: number, quoteAt: number, verbatim: boolean): Token {
  const quote = text[quoteAt] ?? '"';
  let value = '';
  let i = quoteAt + 1;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (char === '\n') break;
    if (verbatim && char === quote && text[i + 1] === quote) {
      value += quote;
      i += 2;
      continue;
    }
    if (char === quote) {
      return { kind: 'string', text: text.slice(start, i + 1), value, offset: start, end: i + 1 };
    }
    if (!verbatim && char === '\\') {
      const escaped = ESCAPES[text[i + 1] ?? ''];
      if (escaped === undefined)
        throw new KqlError(
          'syntax',
          `Query could not be parsed at '\\${text[i + 1] ?? ''}'`,
          positionAt(text, i),
        );
      value += escaped;
      i += 2;
      continue;
    }
    value += char;
    i++;
  }
  throw new KqlError(
    'syntax',
    `Query could not be parsed at '${text.slice(start, start + 20)}'`,
    positionAt(text, start),
    'The string literal is not closed',
  );
}

function readNumber(text: string, at: number): Token {
  const match = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
  const digits = match?.[0] ?? '';
  let end = at + digits.length;
  const number = Number(digits);
  const unit = TIMESPAN_UNITS.find(([suffix]) => {
    const next = text[end + suffix.length] ?? '';
    return text.startsWith(suffix, end) && !/[A-Za-z0-9_]/.test(next);
  });
  if (unit !== undefined) {
    end += unit[0].length;
    return {
      kind: 'timespan',
      text: text.slice(at, end),
      value: Math.round(number * unit[1]),
      offset: at,
      end,
    };
  }
  if (/[A-Za-z_]/.test(text[end] ?? '')) {
    throw new KqlError(
      'syntax',
      `Query could not be parsed at '${text.slice(at, end + 1)}'`,
      positionAt(text, at),
    );
  }
  return { kind: 'number', text: digits, value: number, offset: at, end };
}

/** `datetime(2026-01-01)` or `datetime(2026-01-01T10:00:00Z)`: the part in parentheses is not tokenised. */
function readDatetime(text: string, at: number): Token {
  const close = text.indexOf(')', at);
  if (close < 0)
    throw new KqlError(
      'syntax',
      `Query could not be parsed at 'datetime('`,
      positionAt(text, at),
      'Missing )',
    );
  const inner = text.slice(at + 1, close).trim();
  return { kind: 'datetime', text: text.slice(at, close + 1), value: inner, offset: at, end: close + 1 };
}
