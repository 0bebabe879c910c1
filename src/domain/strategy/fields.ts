/**
 * The fields a patch strategy filters on. An expression is evaluated per (patch × device) pair, so each field
 * says whether it belongs to the patch (the same for every device it applies to) or to the endpoint (a device
 * that is not an endpoint has none of those).
 */

export type StrategyFieldType = 'string' | 'number' | 'boolean' | 'level';
export type StrategyFieldScope = 'patch' | 'endpoint';

export interface StrategyFieldDefinition {
  readonly type: StrategyFieldType;
  /** Level fields only: the levels, lowest first. `<`, `>` and friends compare by this order. */
  readonly level?: readonly string[];
  readonly scope: StrategyFieldScope;
  /**
   * An endpoint has several profiles and several tags. A condition on such a field holds when it holds for any
   * one value, except `!=`, which holds when no value equals (so it is exactly `not (field = value)`).
   */
  readonly multiValued: boolean;
  readonly description: string;
}

const definitions = {
  'Defender.SeverityLevel': {
    type: 'level',
    level: ['Low', 'Medium', 'High', 'Critical'],
    scope: 'patch',
    multiValued: false,
    description:
      "Defender's severity of the vulnerabilities the patch fixes (the highest, when they differ).",
  },
  'Defender.ExploitabilityLevel': {
    type: 'level',
    level: ['NoExploit', 'ExploitIsPublic', 'ExploitIsVerified', 'ExploitIsInKit'],
    scope: 'patch',
    multiValued: false,
    description:
      'How far exploitation of the vulnerabilities the patch fixes has gone (the furthest, when they differ).',
  },
  'Defender.KnownExploitExists': {
    type: 'boolean',
    scope: 'patch',
    multiValued: false,
    description: 'Whether Defender knows of an exploit for a vulnerability the patch fixes.',
  },
  'Defender.SecurityUpdateAvailable': {
    type: 'boolean',
    scope: 'patch',
    multiValued: false,
    description: 'Whether Defender reports a security update that fixes the vulnerabilities.',
  },
  'Defender.NetworkAccessible': {
    type: 'boolean',
    scope: 'patch',
    multiValued: false,
    description:
      "Whether a vulnerability the patch fixes can be exploited over the network: its CVSS vector's attack " +
      'vector is Network (AV:N) in the CVE catalog.',
  },
  'Software.Vendor': {
    type: 'string',
    scope: 'patch',
    multiValued: false,
    description: 'The vendor of the software the patch updates, e.g. "microsoft".',
  },
  'Software.Name': {
    type: 'string',
    scope: 'patch',
    multiValued: false,
    description: 'The software the patch updates, e.g. "chrome".',
  },
  Cvss: {
    type: 'number',
    scope: 'patch',
    multiValued: false,
    description: 'The highest CVSS score among the CVEs the patch fixes; absent when none has a score.',
  },
  'Patch.Name': {
    type: 'string',
    scope: 'patch',
    multiValued: false,
    description: 'The fixing update\'s title: a KB number, or e.g. "Update Chrome to version 120.0".',
  },
  'Patch.CveCount': {
    type: 'number',
    scope: 'patch',
    multiValued: false,
    description: 'How many CVEs the patch fixes.',
  },
  'Patch.EndpointCount': {
    type: 'number',
    scope: 'patch',
    multiValued: false,
    description:
      'How many devices the patch applies to, endpoints or not (a device filtered out of the endpoints, or ' +
      'whose machine record the hub cannot read, still has its findings).',
  },
  'Endpoint.Profile': {
    type: 'string',
    scope: 'endpoint',
    multiValued: true,
    description:
      'A profile of the endpoint. An endpoint has several: =, in and contains hold when any profile matches; ' +
      '!= and not in hold when none does.',
  },
  'Endpoint.DeviceGroup': {
    type: 'string',
    scope: 'endpoint',
    multiValued: false,
    description: "The endpoint's Defender device group.",
  },
  'Endpoint.Name': {
    type: 'string',
    scope: 'endpoint',
    multiValued: false,
    description: "The endpoint's computer name, as Defender reports it.",
  },
  'Endpoint.RiskLevel': {
    type: 'level',
    level: ['None', 'Low', 'Medium', 'High', 'Critical'],
    scope: 'endpoint',
    multiValued: false,
    description: "The hub's risk level for the endpoint (Defender's Informational counts as None).",
  },
  'Endpoint.Tag': {
    type: 'string',
    scope: 'endpoint',
    multiValued: true,
    description: 'A tag on the endpoint. An endpoint has several, matched like Endpoint.Profile.',
  },
} as const satisfies Record<string, StrategyFieldDefinition>;

/** The canonical spelling of every field; expressions may write them in any case. */
export type StrategyFieldName = keyof typeof definitions;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The catalogue, frozen: every caller shares this one object. */
export const strategyFields: Readonly<Record<StrategyFieldName, StrategyFieldDefinition>> =
  deepFreeze(definitions);

export const strategyFieldNames: readonly StrategyFieldName[] = Object.freeze(
  Object.keys(definitions) as StrategyFieldName[],
);

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
/** Every operator as a person writes it; `not in` is sugar for `not (field in (...))`. */
export type StrategyOperator = ComparisonOperator | 'in' | 'not in' | 'contains';

export const strategyOperators: Readonly<Record<StrategyFieldType, readonly StrategyOperator[]>> = deepFreeze(
  {
    string: ['=', '!=', 'in', 'not in', 'contains'],
    number: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in'],
    level: ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in'],
    boolean: ['=', '!='],
  },
);

/**
 * The one case folding of the language: ASCII letters only. SQLite's lower() and LIKE fold nothing else, and
 * PostgreSQL's lower() under the "C" collation does the same, so the store compiler can match this exactly;
 * "É" and "é" therefore differ.
 */
export function foldStrategyCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const fieldsByFoldedName: ReadonlyMap<string, StrategyFieldName> = new Map(
  strategyFieldNames.map((name) => [foldStrategyCase(name), name]),
);

export function resolveStrategyField(name: string): StrategyFieldName | undefined {
  return fieldsByFoldedName.get(foldStrategyCase(name));
}

/** The canonical spelling of `value` among the field's levels, or undefined when it is none of them. */
export function canonicalLevel(definition: StrategyFieldDefinition, value: string): string | undefined {
  const folded = foldStrategyCase(value);
  return definition.level?.find((level) => foldStrategyCase(level) === folded);
}

/** `a number`, `a level (Low, Medium, High, Critical)`: how messages name a field's type. */
export function describeFieldType(definition: StrategyFieldDefinition): string {
  if (definition.type === 'level') return `a level (${(definition.level ?? []).join(', ')})`;
  return `a ${definition.type}`;
}

export interface StrategyFieldDescription {
  readonly name: StrategyFieldName;
  readonly type: StrategyFieldType;
  readonly levels?: readonly string[];
  readonly scope: StrategyFieldScope;
  readonly multiValued: boolean;
  readonly operators: readonly StrategyOperator[];
  readonly description: string;
}

/** The catalogue as a list for the API docs and the strategy editor, with the operators each field takes. */
export function describeStrategyFields(): StrategyFieldDescription[] {
  return strategyFieldNames.map((name) => {
    const { type, level, scope, multiValued, description } = strategyFields[name];
    return {
      name,
      type,
      ...(level === undefined ? {} : { levels: level }),
      scope,
      multiValued,
      operators: strategyOperators[type],
      description,
    };
  });
}

// Names past this length are not typos of a field; skipping them keeps the distance cheap on hostile input.
const longestSuggestible = 64;
const maxSuggestions = 3;

/**
 * Fields a person probably meant by an unknown `name`: same last segment (`Vendor`), containing it (`Level`),
 * or the closest by edit distance when close enough to be a typo. At most three, closest first.
 */
export function suggestStrategyFields(name: string): StrategyFieldName[] {
  const folded = foldStrategyCase(name);
  if (folded.length > longestSuggestible) return [];
  const scored = strategyFieldNames.map((field) => {
    const target = foldStrategyCase(field);
    return { field, target, distance: editDistance(folded, target) };
  });
  const typos = scored.filter((s) => s.distance <= Math.max(2, Math.floor(s.target.length / 3)));
  const closestTypo = Math.min(...typos.map((s) => s.distance));
  return scored
    .filter(
      (s) =>
        lastSegment(s.target) === lastSegment(folded) ||
        (folded.length >= 4 && s.target.includes(folded)) ||
        s.distance === closestTypo,
    )
    .sort((a, b) => a.distance - b.distance)
    .slice(0, maxSuggestions)
    .map((s) => s.field);
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
