import { foldStrategyCase } from './fields.js';
import { StrategyExpressionError } from './strategy-expression-error.js';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export type Keyword = 'and' | 'or' | 'not' | 'in' | 'contains' | 'true' | 'false';
export type Punctuation = '(' | ')' | ',' | '=' | '!=' | '<' | '<=' | '>' | '>=';

interface TokenBase {
  /** The token as written in the source. */
  readonly text: string;
  readonly position: SourcePosition;
}

export type Token =
  /** An identifier, dotted or not, that is not a keyword: a field name if the catalogue knows it. */
  | (TokenBase & { readonly kind: 'name' })
  | (TokenBase & { readonly kind: 'keyword'; readonly keyword: Keyword })
  | (TokenBase & { readonly kind: 'string'; readonly value: string })
  | (TokenBase & { readonly kind: 'number'; readonly value: number })
  | (TokenBase & { readonly kind: 'punctuation'; readonly punctuation: Punctuation })
  /** Characters the language has no use for; the parser reports them with what it expected there. */
  | (TokenBase & { readonly kind: 'invalid'; readonly hint: string })
  | (TokenBase & { readonly kind: 'end' });

const keywords: ReadonlySet<string> = new Set<Keyword>([
  'and',
  'or',
  'not',
  'in',
  'contains',
  'true',
  'false',
]);

// Longest first, so `<=` wins over `<`. `==`, `<>`, `&&` and `||` are here only to be refused with a hint.
const symbols: readonly string[] = ['!=', '<=', '>=', '==', '<>', '&&', '||', '(', ')', ',', '=', '<', '>'];
const punctuation: ReadonlySet<string> = new Set<Punctuation>([
  '(',
  ')',
  ',',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
]);

const hints: Readonly<Record<string, string>> = {
  '==': 'Write "=" instead of "==".',
  '<>': 'Write "!=" instead of "<>".',
  '&&': 'Write "and" instead of "&&".',
  '&': 'Write "and" instead of "&".',
  '||': 'Write "or" instead of "||".',
  '|': 'Write "or" instead of "|".',
  '!': 'Write "not" or "!=" instead of "!".',
};
const curlyQuoteHint = `Write text between straight quotes (" or ').`;

// A dotted name may end in a dot, hold empty segments (`Defender.`) or non-ASCII letters (`Défender`): no field
// matches, and the lookup then suggests the fields it could have been, which says more than "unexpected
// character".
const namePattern = /[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]*)*/uy;
const numberPattern = /-?\d+(?:\.\d+)?/y;
// What a person may have meant as one number (`1e3`, `1.`, `5and`): refused whole rather than split.
const numberLikePattern = /[-A-Za-z0-9_.]*/y;

/**
 * Turns source text into tokens on demand. The parser pulls one token at a time, so a problem late in the text
 * (an unterminated string) is not reported before an earlier syntax error: errors come from left to right.
 */
export class StrategyLexer {
  readonly #source: string;
  #offset = 0;
  #line = 1;
  #column = 1;

  constructor(source: string) {
    this.#source = source;
  }

  next(): Token {
    this.#skipWhitespace();
    const position = this.#position();
    const char = this.#source[this.#offset];
    if (char === undefined) return { kind: 'end', text: '', position };
    if (this.#match(namePattern) !== '') return this.#name(position);
    if (/\d/.test(char) || (char === '-' && /\d/.test(this.#source[this.#offset + 1] ?? ''))) {
      return this.#number(position);
    }
    if (char === '"' || char === "'") return this.#string(position, char);
    return this.#symbol(position);
  }

  #position(): SourcePosition {
    return { line: this.#line, column: this.#column };
  }

  /** Moves past `count` characters, counting \n, \r\n and a lone \r as one line break each. */
  #advance(count: number): void {
    for (let i = 0; i < count; i++) {
      const char = this.#source[this.#offset];
      this.#offset++;
      if (char === '\n' || (char === '\r' && this.#source[this.#offset] !== '\n')) {
        this.#line++;
        this.#column = 1;
      } else if (char !== '\r') {
        this.#column++;
      }
    }
  }

  #skipWhitespace(): void {
    while (/\s/.test(this.#source[this.#offset] ?? '')) this.#advance(1);
  }

  #match(pattern: RegExp): string {
    pattern.lastIndex = this.#offset;
    return pattern.exec(this.#source)?.[0] ?? '';
  }

  #name(position: SourcePosition): Token {
    const text = this.#match(namePattern);
    this.#advance(text.length);
    const folded = foldStrategyCase(text);
    if (keywords.has(folded)) return { kind: 'keyword', keyword: folded as Keyword, text, position };
    return { kind: 'name', text, position };
  }

  #number(position: SourcePosition): Token {
    const text = this.#match(numberPattern);
    const whole = this.#match(numberLikePattern);
    if (whole !== text) {
      throw new StrategyExpressionError(
        position,
        'a number',
        shorten(whole),
        `"${shorten(whole)}" is not a number; write numbers like 7, -2 or 7.5.`,
      );
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw new StrategyExpressionError(position, 'a number', shorten(text), 'this number is too large.');
    }
    this.#advance(text.length);
    // -0 and 0 are one value; keeping both would make equal expressions compare unequal as trees.
    return { kind: 'number', value: value === 0 ? 0 : value, text, position };
  }

  #string(position: SourcePosition, quote: string): Token {
    const start = this.#offset;
    this.#advance(1);
    let value = '';
    for (;;) {
      const char = this.#source[this.#offset];
      if (char === undefined) {
        throw new StrategyExpressionError(
          position,
          `a closing ${quote}`,
          'end of expression',
          `unterminated string: expected a closing ${quote}, found end of expression.`,
        );
      }
      if (char === quote) break;
      if (char === '\\') {
        value += this.#escape();
      } else {
        value += char;
        this.#advance(1);
      }
    }
    this.#advance(1);
    return { kind: 'string', value, text: this.#source.slice(start, this.#offset), position };
  }

  /** Reads a backslash escape; only the quotes and the backslash itself can be escaped. */
  #escape(): string {
    const escaped = this.#source[this.#offset + 1];
    // A backslash at the very end leaves the string open; the caller reports that.
    if (escaped === undefined) {
      this.#advance(1);
      return '';
    }
    if (escaped !== '"' && escaped !== "'" && escaped !== '\\') {
      const found = `\\${String.fromCodePoint(this.#source.codePointAt(this.#offset + 1) ?? 0)}`;
      throw new StrategyExpressionError(
        this.#position(),
        '\\", \\\' or \\\\',
        found,
        `expected \\", \\' or \\\\ after a backslash in a string, found ${found}.`,
      );
    }
    this.#advance(2);
    return escaped;
  }

  #symbol(position: SourcePosition): Token {
    const symbol = symbols.find((s) => this.#source.startsWith(s, this.#offset));
    if (symbol !== undefined && punctuation.has(symbol)) {
      this.#advance(symbol.length);
      return { kind: 'punctuation', punctuation: symbol as Punctuation, text: symbol, position };
    }
    // Whole code points, so an emoji is reported as itself rather than half a surrogate pair.
    const text = symbol ?? String.fromCodePoint(this.#source.codePointAt(this.#offset) ?? 0);
    this.#advance(text.length);
    return { kind: 'invalid', hint: hintFor(text), text, position };
  }
}

function hintFor(text: string): string {
  if (/^[\u2018\u2019\u201c\u201d]$/.test(text)) return curlyQuoteHint;
  return hints[text] ?? '';
}

const longestShown = 40;

/** Tokens as shown in errors: a 9,000-character string is not worth repeating back. */
export function shorten(text: string): string {
  return text.length > longestShown ? `${text.slice(0, longestShown)}…` : text;
}
