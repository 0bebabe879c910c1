import { InvalidInputError } from '../../errors.js';

export const STRATEGY_EXPRESSION_ERROR_CODE = 'INVALID_STRATEGY_EXPRESSION';

/** Where and why an expression was refused, as plain data (for API replies and the editor's underline). */
export interface StrategyExpressionProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units as JavaScript editors count them; a tab is one column. */
  readonly column: number;
  /** What the language wanted there, e.g. `a field name`, `")"`, `a value`. */
  readonly expected: string;
  /** What was there: the token as written (shortened past 40 characters) or `end of expression`. */
  readonly found: string;
  /** `Line L, column C: ...`, a sentence for a person. */
  readonly message: string;
}

/**
 * A patch-strategy expression that does not parse or does not type-check. One code for every case, since the
 * caller's reaction is the same (show the message at the position); `expected` and `found` carry the detail.
 */
export class StrategyExpressionError extends InvalidInputError {
  override readonly code = STRATEGY_EXPRESSION_ERROR_CODE;
  readonly line: number;
  readonly column: number;
  readonly expected: string;
  readonly found: string;

  /** `detail` is the message without its `Line L, column C: ` prefix, which this adds so it is never missed. */
  constructor(
    position: { readonly line: number; readonly column: number },
    expected: string,
    found: string,
    detail: string,
  ) {
    super(STRATEGY_EXPRESSION_ERROR_CODE, `Line ${position.line}, column ${position.column}: ${detail}`, {
      details: { line: position.line, column: position.column, expected, found },
    });
    this.line = position.line;
    this.column = position.column;
    this.expected = expected;
    this.found = found;
  }

  toProblem(): StrategyExpressionProblem {
    return {
      line: this.line,
      column: this.column,
      expected: this.expected,
      found: this.found,
      message: this.message,
    };
  }
}
