import { parseIsoTicks } from '../time.js';

/**
 * A small OData `$filter` parser and evaluator covering what Defender and Graph document: comparisons (`eq ne gt
 * ge lt le`), `and`/`or`/`not`, parentheses, `startswith`/`endswith`/`contains`, quoted strings, unquoted dates
 * (`lastSeen gt 2018-08-01Z`), numbers, `true`/`false`/`null`, and `tags/any(t: t eq 'x')` on collections.
 */
export type FieldType = 'string' | 'number' | 'date' | 'boolean' | 'collection';
type Scalar = string | number | boolean | null;

export interface FilterField<T> {
  readonly type: FieldType;
  /** Dates are returned as ticks; collections as string arrays. */
  readonly get: (record: T) => Scalar | readonly string[];
}

export type FilterSchema<T> = Readonly<Record<string, FilterField<T>>>;
export type Predicate<T> = (record: T) => boolean;

export class ODataFilterError extends Error {
  /** `ODataError` for syntax, `InvalidInput` for a property that cannot be filtered. */
  readonly code: 'ODataError' | 'InvalidInput';

  constructor(code: 'ODataError' | 'InvalidInput', message: string) {
    super(message);
    this.code = code;
  }
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'literal'; readonly text: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ',' | ':' | '/'; readonly at: number };

type Literal =
  { readonly kind: 'string'; readonly value: string } | { readonly kind: 'bare'; readonly text: string };
type Operand =
  { readonly kind: 'field'; readonly path: string } | { readonly kind: 'literal'; readonly literal: Literal };

type Node =
  | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly field: string; readonly literal: Literal }
  | { readonly kind: 'call'; readonly fn: StringFunction; readonly field: string; readonly literal: Literal }
  | { readonly kind: 'any'; readonly field: string; readonly variable: string; readonly body: Node };

type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type StringFunction = 'startswith' | 'endswith' | 'contains';
const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FLIPPED: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };
const STRING_FUNCTIONS = new Set<string>(['startswith', 'endswith', 'contains']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw syntax(`unterminated string starting at position ${i + 1}`);
        if (text.charAt(j) === "'") {
          if (text.charAt(j + 1) === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text.charAt(j);
        j++;
      }
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
    } else if ('(),:/'.includes(c)) {
      tokens.push({ kind: 'punct', text: c as '(' | ')' | ',' | ':' | '/', at: i });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
      const word = match?.[0] ?? c;
      tokens.push({ kind: 'word', text: word, at: i });
      i += word.length;
    } else if (/[0-9-]/.test(c)) {
      // Numbers, dates and date-times: digits plus the characters an ISO-8601 instant may hold.
      const match = /^-?[0-9][0-9A-Za-z:.+-]*/.exec(text.slice(i));
      if (match === null) throw syntax(`unexpected '${c}' at position ${i + 1}`);
      tokens.push({ kind: 'literal', text: match[0], at: i });
      i += match[0].length;
    } else {
      throw syntax(`unexpected '${c}' at position ${i + 1}`);
    }
  }
  return tokens;
}

function syntax(detail: string): ODataFilterError {
  return new ODataFilterError('ODataError', `Invalid filter clause: ${detail}.`);
}

class Parser {
  #position = 0;
  readonly #tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  parse(): Node {
    if (this.#tokens.length === 0) throw syntax('the filter is empty');
    const node = this.#or();
    const rest = this.#peek();
    if (rest !== undefined) throw syntax(`unexpected '${rest.text}' at position ${rest.at + 1}`);
    return node;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#position];
  }

  #next(expected: string): Token {
    const token = this.#tokens[this.#position++];
    if (token === undefined) throw syntax(`expected ${expected} but the filter ended`);
    return token;
  }

  #isWord(token: Token | undefined, word: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  #expectPunct(text: string): void {
    const token = this.#next(`'${text}'`);
    if (token.kind !== 'punct' || token.text !== text)
      throw syntax(`expected '${text}' at position ${token.at + 1}, found '${token.text}'`);
  }

  #or(): Node {
    let left = this.#and();
    while (this.#isWord(this.#peek(), 'or')) {
      this.#position++;
      left = { kind: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): Node {
    let left = this.#unary();
    while (this.#isWord(this.#peek(), 'and')) {
      this.#position++;
      left = { kind: 'and', left, right: this.#unary() };
    }
    return left;
  }

  #unary(): Node {
    if (this.#isWord(this.#peek(), 'not')) {
      this.#position++;
      return { kind: 'not', operand: this.#unary() };
    }
    const token = this.#peek();
    if (token?.kind === 'punct' && token.text === '(') {
      this.#position++;
      const inner = this.#or();
      this.#expectPunct(')');
      return inner;
    }
    if (token?.kind === 'word' && STRING_FUNCTIONS.has(token.text.toLowerCase())) {
      this.#position++;
      this.#expectPunct('(');
      const field = this.#fieldPath();
      this.#expectPunct(',');
      const literal = this.#literal();
      this.#expectPunct(')');
      return { kind: 'call', fn: token.text.toLowerCase() as StringFunction, field, literal };
    }
    return this.#comparison();
  }

  #comparison(): Node {
    const left = this.#operand();
    if (left.kind === 'field' && this.#peek()?.kind === 'punct' && this.#peek()?.text === '/') {
      return this.#lambda(left.path);
    }
    const opToken = this.#next('a comparison operator');
    const op = opToken.text.toLowerCase();
    if (opToken.kind !== 'word' || !COMPARE_OPS.has(op)) {
      throw syntax(
        `expected a comparison operator (eq, ne, gt, ge, lt, le) at position ${opToken.at + 1}, found '${opToken.text}'`,
      );
    }
    const right = this.#operand();
    if (left.kind === 'field' && right.kind === 'literal')
      return { kind: 'compare', op: op as CompareOp, field: left.path, literal: right.literal };
    if (left.kind === 'literal' && right.kind === 'field') {
      return { kind: 'compare', op: FLIPPED[op as CompareOp], field: right.path, literal: left.literal };
    }
    if (left.kind === 'field' && right.kind === 'field') {
      throw syntax(
        `both sides of '${op}' are names ('${left.path}', '${right.path}'); quote text values ('…') and write dates like 2026-11-20Z`,
      );
    }
    throw syntax(`a comparison needs one property and one value near position ${opToken.at + 1}`);
  }

  #lambda(collection: string): Node {
    this.#expectPunct('/');
    const fn = this.#next("'any'");
    if (!this.#isWord(fn, 'any'))
      throw syntax(`only any() is supported after '${collection}/', found '${fn.text}'`);
    this.#expectPunct('(');
    const variable = this.#next('a lambda variable');
    if (variable.kind !== 'word') throw syntax(`expected a lambda variable at position ${variable.at + 1}`);
    this.#expectPunct(':');
    const body = this.#or();
    this.#expectPunct(')');
    return { kind: 'any', field: collection, variable: variable.text, body };
  }

  #fieldPath(): string {
    const token = this.#next('a property name');
    if (token.kind !== 'word')
      throw syntax(`expected a property name at position ${token.at + 1}, found '${token.text}'`);
    return token.text;
  }

  #operand(): Operand {
    const token = this.#peek();
    if (token?.kind === 'word' && !['true', 'false', 'null'].includes(token.text.toLowerCase())) {
      this.#position++;
      return { kind: 'field', path: token.text };
    }
    return { kind: 'literal', literal: this.#literal() };
  }

  #literal(): Literal {
    const token = this.#next('a value');
    if (token.kind === 'string') return { kind: 'string', value: token.text };
    if (
      token.kind === 'literal' ||
      (token.kind === 'word' && ['true', 'false', 'null'].includes(token.text.toLowerCase()))
    ) {
      return { kind: 'bare', text: token.text };
    }
    throw syntax(`expected a value at position ${token.at + 1}, found '${token.text}'`);
  }
}

/** Compiles a filter against the properties an entity set lets you filter on (names are case-insensitive). */
export function compileFilter<T>(text: string, schema: FilterSchema<T>, entitySet: string): Predicate<T> {
  const fields = new Map(Object.entries(schema).map(([name, field]) => [name.toLowerCase(), field]));
  const lookup = (name: string): FilterField<T> => {
    const field = fields.get(name.toLowerCase());
    if (field === undefined) {
      throw new ODataFilterError(
        'InvalidInput',
        `Invalid filter: property '${name}' cannot be filtered on ${entitySet}. Filterable properties: ${Object.keys(schema).join(', ')}.`,
      );
    }
    return field;
  };
  const ast = new Parser(tokenize(text)).parse();
  return build(ast, lookup, undefined);
}

type Lookup<T> = (name: string) => FilterField<T>;

function build<T>(
  node: Node,
  lookup: Lookup<T>,
  lambda: { variable: string } | undefined,
): (record: T, element?: string) => boolean {
  switch (node.kind) {
    case 'and': {
      const left = build(node.left, lookup, lambda);
      const right = build(node.right, lookup, lambda);
      return (r, e) => left(r, e) && right(r, e);
    }
    case 'or': {
      const left = build(node.left, lookup, lambda);
      const right = build(node.right, lookup, lambda);
      return (r, e) => left(r, e) || right(r, e);
    }
    case 'not': {
      const operand = build(node.operand, lookup, lambda);
      return (r, e) => !operand(r, e);
    }
    case 'any': {
      const field = lookup(node.field);
      if (field.type !== 'collection') throw syntax(`'${node.field}' is not a collection; any() needs one`);
      const body = build(node.body, lookup, { variable: node.variable });
      return (r) => {
        const items = field.get(r);
        return Array.isArray(items) && items.some((item: string) => body(r, item));
      };
    }
    case 'compare':
    case 'call': {
      if (lambda !== undefined && node.field === lambda.variable) {
        const expected = asString(node.literal, node.field);
        return (_r, element) =>
          element === undefined ? false : test(node, element.toLowerCase(), expected?.toLowerCase() ?? null);
      }
      const field = lookup(node.field);
      if (node.kind === 'call' && field.type !== 'string')
        throw syntax(`${node.fn}() needs a text property, '${node.field}' is not one`);
      const expected = coerce(node.literal, field.type, node.field);
      return (r) => {
        const raw = field.get(r);
        if (Array.isArray(raw)) return false;
        const actual =
          typeof raw === 'string' && field.type === 'string' ? raw.toLowerCase() : (raw as Scalar);
        return test(node, actual, typeof expected === 'string' ? expected.toLowerCase() : expected);
      };
    }
  }
}

function test(node: Extract<Node, { kind: 'compare' | 'call' }>, actual: Scalar, expected: Scalar): boolean {
  if (node.kind === 'call') {
    if (typeof actual !== 'string' || typeof expected !== 'string') return false;
    if (node.fn === 'startswith') return actual.startsWith(expected);
    if (node.fn === 'endswith') return actual.endsWith(expected);
    return actual.includes(expected);
  }
  if (node.op === 'eq') return actual === expected;
  if (node.op === 'ne') return actual !== expected;
  // Ordering against null is false, as in OData.
  if (actual === null || expected === null) return false;
  if (node.op === 'gt') return actual > expected;
  if (node.op === 'ge') return actual >= expected;
  if (node.op === 'lt') return actual < expected;
  return actual <= expected;
}

function asString(literal: Literal, field: string): string | null {
  if (literal.kind === 'string') return literal.value;
  if (literal.text.toLowerCase() === 'null') return null;
  throw syntax(`'${field}' is compared with ${literal.text}; quote text values`);
}

function coerce(literal: Literal, type: FieldType, field: string): Scalar {
  const text = literal.kind === 'string' ? literal.value : literal.text;
  if (literal.kind === 'bare' && text.toLowerCase() === 'null') return null;
  switch (type) {
    case 'string':
      return asString(literal, field);
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value)) throw syntax(`'${field}' is a number, '${text}' is not`);
      return value;
    }
    case 'date': {
      const ticks = parseIsoTicks(text);
      if (ticks === undefined) throw syntax(`'${field}' is a date, '${text}' is not an ISO 8601 date`);
      return ticks;
    }
    case 'boolean':
      if (literal.kind === 'bare' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      throw syntax(`'${field}' is true or false, not '${text}'`);
    case 'collection':
      throw syntax(`'${field}' is a collection; use ${field}/any(x: x eq '…')`);
  }
}

/** A record of an MDE list as the simulator serves it: plain JSON. */
export type JsonRecord = Record<string, unknown>;

/** A string member of a JSON record; null when absent or not a string. */
export function textMember(name: string): FilterField<JsonRecord> {
  return { type: 'string', get: (r) => (typeof r[name] === 'string' ? r[name] : null) };
}

/** A number member of a JSON record; null when absent or not a number. */
export function numberMember(name: string): FilterField<JsonRecord> {
  return { type: 'number', get: (r) => (typeof r[name] === 'number' ? r[name] : null) };
}
