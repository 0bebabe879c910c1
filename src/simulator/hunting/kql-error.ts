/** Where in the query text something is: 1-based line and column, as Kusto's own messages give them. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/**
 * Why a query was refused: `syntax` (not KQL at all), `unsupported` (KQL this simulator does not implement) or
 * `semantic` (an unknown table or column, mismatched types). Each message names the culprit and its position,
 * so a caller can point at it.
 */
export type KqlErrorKind = 'syntax' | 'unsupported' | 'semantic';

export class KqlError extends Error {
  readonly kind: KqlErrorKind;
  readonly position: SourcePosition;

  /** `hint` follows the position: what would have been accepted there. */
  constructor(kind: KqlErrorKind, message: string, position: SourcePosition, hint?: string) {
    super(`${message} on line [${position.line},${position.column}]${hint === undefined ? '' : `. ${hint}`}`);
    this.name = 'KqlError';
    this.kind = kind;
    this.position = position;
  }
}

export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
