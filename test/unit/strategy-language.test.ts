import { describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors.js';
import {
  StrategyExpressionError,
  describeStrategyFields,
  evaluateStrategy,
  foldStrategyCase,
  formatStrategyExpression,
  holdsWithoutEndpoint,
  namesEndpointField,
  parseStrategyExpression,
  patchConditions,
  patchOnlyConjuncts,
  residualStrategy,
  strategyExpressionLimits,
  strategyFieldNames,
  strategyFields,
  strategyOperators,
  validateStrategyExpression,
  type ComparisonOperator,
  type Expr,
  type StrategyFieldName,
  type StrategyRow,
  type StrategyValue,
} from '../../src/domain/strategy/index.js';
import { pick, seeded, type Random } from '../support/seeded-random.js';

// Small AST builders, so expectations read like the expressions they stand for.
const cmp = (field: StrategyFieldName, op: ComparisonOperator, value: StrategyValue): Expr => ({
  kind: 'compare',
  field,
  op,
  value,
});
const inList = (field: StrategyFieldName, values: StrategyValue[]): Expr => ({ kind: 'in', field, values });
const has = (field: StrategyFieldName, value: string): Expr => ({ kind: 'contains', field, value });
const and = (left: Expr, right: Expr): Expr => ({ kind: 'and', left, right });
const or = (left: Expr, right: Expr): Expr => ({ kind: 'or', left, right });
const not = (expr: Expr): Expr => ({ kind: 'not', expr });

const A = cmp('Cvss', '>', 1);
const B = cmp('Cvss', '>', 2);
const C = cmp('Cvss', '>', 3);
const D = cmp('Cvss', '>', 4);

function errorOf(source: string): StrategyExpressionError {
  try {
    parseStrategyExpression(source);
  } catch (error) {
    if (error instanceof StrategyExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

/** The parts of an error a caller relies on, in one comparable object. */
function problemOf(source: string): {
  line: number;
  column: number;
  expected: string;
  found: string;
  message: string;
} {
  const { line, column, expected, found, message } = errorOf(source);
  return { line, column, expected, found, message };
}

describe('parseStrategyExpression: structure', () => {
  it("should read the brief's example", () => {
    expect(
      parseStrategyExpression(
        'Defender.SeverityLevel in ("Critical","High") and Defender.KnownExploitExists = true',
      ),
    ).toEqual(
      and(
        inList('Defender.SeverityLevel', ['Critical', 'High']),
        cmp('Defender.KnownExploitExists', '=', true),
      ),
    );
  });

  it.each<[string, Expr]>([
    ['Cvss > 1 or Cvss > 2 and Cvss > 3', or(A, and(B, C))],
    ['Cvss > 1 and Cvss > 2 or Cvss > 3', or(and(A, B), C)],
    ['Cvss > 1 and Cvss > 2 or Cvss > 3 and Cvss > 4', or(and(A, B), and(C, D))],
    ['not Cvss > 1 and Cvss > 2', and(not(A), B)],
    ['not Cvss > 1 or Cvss > 2', or(not(A), B)],
    ['Cvss > 1 or not Cvss > 2 and Cvss > 3', or(A, and(not(B), C))],
    ['not not Cvss > 1', not(not(A))],
  ])('should bind not over and over or: %s', (source, ast) => {
    expect(parseStrategyExpression(source)).toEqual(ast);
  });

  it.each<[string, Expr]>([
    ['Cvss > 1 and Cvss > 2 and Cvss > 3', and(and(A, B), C)],
    ['Cvss > 1 or Cvss > 2 or Cvss > 3', or(or(A, B), C)],
    ['Cvss > 1 or Cvss > 2 or Cvss > 3 or Cvss > 4', or(or(or(A, B), C), D)],
  ])('should associate to the left: %s', (source, ast) => {
    expect(parseStrategyExpression(source)).toEqual(ast);
  });

  it.each<[string, Expr]>([
    ['(Cvss > 1 or Cvss > 2) and Cvss > 3', and(or(A, B), C)],
    ['Cvss > 1 and (Cvss > 2 and Cvss > 3)', and(A, and(B, C))],
    ['not (Cvss > 1 or Cvss > 2)', not(or(A, B))],
    ['(((Cvss > 1)))', A],
    ['((Cvss > 1) or (Cvss > 2))', or(A, B)],
    ['not (not (Cvss > 1))', not(not(A))],
  ])('should let parentheses override precedence: %s', (source, ast) => {
    expect(parseStrategyExpression(source)).toEqual(ast);
  });

  it('should take whitespace and newlines anywhere, and none around operators and parentheses', () => {
    const expected = and(or(A, B), inList('Endpoint.Profile', ['x', 'y']));
    expect(parseStrategyExpression('(Cvss>1 or Cvss>2)and Endpoint.Profile in("x","y")')).toEqual(expected);
    expect(
      parseStrategyExpression(
        '\n\t ( Cvss\n>\n1\r\n or\tCvss > 2 ) \r\n and\n Endpoint.Profile\nin\n(\n"x"\n,\n"y"\n)\n ',
      ),
    ).toEqual(expected);
  });

  it('should read keywords in any case', () => {
    expect(
      parseStrategyExpression(
        'NOT Cvss > 1 AND Endpoint.Tag IN ("a") Or Defender.KnownExploitExists = TRUE oR ' +
          'Defender.SecurityUpdateAvailable = False and Software.Name CONTAINS "x" aNd Patch.Name NoT iN ("y")',
      ),
    ).toEqual(
      or(
        or(and(not(A), inList('Endpoint.Tag', ['a'])), cmp('Defender.KnownExploitExists', '=', true)),
        and(
          and(cmp('Defender.SecurityUpdateAvailable', '=', false), has('Software.Name', 'x')),
          not(inList('Patch.Name', ['y'])),
        ),
      ),
    );
  });

  it('should match field names in any case and keep the catalogue spelling', () => {
    expect(parseStrategyExpression('defender.severitylevel = "high"')).toEqual(
      cmp('Defender.SeverityLevel', '=', 'High'),
    );
    expect(parseStrategyExpression('CVSS >= 7')).toEqual(cmp('Cvss', '>=', 7));
    expect(parseStrategyExpression('eNdPoInT.rIsKlEvEl < "MEDIUM"')).toEqual(
      cmp('Endpoint.RiskLevel', '<', 'Medium'),
    );
  });

  it('should read "not in" as not around in', () => {
    expect(parseStrategyExpression('Software.Vendor not in ("microsoft", "google")')).toEqual(
      not(inList('Software.Vendor', ['microsoft', 'google'])),
    );
    expect(parseStrategyExpression('not Software.Vendor in ("microsoft")')).toEqual(
      parseStrategyExpression('Software.Vendor not in ("microsoft")'),
    );
    expect(parseStrategyExpression('Cvss > 1 and Endpoint.Tag not in ("a") or Cvss > 2')).toEqual(
      or(and(A, not(inList('Endpoint.Tag', ['a']))), B),
    );
  });
});

describe('parseStrategyExpression: values', () => {
  it.each<[string, string]>([
    ['"plain"', 'plain'],
    ["'single'", 'single'],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'it\\'s'", "it's"],
    ['"it\'s"', "it's"],
    ['\'say "hi"\'', 'say "hi"'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"\\\\"', '\\'],
    ['"\\\'"', "'"],
    ['""', ''],
    ['"two\nlines"', 'two\nlines'],
    ['"Ünïcödé ✓"', 'Ünïcödé ✓'],
    ['"and or not in"', 'and or not in'],
  ])('should read the string %s', (literal, value) => {
    expect(parseStrategyExpression(`Patch.Name = ${literal}`)).toEqual(cmp('Patch.Name', '=', value));
  });

  it.each<[string, number]>([
    ['0', 0],
    ['7', 7],
    ['-2', -2],
    ['7.5', 7.5],
    ['-0.25', -0.25],
    ['007', 7],
    ['10.50', 10.5],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['0.0000001', 1e-7],
  ])('should read the number %s', (literal, value) => {
    expect(parseStrategyExpression(`Cvss = ${literal}`)).toEqual(cmp('Cvss', '=', value));
  });

  it('should read -0 as 0, so equal expressions have equal trees', () => {
    const value = (parseStrategyExpression('Cvss = -0') as { value: number }).value;
    expect(Object.is(value, 0)).toBe(true);
  });

  it('should tell a negative number from a comparison without spaces', () => {
    expect(parseStrategyExpression('Cvss>-1')).toEqual(cmp('Cvss', '>', -1));
    expect(parseStrategyExpression('Cvss<=-1.5')).toEqual(cmp('Cvss', '<=', -1.5));
  });

  it('should read booleans in any case', () => {
    expect(parseStrategyExpression('Defender.KnownExploitExists = FALSE')).toEqual(
      cmp('Defender.KnownExploitExists', '=', false),
    );
    expect(parseStrategyExpression('Defender.SecurityUpdateAvailable != True')).toEqual(
      cmp('Defender.SecurityUpdateAvailable', '!=', true),
    );
  });

  it('should spell level values the way the catalogue does', () => {
    expect(
      parseStrategyExpression("Defender.ExploitabilityLevel in ('exploitisinkit', 'NOEXPLOIT')"),
    ).toEqual(inList('Defender.ExploitabilityLevel', ['ExploitIsInKit', 'NoExploit']));
  });

  it('should keep string values as written (comparison ignores case, the tree does not)', () => {
    expect(parseStrategyExpression('Software.Vendor = "MicroSoft"')).toEqual(
      cmp('Software.Vendor', '=', 'MicroSoft'),
    );
  });
});

describe('parseStrategyExpression: operators per field type', () => {
  const comparisons: ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];

  it.each(comparisons)('should take %s on numbers and levels', (op) => {
    expect(parseStrategyExpression(`Patch.CveCount ${op} 3`)).toEqual(cmp('Patch.CveCount', op, 3));
    expect(parseStrategyExpression(`Endpoint.RiskLevel ${op} "high"`)).toEqual(
      cmp('Endpoint.RiskLevel', op, 'High'),
    );
  });

  it.each(['=', '!='] as const)('should take %s on strings and booleans', (op) => {
    expect(parseStrategyExpression(`Endpoint.DeviceGroup ${op} "Servers"`)).toEqual(
      cmp('Endpoint.DeviceGroup', op, 'Servers'),
    );
    expect(parseStrategyExpression(`Defender.KnownExploitExists ${op} true`)).toEqual(
      cmp('Defender.KnownExploitExists', op, true),
    );
  });

  it('should take in and not in on strings, numbers and levels', () => {
    expect(parseStrategyExpression('Endpoint.Name in ("a", "b")')).toEqual(
      inList('Endpoint.Name', ['a', 'b']),
    );
    expect(parseStrategyExpression('Patch.EndpointCount in (1, 2.5, -3)')).toEqual(
      inList('Patch.EndpointCount', [1, 2.5, -3]),
    );
    expect(parseStrategyExpression('Defender.SeverityLevel not in ("low")')).toEqual(
      not(inList('Defender.SeverityLevel', ['Low'])),
    );
  });

  it('should take contains on strings, multi-valued ones too', () => {
    expect(parseStrategyExpression('Software.Vendor contains "soft"')).toEqual(
      has('Software.Vendor', 'soft'),
    );
    expect(parseStrategyExpression("Endpoint.Profile contains 'prod'")).toEqual(
      has('Endpoint.Profile', 'prod'),
    );
  });

  it.each<[string, string, string]>([
    ['Cvss contains "7"', 'contains', '=, !=, <, <=, >, >=, in or not in'],
    ['Defender.SeverityLevel contains "H"', 'contains', '=, !=, <, <=, >, >=, in or not in'],
    ['Defender.KnownExploitExists contains "t"', 'contains', '= or !='],
    ['Defender.KnownExploitExists < true', '<', '= or !='],
    ['Defender.KnownExploitExists >= true', '>=', '= or !='],
    ['Defender.KnownExploitExists in (true)', 'in', '= or !='],
    ['Defender.KnownExploitExists not in (true)', 'not in', '= or !='],
    ['Software.Vendor < "m"', '<', '=, !=, in, not in or contains'],
    ['Software.Vendor >= "m"', '>=', '=, !=, in, not in or contains'],
    ['Endpoint.Tag > "m"', '>', '=, !=, in, not in or contains'],
  ])('should refuse %s', (source, op, allowed) => {
    const error = errorOf(source);
    expect(error.found).toBe(op);
    expect(error.expected).toBe(allowed);
    expect(error.message).toContain(`"${op}" does not apply to it (use ${allowed}).`);
  });

  it('should agree with the published operator table', () => {
    expect(strategyOperators).toEqual({
      string: ['=', '!=', 'in', 'not in', 'contains'],
      number: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in'],
      level: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in'],
      boolean: ['=', '!='],
    });
  });
});

describe('parseStrategyExpression: errors', () => {
  it.each<[string, number, number, string, string, string]>([
    [
      'Defender.KnownExploitExists =',
      1,
      30,
      'a value',
      'end of expression',
      'Line 1, column 30: expected a value after "=", found end of expression.',
    ],
    [
      'Defender.Severity = "High"',
      1,
      1,
      'a field name',
      'Defender.Severity',
      'Line 1, column 1: unknown field "Defender.Severity"; did you mean "Defender.SeverityLevel"?',
    ],
    [
      'Defender.SeverityLevel = "Urgent"',
      1,
      26,
      'one of Low, Medium, High, Critical',
      '"Urgent"',
      'Line 1, column 26: Defender.SeverityLevel is a level (Low, Medium, High, Critical); "Urgent" is not one of them.',
    ],
    [
      "Endpoint.RiskLevel in ('None', 'Severe')",
      1,
      32,
      'one of None, Low, Medium, High, Critical',
      "'Severe'",
      'Line 1, column 32: Endpoint.RiskLevel is a level (None, Low, Medium, High, Critical); "Severe" is not one of them.',
    ],
    [
      'Software.Vendor = "micro',
      1,
      19,
      'a closing "',
      'end of expression',
      'Line 1, column 19: unterminated string: expected a closing ", found end of expression.',
    ],
    [
      "Software.Vendor = 'it\\'s",
      1,
      19,
      "a closing '",
      'end of expression',
      "Line 1, column 19: unterminated string: expected a closing ', found end of expression.",
    ],
    [
      'Patch.Name = "a\\',
      1,
      14,
      'a closing "',
      'end of expression',
      'Line 1, column 14: unterminated string: expected a closing ", found end of expression.',
    ],
    [
      'Patch.Name = "a\\nb"',
      1,
      16,
      '\\", \\\' or \\\\',
      '\\n',
      'Line 1, column 16: expected \\", \\\' or \\\\ after a backslash in a string, found \\n.',
    ],
    [
      '',
      1,
      1,
      'a field name',
      'end of expression',
      'Line 1, column 1: the expression is empty: expected a field name, found end of expression.',
    ],
    [
      'Endpoint.Profile in ()',
      1,
      22,
      'a value',
      ')',
      'Line 1, column 22: the list after "in" is empty: expected a value, found ")".',
    ],
    [
      'Cvss > 5 Cvss < 3',
      1,
      10,
      '"and", "or" or end of expression',
      'Cvss',
      'Line 1, column 10: expected "and", "or" or end of expression, found "Cvss".',
    ],
    [
      'Cvss > 5)',
      1,
      9,
      '"and", "or" or end of expression',
      ')',
      'Line 1, column 9: expected "and", "or" or end of expression, found ")". There is no "(" to match it.',
    ],
    [
      '(Cvss > 5 and Cvss < 7',
      1,
      23,
      '"and", "or" or ")"',
      'end of expression',
      'Line 1, column 23: expected "and", "or" or ")" to close the "(" at line 1, column 1, found end of expression.',
    ],
    [
      'Cvss > 5 & Cvss < 9',
      1,
      10,
      '"and", "or" or end of expression',
      '&',
      'Line 1, column 10: expected "and", "or" or end of expression, found "&". Write "and" instead of "&".',
    ],
    [
      'Cvss > 5 || Cvss < 9',
      1,
      10,
      '"and", "or" or end of expression',
      '||',
      'Line 1, column 10: expected "and", "or" or end of expression, found "||". Write "or" instead of "||".',
    ],
    [
      'Cvss == 5',
      1,
      6,
      'an operator (=, !=, <, <=, >, >=, in or not in)',
      '==',
      'Line 1, column 6: expected an operator (=, !=, <, <=, >, >=, in or not in) after Cvss, found "==". Write "=" instead of "==".',
    ],
    [
      'Software.Vendor <> "x"',
      1,
      17,
      'an operator (=, !=, in, not in or contains)',
      '<>',
      'Line 1, column 17: expected an operator (=, !=, in, not in or contains) after Software.Vendor, found "<>". Write "!=" instead of "<>".',
    ],
    [
      '!Defender.KnownExploitExists = true',
      1,
      1,
      'a field name',
      '!',
      'Line 1, column 1: expected a field name, found "!". Write "not" or "!=" instead of "!".',
    ],
    [
      'Cvss @ 5',
      1,
      6,
      'an operator (=, !=, <, <=, >, >=, in or not in)',
      '@',
      'Line 1, column 6: expected an operator (=, !=, <, <=, >, >=, in or not in) after Cvss, found "@".',
    ],
    [
      'Software.Vendor = “Microsoft”',
      1,
      19,
      'a value',
      '“',
      `Line 1, column 19: expected a value after "=", found "“". Write text between straight quotes (" or ').`,
    ],
    [
      'Cvss',
      1,
      5,
      'an operator (=, !=, <, <=, >, >=, in or not in)',
      'end of expression',
      'Line 1, column 5: expected an operator (=, !=, <, <=, >, >=, in or not in) after Cvss, found end of expression.',
    ],
    [
      'Defender.KnownExploitExists and Cvss > 5',
      1,
      29,
      'an operator (= or !=)',
      'and',
      'Line 1, column 29: expected an operator (= or !=) after Defender.KnownExploitExists, found "and". ' +
        'Write "Defender.KnownExploitExists = true" to test a boolean field.',
    ],
    [
      'Cvss > 5 and',
      1,
      13,
      'a field name',
      'end of expression',
      'Line 1, column 13: expected a field name after "and", found end of expression.',
    ],
    [
      'Cvss > 5 or )',
      1,
      13,
      'a field name',
      ')',
      'Line 1, column 13: expected a field name after "or", found ")".',
    ],
    [
      'not',
      1,
      4,
      'a field name',
      'end of expression',
      'Line 1, column 4: expected a field name after "not", found end of expression.',
    ],
    ['()', 1, 2, 'a field name', ')', 'Line 1, column 2: expected a field name after "(", found ")".'],
    [
      '"Critical" = Defender.SeverityLevel',
      1,
      1,
      'a field name',
      '"Critical"',
      'Line 1, column 1: expected a field name, found "Critical".',
    ],
    [
      'Endpoint.Profile not = "x"',
      1,
      22,
      '"in"',
      '=',
      'Line 1, column 22: expected "in" after "not", found "=".',
    ],
    [
      'Endpoint.Profile in "x"',
      1,
      21,
      '"("',
      '"x"',
      'Line 1, column 21: expected "(" after "in", found "x".',
    ],
    [
      'Endpoint.Profile in ("a" "b")',
      1,
      26,
      '"," or ")"',
      '"b"',
      'Line 1, column 26: expected "," or ")" in the list, found "b".',
    ],
    [
      'Endpoint.Profile in ("a",)',
      1,
      26,
      'a value',
      ')',
      'Line 1, column 26: expected a value after ",", found ")".',
    ],
    [
      'Endpoint.Profile in ("a"',
      1,
      25,
      '"," or ")"',
      'end of expression',
      'Line 1, column 25: expected "," or ")" in the list, found end of expression.',
    ],
    [
      'Cvss = "high"',
      1,
      8,
      'a number',
      '"high"',
      'Line 1, column 8: Cvss is a number; expected a number, found "high".',
    ],
    [
      'Cvss in (5, "x")',
      1,
      13,
      'a number',
      '"x"',
      'Line 1, column 13: Cvss is a number; expected a number, found "x".',
    ],
    [
      'Cvss = true',
      1,
      8,
      'a number',
      'true',
      'Line 1, column 8: Cvss is a number; expected a number, found true.',
    ],
    [
      'Defender.KnownExploitExists = "true"',
      1,
      31,
      'true or false',
      '"true"',
      'Line 1, column 31: Defender.KnownExploitExists is a boolean; expected true or false, found "true".',
    ],
    [
      'Defender.KnownExploitExists != 1',
      1,
      32,
      'true or false',
      '1',
      'Line 1, column 32: Defender.KnownExploitExists is a boolean; expected true or false, found 1.',
    ],
    [
      'Software.Vendor = 5',
      1,
      19,
      'a string in quotes',
      '5',
      'Line 1, column 19: Software.Vendor is a string; expected a string in quotes, found 5.',
    ],
    [
      'Software.Name contains false',
      1,
      24,
      'a string in quotes',
      'false',
      'Line 1, column 24: Software.Name is a string; expected a string in quotes, found false.',
    ],
    [
      'Defender.SeverityLevel > 4',
      1,
      26,
      'one of Low, Medium, High, Critical',
      '4',
      'Line 1, column 26: Defender.SeverityLevel is a level (Low, Medium, High, Critical); expected one of them in quotes, found 4.',
    ],
    [
      'Patch.Name = KB5031356',
      1,
      14,
      'a value',
      'KB5031356',
      'Line 1, column 14: expected a value after "=", found "KB5031356". Text goes in quotes: "KB5031356".',
    ],
    [
      'Defender.SeverityLevel = High',
      1,
      26,
      'a value',
      'High',
      'Line 1, column 26: expected a value after "=", found "High". Text goes in quotes: "High".',
    ],
    ['Cvss > high', 1, 8, 'a value', 'high', 'Line 1, column 8: expected a value after ">", found "high".'],
    [
      'Cvss > 1.',
      1,
      8,
      'a number',
      '1.',
      'Line 1, column 8: "1." is not a number; write numbers like 7, -2 or 7.5.',
    ],
    [
      'Cvss > 1e3',
      1,
      8,
      'a number',
      '1e3',
      'Line 1, column 8: "1e3" is not a number; write numbers like 7, -2 or 7.5.',
    ],
    [
      'Cvss > 5and Cvss < 9',
      1,
      8,
      'a number',
      '5and',
      'Line 1, column 8: "5and" is not a number; write numbers like 7, -2 or 7.5.',
    ],
    ['Cvss > .5', 1, 8, 'a value', '.', 'Line 1, column 8: expected a value after ">", found ".".'],
    ['Cvss > - 5', 1, 8, 'a value', '-', 'Line 1, column 8: expected a value after ">", found "-".'],
  ])('should refuse %j', (source, line, column, expected, found, message) => {
    expect(problemOf(source)).toEqual({ line, column, expected, found, message });
  });

  it('should report the first error from the left, even when a later token cannot be read', () => {
    expect(problemOf('Cvss >> 5 and Patch.Name = "unterminated').column).toBe(7);
    expect(problemOf('Cvss > 5 and Foo = "x" and Patch.Name = "a\\q"').message).toMatch(
      /^Line 1, column 14: unknown field "Foo"/,
    );
  });

  it('should point at the last position of whitespace-only input', () => {
    expect(problemOf('  \n   ')).toMatchObject({ line: 2, column: 4, found: 'end of expression' });
    expect(problemOf('  \n   ').message).toMatch(/the expression is empty/);
  });

  it('should count lines and columns across \\n, \\r\\n and \\r', () => {
    expect(problemOf('Defender.SeverityLevel in ("Critical", "High")\n  and Cvss >')).toMatchObject({
      line: 2,
      column: 13,
      expected: 'a value',
    });
    expect(problemOf('Cvss > 5\r\nand\r\n  Software.Vendr = "x"')).toEqual({
      line: 3,
      column: 3,
      expected: 'a field name',
      found: 'Software.Vendr',
      message: 'Line 3, column 3: unknown field "Software.Vendr"; did you mean "Software.Vendor"?',
    });
    // A tab is one column, like any other character.
    expect(problemOf('Cvss > 5\rand\r\r\tCvss <')).toMatchObject({ line: 4, column: 8 });
    expect(problemOf('(\n  Cvss > 5\n  or Cvss < 2\n')).toMatchObject({
      line: 4,
      column: 1,
      message:
        'Line 4, column 1: expected "and", "or" or ")" to close the "(" at line 1, column 1, found end of expression.',
    });
  });

  it('should count a string that spans lines, and point at the start of an unterminated one', () => {
    expect(problemOf('Patch.Name = "a\nb" and Cvss >')).toMatchObject({ line: 2, column: 14 });
    expect(problemOf('Cvss > 5 and\n  Patch.Name = "a\nb and Cvss > 1')).toMatchObject({
      line: 2,
      column: 16,
      expected: 'a closing "',
    });
    expect(problemOf('Patch.Name = "a\n\\q"')).toMatchObject({ line: 2, column: 1, found: '\\q' });
  });

  it('should shorten very long tokens in what it reports', () => {
    const long = 'x'.repeat(500);
    const error = errorOf(`Cvss > 5 ${long}`);
    expect(error.found).toBe(`${'x'.repeat(40)}…`);
    expect(error.message.length).toBeLessThan(200);
  });

  it('should be a HubError with a stable code, and validate should hand back the same facts', () => {
    const error = errorOf('Cvss >');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(HubError);
    expect(error.name).toBe('StrategyExpressionError');
    expect(error.code).toBe('INVALID_STRATEGY_EXPRESSION');
    expect(error.details).toEqual({ line: 1, column: 7, expected: 'a value', found: 'end of expression' });
    expect(validateStrategyExpression('Cvss >')).toEqual({
      ok: false,
      error: {
        line: 1,
        column: 7,
        expected: 'a value',
        found: 'end of expression',
        message: 'Line 1, column 7: expected a value after ">", found end of expression.',
      },
    });
    expect(validateStrategyExpression('cvss > 7')).toEqual({ ok: true, expression: cmp('Cvss', '>', 7) });
  });
});

describe('parseStrategyExpression: unknown fields', () => {
  it.each<[string, string]>([
    ['Severity', '; did you mean "Defender.SeverityLevel"?'],
    ['Cvs', '; did you mean "Cvss"?'],
    ['Endpoint.Profiles', '; did you mean "Endpoint.Profile"?'],
    ['endpoint.tags', '; did you mean "Endpoint.Tag"?'],
    ['Vendor', '; did you mean "Software.Vendor"?'],
    [
      'Defender.',
      '; did you mean "Defender.SeverityLevel", "Defender.NetworkAccessible" or "Defender.KnownExploitExists"?',
    ],
    ['name', '; did you mean "Patch.Name", "Software.Name" or "Endpoint.Name"?'],
    [
      'Level',
      '; did you mean "Endpoint.RiskLevel", "Defender.SeverityLevel" or "Defender.ExploitabilityLevel"?',
    ],
    ['Software', '; did you mean "Software.Name" or "Software.Vendor"?'],
    ['Défender.SeverityLevel', '; did you mean "Defender.SeverityLevel"?'],
  ])('should suggest the closest fields for %s', (name, suggestion) => {
    expect(errorOf(`${name} = 1`).message).toBe(`Line 1, column 1: unknown field "${name}"${suggestion}`);
  });

  it('should list every field when none is close', () => {
    expect(errorOf('Foo = 1').message).toBe(
      'Line 1, column 1: unknown field "Foo"; the fields are Defender.SeverityLevel, Defender.ExploitabilityLevel, ' +
        'Defender.KnownExploitExists, Defender.SecurityUpdateAvailable, Defender.NetworkAccessible, Software.Vendor, ' +
        'Software.Name, Cvss, ' +
        'Patch.Name, Patch.CveCount, Patch.EndpointCount, Endpoint.Profile, Endpoint.DeviceGroup, Endpoint.Name, ' +
        'Endpoint.RiskLevel and Endpoint.Tag.',
    );
  });

  it('should not treat a keyword that starts a dotted name as a keyword', () => {
    expect(errorOf('and.x = 1').message).toMatch(/^Line 1, column 1: unknown field "and.x"/);
  });

  it('should stay quick on a huge unknown name', () => {
    const started = Date.now();
    expect(errorOf(`${'a'.repeat(9_000)} = 1`).found).toBe(`${'a'.repeat(40)}…`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('parseStrategyExpression: limits on hostile input', () => {
  const { maxLength, maxDepth, maxConditions } = strategyExpressionLimits;

  it('should publish its limits', () => {
    expect(strategyExpressionLimits).toEqual({ maxLength: 10_000, maxDepth: 100, maxConditions: 256 });
  });

  it('should take an expression of exactly the maximum length', () => {
    expect(parseStrategyExpression('Cvss > 5'.padEnd(maxLength, ' '))).toEqual(cmp('Cvss', '>', 5));
  });

  it('should refuse one character more, pointing at it, before reading anything', () => {
    expect(problemOf('Cvss > 5'.padEnd(maxLength + 1, ' '))).toEqual({
      line: 1,
      column: 10_001,
      expected: 'at most 10,000 characters',
      found: '10,001 characters',
      message: 'Line 1, column 10001: the expression is 10,001 characters long; the limit is 10,000.',
    });
    // Eight characters, then 9,993 newlines: the 10,001st character is the last newline, on line 9,993.
    expect(problemOf(`Cvss > 5${'\n'.repeat(9_993)}`)).toMatchObject({ line: 9_993, column: 1 });
    expect(problemOf('@'.repeat(1_000_000)).found).toBe('1,000,000 characters');
  });

  it('should take parentheses and not nested to the limit', () => {
    expect(parseStrategyExpression(`${'('.repeat(maxDepth)}Cvss > 1${')'.repeat(maxDepth)}`)).toEqual(A);
    let expected = A;
    for (let i = 0; i < maxDepth; i++) expected = not(expected);
    expect(parseStrategyExpression(`${'not '.repeat(maxDepth)}Cvss > 1`)).toEqual(expected);
    expect(() =>
      parseStrategyExpression(`${'not ('.repeat(maxDepth / 2)}Cvss > 1${')'.repeat(maxDepth / 2)}`),
    ).not.toThrow();
  });

  it('should refuse one level deeper, at the token that opens it', () => {
    const message = 'the expression nests more than 100 levels deep (parentheses and "not"); simplify it.';
    expect(problemOf(`${'('.repeat(maxDepth + 1)}Cvss > 1${')'.repeat(maxDepth + 1)}`)).toEqual({
      line: 1,
      column: 101,
      expected: 'at most 100 levels of nesting',
      found: '(',
      message: `Line 1, column 101: ${message}`,
    });
    expect(problemOf(`${'not '.repeat(maxDepth + 1)}Cvss > 1`)).toMatchObject({ column: 401, found: 'not' });
    expect(problemOf(`${'not ('.repeat(maxDepth / 2)}not Cvss > 1`)).toMatchObject({
      column: 251,
      found: 'not',
    });
  });

  it('should refuse deep nesting long before the stack would overflow', () => {
    expect(problemOf('('.repeat(maxLength)).column).toBe(maxDepth + 1);
    expect(problemOf('not '.repeat(maxLength / 4)).column).toBe(maxDepth * 4 + 1);
  });

  it('should take up to the maximum number of conditions and refuse one more', () => {
    const terms = (n: number): string => Array.from({ length: n }, () => 'Cvss > 1').join(' or ');
    expect(() => parseStrategyExpression(terms(maxConditions))).not.toThrow();
    // Each term and its " or " take 12 characters; the 257th starts after 256 of them.
    expect(problemOf(terms(maxConditions + 1))).toEqual({
      line: 1,
      column: 256 * 12 + 1,
      expected: 'at most 256 conditions',
      found: 'Cvss',
      message: `Line 1, column ${256 * 12 + 1}: the expression has more than 256 conditions; combine values with "in" instead.`,
    });
  });

  it('should refuse a number too large to hold', () => {
    const huge = `1${'0'.repeat(400)}`;
    expect(problemOf(`Cvss > ${huge}`)).toEqual({
      line: 1,
      column: 8,
      expected: 'a number',
      found: `${huge.slice(0, 40)}…`,
      message: 'Line 1, column 8: this number is too large.',
    });
  });
});

describe('formatStrategyExpression', () => {
  it.each<[string, string]>([
    [
      'defender.severitylevel IN ( "critical" ,"HIGH" )AND defender.knownexploitexists=TRUE',
      'Defender.SeverityLevel in ("Critical", "High") and Defender.KnownExploitExists = true',
    ],
    ['Cvss > 1 or Cvss > 2 and Cvss > 3', 'Cvss > 1 or Cvss > 2 and Cvss > 3'],
    ['(Cvss > 1 or Cvss > 2) and Cvss > 3', '(Cvss > 1 or Cvss > 2) and Cvss > 3'],
    ['Cvss > 1 and (Cvss > 2 and Cvss > 3)', 'Cvss > 1 and (Cvss > 2 and Cvss > 3)'],
    ['Cvss > 1 or (Cvss > 2 or Cvss > 3)', 'Cvss > 1 or (Cvss > 2 or Cvss > 3)'],
    ['((Cvss > 1 and Cvss > 2)) and Cvss > 3', 'Cvss > 1 and Cvss > 2 and Cvss > 3'],
    ['not Cvss > 1', 'not (Cvss > 1)'],
    ['not not Cvss > 1', 'not not (Cvss > 1)'],
    ['not (Cvss > 1 and Cvss > 2)', 'not (Cvss > 1 and Cvss > 2)'],
    ['not Endpoint.Tag in ("a")', 'Endpoint.Tag not in ("a")'],
    ['not (Endpoint.Tag not in ("a"))', 'not Endpoint.Tag not in ("a")'],
    ["Patch.Name = 'say \"hi\" to \\'it\\'s\\' \\\\'", 'Patch.Name = "say \\"hi\\" to \'it\'s\' \\\\"'],
    ['Software.Name contains "chrome"', 'Software.Name contains "chrome"'],
    ['Cvss >= -0.50', 'Cvss >= -0.5'],
    ['Cvss = 0.0000001', 'Cvss = 0.0000001'],
    ['Cvss = 1000000000000000000000000', 'Cvss = 1000000000000000000000000'],
    ['Cvss = -0', 'Cvss = 0'],
  ])('should write %j as %j', (source, canonical) => {
    expect(formatStrategyExpression(parseStrategyExpression(source))).toBe(canonical);
  });

  it('should write numbers in full rather than in exponent notation, which the language does not read', () => {
    expect(formatStrategyExpression(cmp('Cvss', '=', 1.5e-10))).toBe('Cvss = 0.00000000015');
    expect(formatStrategyExpression(cmp('Cvss', '=', -2.5e22))).toBe('Cvss = -25000000000000000000000');
    expect(formatStrategyExpression(cmp('Cvss', '=', Number.MAX_VALUE))).toMatch(
      /^Cvss = 179769313486231570+$/,
    );
  });

  it('should write a string with a newline so that it reads back', () => {
    const expr = cmp('Patch.Name', '=', 'a\nb"c\\');
    expect(parseStrategyExpression(formatStrategyExpression(expr))).toEqual(expr);
  });

  it('should round-trip a thousand random expressions', () => {
    const random = seeded(42);
    for (let i = 0; i < 1_000; i++) {
      const expr = randomExpression(random, 4);
      const text = formatStrategyExpression(expr);
      expect(parseStrategyExpression(text), text).toEqual(expr);
      expect(formatStrategyExpression(parseStrategyExpression(text))).toBe(text);
    }
  });
});

describe('evaluateStrategy', () => {
  const baseRow: StrategyRow = {
    patch: {
      severityLevel: 'High',
      exploitabilityLevel: 'ExploitIsPublic',
      knownExploitExists: true,
      securityUpdateAvailable: false,
      networkAccessible: true,
      vendor: 'Microsoft',
      software: 'Edge',
      cvss: 7.5,
      name: 'KB5031356',
      cveCount: 3,
      endpointCount: 12,
    },
    endpoint: {
      profiles: ['Servers', 'Prod-EU'],
      deviceGroup: 'Datacenter',
      name: 'web-01.contoso.com',
      riskLevel: 'Medium',
      tags: ['pci', 'Tier0'],
    },
  };

  function row(
    patch: Partial<StrategyRow['patch']> = {},
    endpoint: Partial<StrategyRow['endpoint']> = {},
  ): StrategyRow {
    return { patch: { ...baseRow.patch, ...patch }, endpoint: { ...baseRow.endpoint, ...endpoint } };
  }

  const holds = (source: string, on: StrategyRow = baseRow): boolean =>
    evaluateStrategy(parseStrategyExpression(source), on);

  it.each<[string, boolean]>([
    ['Cvss = 7.5', true],
    ['Cvss != 7.5', false],
    ['Cvss < 7.5', false],
    ['Cvss <= 7.5', true],
    ['Cvss > 7', true],
    ['Cvss >= 7.6', false],
    ['Cvss in (1, 7.5)', true],
    ['Cvss not in (1, 2)', true],
    ['Patch.CveCount = 3 and Patch.EndpointCount > 10', true],
    ['Patch.EndpointCount in (11, 13)', false],
  ])('should compare numbers: %s is %s', (source, expected) => {
    expect(holds(source)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['Defender.SeverityLevel = "high"', true],
    ['Defender.SeverityLevel != "High"', false],
    ['Defender.SeverityLevel > "Medium"', true],
    ['Defender.SeverityLevel >= "High"', true],
    ['Defender.SeverityLevel < "Critical"', true],
    ['Defender.SeverityLevel <= "Medium"', false],
    ['Defender.SeverityLevel in ("Critical", "High")', true],
    ['Defender.ExploitabilityLevel >= "ExploitIsVerified"', false],
    ['Defender.ExploitabilityLevel > "NoExploit"', true],
    ['Endpoint.RiskLevel < "High"', true],
    ['Endpoint.RiskLevel > "None"', true],
  ])('should compare levels by their order: %s is %s', (source, expected) => {
    expect(holds(source)).toBe(expected);
  });

  it('should read level values from the row in any case', () => {
    expect(holds('Defender.SeverityLevel = "Critical"', row({ severityLevel: 'CRITICAL' }))).toBe(true);
    expect(holds('Endpoint.RiskLevel >= "Low"', row({}, { riskLevel: 'low' }))).toBe(true);
  });

  it.each<[string, boolean]>([
    ['Defender.KnownExploitExists = true', true],
    ['Defender.KnownExploitExists != true', false],
    ['Defender.SecurityUpdateAvailable = false', true],
    ['Defender.SecurityUpdateAvailable != false', false],
    ['Defender.NetworkAccessible = true', true],
    ['defender.networkaccessible = FALSE', false],
    ['not (Defender.NetworkAccessible = true)', false],
  ])('should compare booleans: %s is %s', (source, expected) => {
    expect(holds(source)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['Software.Vendor = "microsoft"', true],
    ['Software.Vendor = "MICROSOFT"', true],
    ['Software.Vendor != "microsoft"', false],
    ['Software.Vendor != "Google"', true],
    ['Software.Vendor in ("google", "MicroSoft")', true],
    ['Software.Vendor not in ("google", "MicroSoft")', false],
    ['Software.Vendor contains "SOFT"', true],
    ['Software.Vendor contains "soft "', false],
    ['Software.Vendor contains ""', true],
    ['Software.Name = "edge"', true],
    ['Patch.Name contains "kb50"', true],
    ['Endpoint.DeviceGroup = "datacenter"', true],
    ['Endpoint.Name contains ".CONTOSO."', true],
    ['Software.Vendor = "Micro"', false],
  ])('should compare strings ignoring case: %s is %s', (source, expected) => {
    expect(holds(source)).toBe(expected);
  });

  it('should fold only ASCII letters, as both databases can', () => {
    expect(foldStrategyCase('ÉCOLE Ünï ABC')).toBe('École Ünï abc');
    expect(holds('Software.Vendor = "école"', row({ vendor: 'ÉCOLE' }))).toBe(false);
    expect(holds('Software.Vendor = "École"', row({ vendor: 'éCOLE' }))).toBe(false);
    expect(holds('Software.Vendor = "École"', row({ vendor: 'ÉCOLE' }))).toBe(true);
  });

  it.each<[string, boolean]>([
    ['Endpoint.Profile = "servers"', true],
    ['Endpoint.Profile = "prod-eu"', true],
    ['Endpoint.Profile = "Workstations"', false],
    ['Endpoint.Profile != "servers"', false],
    ['Endpoint.Profile != "Workstations"', true],
    ['Endpoint.Profile in ("Workstations", "PROD-EU")', true],
    ['Endpoint.Profile in ("Workstations", "Lab")', false],
    ['Endpoint.Profile not in ("Workstations", "PROD-EU")', false],
    ['Endpoint.Profile not in ("Workstations", "Lab")', true],
    ['Endpoint.Profile contains "prod"', true],
    ['Endpoint.Profile contains "lab"', false],
    ['Endpoint.Tag = "TIER0"', true],
    ['Endpoint.Tag != "pci"', false],
    ['Endpoint.Tag contains "ier"', true],
    // "Some profile is not Servers" is not what != means: Prod-EU is not Servers, yet one profile is.
    ['not Endpoint.Profile = "Servers"', false],
  ])("should match any of an endpoint's profiles and tags: %s is %s", (source, expected) => {
    expect(holds(source)).toBe(expected);
  });

  it('should treat an endpoint with no profiles or tags as matching none', () => {
    const bare = row({}, { profiles: [], tags: [] });
    expect(holds('Endpoint.Profile = "Servers"', bare)).toBe(false);
    expect(holds('Endpoint.Profile in ("Servers")', bare)).toBe(false);
    expect(holds('Endpoint.Profile contains ""', bare)).toBe(false);
    expect(holds('Endpoint.Profile != "Servers"', bare)).toBe(true);
    expect(holds('Endpoint.Tag not in ("pci")', bare)).toBe(true);
  });

  describe('null values', () => {
    const nulls = row(
      { severityLevel: null, exploitabilityLevel: null, vendor: null, software: null, cvss: null },
      { deviceGroup: null, name: null },
    );
    const conditions = [
      'Defender.SeverityLevel = "High"',
      'Defender.SeverityLevel != "High"',
      'Defender.SeverityLevel < "High"',
      'Defender.SeverityLevel in ("High")',
      'Defender.ExploitabilityLevel >= "NoExploit"',
      'Software.Vendor = "x"',
      'Software.Vendor != "x"',
      'Software.Vendor in ("x")',
      'Software.Vendor contains ""',
      'Software.Name != ""',
      'Cvss = 0',
      'Cvss != 0',
      'Cvss < 10',
      'Cvss >= 0',
      'Cvss in (0)',
      'Endpoint.DeviceGroup != "x"',
      'Endpoint.Name contains "a"',
    ];

    it.each(conditions)('should make %s false on a null value', (source) => {
      expect(holds(source, nulls)).toBe(false);
    });

    it.each(conditions)(
      'should make not (%s) true on a null value: not negates the two-valued result',
      (source) => {
        expect(holds(`not (${source})`, nulls)).toBe(true);
      },
    );

    it('should therefore tell x != v from not (x = v), and x not in from nothing in', () => {
      expect(holds('Cvss != 5', nulls)).toBe(false);
      expect(holds('not (Cvss = 5)', nulls)).toBe(true);
      expect(holds('Cvss not in (5)', nulls)).toBe(true);
    });

    it('should treat a level value outside the order like null', () => {
      const odd = row(
        { severityLevel: 'Informational', exploitabilityLevel: '' },
        { riskLevel: 'Informational' },
      );
      expect(holds('Defender.SeverityLevel < "Critical"', odd)).toBe(false);
      expect(holds('Defender.SeverityLevel != "Critical"', odd)).toBe(false);
      expect(holds('Defender.ExploitabilityLevel = "NoExploit"', odd)).toBe(false);
      expect(holds('Endpoint.RiskLevel >= "None"', odd)).toBe(false);
      expect(holds('not (Endpoint.RiskLevel >= "None")', odd)).toBe(true);
    });

    it('should treat NaN like null', () => {
      expect(holds('Cvss != 5', row({ cvss: Number.NaN }))).toBe(false);
    });
  });

  it('should combine with and, or and not', () => {
    expect(holds('Cvss > 9 or Software.Vendor = "microsoft" and Endpoint.Tag = "pci"')).toBe(true);
    expect(holds('(Cvss > 9 or Software.Vendor = "microsoft") and Endpoint.Tag = "none"')).toBe(false);
    expect(holds('not (Cvss > 9 or Patch.CveCount = 3)')).toBe(false);
  });

  it('should agree with the laws of two-valued logic on random expressions and rows', () => {
    const random = seeded(7);
    for (let i = 0; i < 2_000; i++) {
      const left = randomExpression(random, 3);
      const right = randomExpression(random, 3);
      const r = randomRow(random);
      const l = evaluateStrategy(left, r);
      const rr = evaluateStrategy(right, r);
      expect(evaluateStrategy(not(left), r)).toBe(!l);
      expect(evaluateStrategy(and(left, right), r)).toBe(l && rr);
      expect(evaluateStrategy(or(left, right), r)).toBe(l || rr);
      // The canonical text means the same thing as the tree it came from.
      expect(evaluateStrategy(parseStrategyExpression(formatStrategyExpression(left)), r)).toBe(l);
    }
  });

  it('should make in the same as a chain of = joined by or, on random rows', () => {
    const random = seeded(11);
    for (let i = 0; i < 2_000; i++) {
      const expr = randomExpression(random, 0);
      if (expr.kind !== 'in') continue;
      const r = randomRow(random);
      const chain = expr.values
        .map((value): Expr => cmp(expr.field, '=', value))
        .reduce((acc, next) => or(acc, next));
      expect(evaluateStrategy(expr, r)).toBe(evaluateStrategy(chain, r));
    }
  });

  it('should make != the same as "known and not =" on single values, and "not =" on multi-valued ones', () => {
    const random = seeded(13);
    for (let i = 0; i < 2_000; i++) {
      const expr = randomExpression(random, 0);
      if (expr.kind !== 'compare' || expr.op !== '=') continue;
      const r = randomRow(random);
      const differs = evaluateStrategy({ ...expr, op: '!=' }, r);
      const equals = evaluateStrategy(expr, r);
      if (strategyFields[expr.field].multiValued) {
        expect(differs).toBe(!equals);
      } else {
        const known = evaluateStrategy(or(expr, { ...expr, op: '!=' }), r);
        expect(differs).toBe(known && !equals);
      }
    }
  });

  it('should refuse a hand-built tree whose value does not fit the field', () => {
    expect(() => evaluateStrategy(cmp('Cvss', '=', 'seven'), baseRow)).toThrow(/Cvss/);
    expect(() => evaluateStrategy(cmp('Defender.SeverityLevel', '=', 'Urgent'), baseRow)).toThrow(
      /Defender\.SeverityLevel/,
    );
    expect(() => evaluateStrategy(cmp('Software.Vendor', '<', 'm'), baseRow)).toThrow(/Software\.Vendor/);
  });
});

describe('residualStrategy', () => {
  const patchHolds = (row: StrategyRow) => (condition: Expr) => evaluateStrategy(condition, row);
  const onEndpoints = (residual: Expr | boolean, row: StrategyRow): boolean =>
    typeof residual === 'boolean' ? residual : evaluateStrategy(residual, row);
  const risky = cmp('Endpoint.RiskLevel', '>=', 'High');
  const severe = cmp('Defender.SeverityLevel', '>=', 'High');
  const rowOf = (severityLevel: string): StrategyRow => {
    const row = randomRow(seeded(3));
    return { ...row, patch: { ...row.patch, severityLevel } };
  };

  it('should keep the endpoint part of an and whose patch part holds, and settle it when that fails', () => {
    expect(residualStrategy(and(severe, risky), patchHolds(rowOf('Critical')))).toEqual(risky);
    expect(residualStrategy(and(risky, severe), patchHolds(rowOf('Low')))).toBe(false);
  });

  it('should settle an or whose patch part holds, and keep the endpoint part when it fails', () => {
    expect(residualStrategy(or(risky, severe), patchHolds(rowOf('Critical')))).toBe(true);
    expect(residualStrategy(or(severe, risky), patchHolds(rowOf('Low')))).toEqual(risky);
  });

  it('should negate a settled not and keep an open one', () => {
    expect(residualStrategy(not(severe), patchHolds(rowOf('Critical')))).toBe(false);
    expect(residualStrategy(not(and(severe, risky)), patchHolds(rowOf('Critical')))).toEqual(not(risky));
    expect(residualStrategy(not(risky), () => true)).toEqual(not(risky));
  });

  it('should leave an expression over endpoint fields alone, and ask nothing of the patch for it', () => {
    const expr = or(risky, not(has('Endpoint.Tag', 'prod')));
    expect(
      residualStrategy(expr, () => {
        throw new Error('asked about a patch condition');
      }),
    ).toEqual(expr);
  });

  it("should give the evaluator's answer on every row, for random expressions", () => {
    const random = seeded(17);
    let settled = 0;
    for (let i = 0; i < 3_000; i++) {
      const expr = randomExpression(random, 3);
      const r = randomRow(random);
      const residual = residualStrategy(expr, patchHolds(r));
      if (typeof residual === 'boolean') settled++;
      expect(onEndpoints(residual, r)).toBe(evaluateStrategy(expr, r));
      // The same patch on another endpoint: the residual still answers for the pair.
      const other = { ...randomRow(random), patch: r.patch };
      expect(onEndpoints(residual, other)).toBe(evaluateStrategy(expr, other));
    }
    expect(settled).toBeGreaterThan(100);
  });
});

describe('holdsWithoutEndpoint', () => {
  const parsed = (source: string): Expr => parseStrategyExpression(source);

  it('should judge every endpoint condition on no value: false, but != on a multi-valued field', () => {
    for (const source of [
      'Endpoint.Tag = "x"',
      'Endpoint.Profile contains ""',
      'Endpoint.Name != "x"',
      'Endpoint.DeviceGroup in ("a", "b")',
      'Endpoint.RiskLevel >= "None"',
      'Endpoint.RiskLevel != "High"',
    ])
      expect(holdsWithoutEndpoint(parsed(source)), source).toBe(false);
    for (const source of [
      'Endpoint.Tag != "x"',
      'Endpoint.Profile != "Windows11"',
      'not Endpoint.Name = "x"',
    ])
      expect(holdsWithoutEndpoint(parsed(source)), source).toBe(true);
    expect(holdsWithoutEndpoint(parsed('Endpoint.Tag = "x" or not Endpoint.RiskLevel = "High"'))).toBe(true);
    expect(holdsWithoutEndpoint(parsed('Endpoint.Tag != "x" and Endpoint.Name contains "a"'))).toBe(false);
  });

  it('should agree with the evaluator on an endpoint that has no profile, tag, group or name', () => {
    const random = seeded(23);
    const bare = randomRow(random);
    const row: StrategyRow = {
      ...bare,
      endpoint: { profiles: [], tags: [], deviceGroup: null, name: null, riskLevel: 'Unknown' },
    };
    for (let i = 0; i < 2_000; i++) {
      const residual = residualStrategy(randomExpression(random, 3), () => true);
      if (typeof residual !== 'boolean')
        expect(holdsWithoutEndpoint(residual)).toBe(evaluateStrategy(residual, row));
    }
  });

  it('should refuse a patch condition: only what residualStrategy leaves is judged', () => {
    expect(() => holdsWithoutEndpoint(parsed('Cvss > 7 or Endpoint.Tag = "x"'))).toThrow(
      /Cvss is a patch field/,
    );
  });
});

describe('patchConditions', () => {
  it('should list each patch condition once by its canonical text, and no endpoint condition', () => {
    const severe = cmp('Defender.SeverityLevel', '>=', 'High');
    const sameAgain = cmp('Defender.SeverityLevel', '>=', 'High');
    const conditions = patchConditions(
      or(and(severe, cmp('Endpoint.RiskLevel', '=', 'High')), not(and(sameAgain, inList('Cvss', [7, 9])))),
    );
    expect([...conditions.keys()]).toEqual(['Defender.SeverityLevel >= "High"', 'Cvss in (7, 9)']);
    expect(patchConditions(cmp('Endpoint.Tag', '=', 'x')).size).toBe(0);
  });
});

describe('namesEndpointField and patchOnlyConjuncts', () => {
  const risky = cmp('Endpoint.RiskLevel', '>=', 'High');

  it('should find an endpoint field at any depth, and none in a strategy over patch fields', () => {
    expect(namesEndpointField(and(A, or(B, not(risky))))).toBe(true);
    expect(namesEndpointField(has('Endpoint.Tag', 'prod'))).toBe(true);
    expect(namesEndpointField(and(A, or(B, not(C))))).toBe(false);
  });

  it('should keep the parts of the top-level and chain that name no endpoint field, in order', () => {
    expect(patchOnlyConjuncts(and(and(A, risky), and(B, or(C, risky))))).toEqual([A, B]);
    expect(patchOnlyConjuncts(or(A, B))).toEqual([or(A, B)]);
    expect(patchOnlyConjuncts(not(and(A, B)))).toEqual([not(and(A, B))]);
    expect(patchOnlyConjuncts(or(A, risky))).toEqual([]);
  });
});

describe('strategyFields and describeStrategyFields', () => {
  it('should list the catalogue in order, spelled canonically', () => {
    expect(strategyFieldNames).toEqual([
      'Defender.SeverityLevel',
      'Defender.ExploitabilityLevel',
      'Defender.KnownExploitExists',
      'Defender.SecurityUpdateAvailable',
      'Defender.NetworkAccessible',
      'Software.Vendor',
      'Software.Name',
      'Cvss',
      'Patch.Name',
      'Patch.CveCount',
      'Patch.EndpointCount',
      'Endpoint.Profile',
      'Endpoint.DeviceGroup',
      'Endpoint.Name',
      'Endpoint.RiskLevel',
      'Endpoint.Tag',
    ]);
    expect(Object.keys(strategyFields)).toEqual(strategyFieldNames);
  });

  it('should order levels from low to high', () => {
    expect(strategyFields['Defender.SeverityLevel'].level).toEqual(['Low', 'Medium', 'High', 'Critical']);
    expect(strategyFields['Defender.ExploitabilityLevel'].level).toEqual([
      'NoExploit',
      'ExploitIsPublic',
      'ExploitIsVerified',
      'ExploitIsInKit',
    ]);
    expect(strategyFields['Endpoint.RiskLevel'].level).toEqual(['None', 'Low', 'Medium', 'High', 'Critical']);
  });

  it('should mark scopes and the multi-valued fields', () => {
    const endpointFields = strategyFieldNames.filter((n) => strategyFields[n].scope === 'endpoint');
    expect(endpointFields).toEqual([
      'Endpoint.Profile',
      'Endpoint.DeviceGroup',
      'Endpoint.Name',
      'Endpoint.RiskLevel',
      'Endpoint.Tag',
    ]);
    expect(strategyFieldNames.filter((n) => strategyFields[n].multiValued)).toEqual([
      'Endpoint.Profile',
      'Endpoint.Tag',
    ]);
  });

  it('should be frozen, since every caller shares it', () => {
    expect(Object.isFrozen(strategyFields)).toBe(true);
    expect(Object.isFrozen(strategyFields.Cvss)).toBe(true);
    expect(Object.isFrozen(strategyFields['Defender.SeverityLevel'].level)).toBe(true);
  });

  it('should describe every field for the API docs', () => {
    const described = describeStrategyFields();
    expect(described.map((f) => f.name)).toEqual(strategyFieldNames);
    expect(described.find((f) => f.name === 'Defender.SeverityLevel')).toEqual({
      name: 'Defender.SeverityLevel',
      type: 'level',
      levels: ['Low', 'Medium', 'High', 'Critical'],
      scope: 'patch',
      multiValued: false,
      operators: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in'],
      description: strategyFields['Defender.SeverityLevel'].description,
    });
    expect(described.find((f) => f.name === 'Endpoint.Tag')).toMatchObject({
      type: 'string',
      scope: 'endpoint',
      multiValued: true,
      operators: ['=', '!=', 'in', 'not in', 'contains'],
    });
    expect(described.find((f) => f.name === 'Cvss')).not.toHaveProperty('levels');
    for (const field of described) expect(field.description.length).toBeGreaterThan(10);
  });
});

// ---- Random expressions and rows, from a seeded generator so a failure replays. ----

const sampleStrings = [
  'Microsoft',
  'microsoft',
  'Servers',
  'prod-eu',
  "it's",
  'say "hi"',
  'back\\slash',
  'two\nlines',
  '',
  'É',
  'soft',
  'KB5031356',
];
const sampleNumbers = [0, 3, 7, -2, 7.5, -0.25, 12, 1e21, 1e-7, 123456789.125];

function randomValue(random: Random, field: StrategyFieldName): StrategyValue {
  const definition = strategyFields[field];
  switch (definition.type) {
    case 'string':
      return pick(random, sampleStrings);
    case 'number':
      return pick(random, sampleNumbers);
    case 'boolean':
      return random() < 0.5;
    case 'level':
      return pick(random, definition.level ?? []);
  }
}

function randomPredicate(random: Random): Expr {
  const field = pick(random, strategyFieldNames);
  const operator = pick(random, strategyOperators[strategyFields[field].type]);
  const values = (): StrategyValue[] =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomValue(random, field));
  switch (operator) {
    case 'in':
      return inList(field, values());
    case 'not in':
      return not(inList(field, values()));
    case 'contains':
      return has(field, pick(random, sampleStrings));
    default:
      return cmp(field, operator, randomValue(random, field));
  }
}

function randomExpression(random: Random, depth: number): Expr {
  if (depth === 0 || random() < 0.3) return randomPredicate(random);
  const roll = random();
  if (roll < 0.2) return not(randomExpression(random, depth - 1));
  const left = randomExpression(random, depth - 1);
  const right = randomExpression(random, depth - 1);
  return roll < 0.6 ? and(left, right) : or(left, right);
}

function maybeNull<T>(random: Random, value: T): T | null {
  return random() < 0.2 ? null : value;
}

function randomRow(random: Random): StrategyRow {
  const someOf = (items: readonly string[]): string[] => items.filter(() => random() < 0.3);
  return {
    patch: {
      severityLevel: maybeNull(random, pick(random, ['Low', 'medium', 'HIGH', 'Critical', 'Informational'])),
      exploitabilityLevel: maybeNull(
        random,
        pick(random, strategyFields['Defender.ExploitabilityLevel'].level ?? []),
      ),
      knownExploitExists: random() < 0.5,
      securityUpdateAvailable: random() < 0.5,
      networkAccessible: random() < 0.5,
      vendor: maybeNull(random, pick(random, sampleStrings)),
      software: maybeNull(random, pick(random, sampleStrings)),
      cvss: maybeNull(random, pick(random, sampleNumbers)),
      name: pick(random, sampleStrings),
      cveCount: pick(random, sampleNumbers),
      endpointCount: pick(random, sampleNumbers),
    },
    endpoint: {
      profiles: someOf(sampleStrings),
      deviceGroup: maybeNull(random, pick(random, sampleStrings)),
      name: maybeNull(random, pick(random, sampleStrings)),
      riskLevel: pick(random, ['None', 'informational', 'Low', 'Medium', 'High', 'Critical', 'Unknown']),
      tags: someOf(sampleStrings),
    },
  };
}
