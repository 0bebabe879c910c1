import type { SourcePosition } from './kql-error.js';

/** Kusto scalar types the subset knows; `dynamic` holds arrays (tags, techniques). */
export type KqlType = 'string' | 'long' | 'int' | 'real' | 'bool' | 'datetime' | 'timespan' | 'dynamic';

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~';

/** String operators, each optionally negated (`!has`) and case-sensitive (`has_cs`). */
export type StringOperator = 'contains' | 'has' | 'startswith' | 'endswith';

export type Expression =
  | { readonly kind: 'column'; readonly name: string; readonly position: SourcePosition }
  | {
      readonly kind: 'literal';
      readonly type: KqlType;
      readonly value: string | number | boolean;
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Expression[];
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'logical';
      readonly operator: 'and' | 'or';
      readonly left: Expression;
      readonly right: Expression;
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'compare';
      readonly operator: ComparisonOperator;
      readonly left: Expression;
      readonly right: Expression;
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'string-match';
      readonly operator: StringOperator;
      readonly negated: boolean;
      readonly caseSensitive: boolean;
      readonly left: Expression;
      readonly right: Expression;
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'in';
      readonly negated: boolean;
      readonly caseInsensitive: boolean;
      readonly operand: Expression;
      readonly list: readonly Expression[];
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'arithmetic';
      readonly operator: '+' | '-';
      readonly left: Expression;
      readonly right: Expression;
      readonly position: SourcePosition;
    };

/** `name = expr`, or a bare column whose name it keeps. */
export interface NamedExpression {
  readonly name: string;
  readonly expression: Expression;
  readonly position: SourcePosition;
}

export type AggregateFunction = 'count' | 'dcount' | 'min' | 'max' | 'sum';

export interface Aggregate {
  readonly name: string;
  readonly fn: AggregateFunction;
  readonly argument: Expression | undefined;
  readonly position: SourcePosition;
}

export interface SortKey {
  readonly expression: Expression;
  readonly descending: boolean;
  readonly position: SourcePosition;
}

export type Stage =
  | { readonly kind: 'where'; readonly predicate: Expression; readonly position: SourcePosition }
  | {
      readonly kind: 'project';
      readonly columns: readonly NamedExpression[];
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'summarize';
      readonly aggregates: readonly Aggregate[];
      readonly by: readonly NamedExpression[];
      readonly position: SourcePosition;
    }
  | { readonly kind: 'take'; readonly count: number; readonly position: SourcePosition }
  | { readonly kind: 'sort'; readonly keys: readonly SortKey[]; readonly position: SourcePosition }
  | {
      readonly kind: 'top';
      readonly count: number;
      readonly key: SortKey;
      readonly position: SourcePosition;
    }
  | { readonly kind: 'count'; readonly position: SourcePosition }
  | {
      readonly kind: 'distinct';
      readonly columns: readonly NamedExpression[];
      readonly position: SourcePosition;
    };

export interface QueryAst {
  readonly table: string;
  readonly tablePosition: SourcePosition;
  readonly stages: readonly Stage[];
}
