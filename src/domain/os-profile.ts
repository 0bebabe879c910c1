/**
 * Profiles: the OS / OS_VERSION profiles every endpoint with OS details gets, and the hub's ordinary
 * rule-based profiles for the rest (DESIGN.md "Domain rules to start from"), with their match scores.
 */

export const matchScores = { VeryHigh: 100, High: 75, Medium: 50, Low: 25 } as const;
export type MatchScoreName = keyof typeof matchScores;

/** OS profiles come straight from Defender's report of the endpoint, so nothing rates a match higher. */
export const osProfileMatchScore = matchScores.VeryHigh;

/** The band a numeric score falls in, for display: each band starts at its own score. */
export function matchScoreName(score: number): MatchScoreName {
  if (score >= matchScores.VeryHigh) return 'VeryHigh';
  if (score >= matchScores.High) return 'High';
  if (score >= matchScores.Medium) return 'Medium';
  return 'Low';
}

// ---- OS profiles ----

export interface OsProfiles {
  /** OS profile name, e.g. `Windows11`. */
  os: string;
  /** OS_VERSION profile name, e.g. `Windows11_22H2`; null when Defender gives no usable version. */
  osVersion: string | null;
}

/** Words Defender uses when it does not know; they must not become a profile everyone unknown shares. */
const unknownWords = new Set(['unknown', 'other']);

/**
 * Windows releases by build, used only when Defender's `version` is missing or `Other` but the build is
 * known. Windows 10 and 11 only: the server platforms name their release in the platform itself.
 */
const windowsReleaseByBuild: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  windows10: {
    10240: '1507',
    10586: '1511',
    14393: '1607',
    15063: '1703',
    16299: '1709',
    17134: '1803',
    17763: '1809',
    18362: '1903',
    18363: '1909',
    19041: '2004',
    19042: '20H2',
    19043: '21H1',
    19044: '21H2',
    19045: '22H2',
  },
  windows11: { 22000: '21H2', 22621: '22H2', 22631: '23H2', 26100: '24H2', 26200: '25H2' },
};

/**
 * A profile-safe name: letters, digits and underscores only. Each run of other characters (spaces, dots,
 * dashes) becomes one `_`, and leading/trailing ones are dropped. Case is kept, so Defender's `macOS` stays
 * `macOS`. Empty when nothing usable is left.
 */
export function profileName(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/** A name from Defender's text, or null when the text is blank, an unknown-word, or has no safe character. */
function knownName(text: string | null | undefined): string | null {
  if (typeof text !== 'string' || unknownWords.has(text.trim().toLowerCase())) return null;
  const name = profileName(text);
  return name === '' ? null : name;
}

/**
 * The OS and OS_VERSION profiles of an endpoint, from Defender's machine `osPlatform`, `version` and
 * `osBuild`. Null when the platform is unknown: such endpoints get the ordinary rule-based profiles instead.
 */
export function osProfiles(
  osPlatform: string | null,
  version: string | null,
  osBuild?: number | null,
): OsProfiles | null {
  const os = knownName(osPlatform);
  if (os === null) return null;
  const release = knownName(version) ?? releaseOfBuild(os, osBuild);
  return { os, osVersion: release === null ? null : `${os}_${release}` };
}

function releaseOfBuild(os: string, osBuild: number | null | undefined): string | null {
  if (osBuild == null) return null;
  return windowsReleaseByBuild[os.toLowerCase()]?.[osBuild] ?? null;
}

// ---- rule-based profiles ----

export interface ProfileRule {
  /** Defender osPlatform, compared as a profile name without regard to case. */
  os?: string | undefined;
  /** Glob on the DNS name: `*` any run of characters, `?` exactly one; case-insensitive. */
  namePattern?: string | undefined;
  /** IPv4 or IPv6 CIDR (`10.1.0.0/16`, `fd00::/64`), an IPv4 range (`10.0.0.1-10.0.0.50`) or one address. */
  ipRange?: string | undefined;
  tag?: string | undefined;
  deviceGroup?: string | undefined;
}

export interface ProfileEndpoint {
  readonly osPlatform: string | null;
  /** Defender's computerDnsName (an FQDN). */
  readonly name: string | null;
  readonly ipAddresses: readonly string[];
  readonly tags: readonly string[];
  readonly deviceGroup: string | null;
}

/**
 * Points each matched criterion adds to the Low base score. The most a rule can reach is
 * 25 + 10 + 10 + 10 + 20 + 20 = 95, below an OS profile's Very High (100): a rule is a guess about an
 * endpoint, Defender's OS report is a fact.
 */
export const ruleScorePoints = {
  base: matchScores.Low,
  os: 10,
  tag: 10,
  deviceGroup: 10,
  /** A name without wildcards names one endpoint. */
  exactName: 20,
  /** A wildcard name pattern earns one point per literal character, at most this many. */
  wildcardNameMax: 12,
  /** An IP range earns up to this many, in proportion to its prefix length (a single address earns all). */
  ipRangeMax: 20,
} as const;

export const ruleScoreCap = matchScores.VeryHigh - 5;

/**
 * How well an endpoint matches a rule, or null when it does not: every criterion the rule gives must hold.
 *
 * Score = 25 (Low, any match)
 *   + 10 for os, + 10 for tag, + 10 for deviceGroup
 *   + namePattern: 20 without wildcards, else min(12, number of literal characters)
 *   + ipRange: round(20 × prefix length / address bits), where an IPv4 a-b range counts as the prefix of the
 *     smallest CIDR block its size fits in (32 − ⌈log2(size)⌉); so /32 and /128 → 20, /24 → 15, /16 → 10,
 *     IPv6 /64 → 10
 * capped at 95. A blank criterion counts as absent, and a rule with no criterion matches nothing: an empty
 * rule would otherwise put every endpoint in the profile. A malformed ipRange matches nothing.
 */
export function ruleMatchScore(rule: ProfileRule, endpoint: ProfileEndpoint): number | null {
  const scores = [
    criterion(rule.os, (os) => (sameOs(os, endpoint.osPlatform) ? ruleScorePoints.os : null)),
    criterion(rule.namePattern, (pattern) => nameScore(pattern, endpoint.name)),
    criterion(rule.ipRange, (range) => ipScore(range, endpoint.ipAddresses)),
    criterion(rule.tag, (tag) => (endpoint.tags.some((t) => sameWord(t, tag)) ? ruleScorePoints.tag : null)),
    criterion(rule.deviceGroup, (group) =>
      sameWord(endpoint.deviceGroup, group) ? ruleScorePoints.deviceGroup : null,
    ),
  ].filter((score) => score !== undefined);
  if (scores.length === 0 || scores.includes(null)) return null;
  const points = scores.reduce<number>((sum, score) => sum + (score ?? 0), 0);
  return Math.min(ruleScorePoints.base + points, ruleScoreCap);
}

/** undefined: the rule does not use this criterion; null: it does and the endpoint fails it. */
function criterion(
  value: string | undefined,
  score: (value: string) => number | null,
): number | null | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return score(value.trim());
}

function sameWord(a: string | null, b: string): boolean {
  return a !== null && a.trim().toLowerCase() === b.toLowerCase();
}

function sameOs(ruleOs: string, osPlatform: string | null): boolean {
  const platform = knownName(osPlatform);
  return platform !== null && platform.toLowerCase() === profileName(ruleOs).toLowerCase();
}

/** Matched against the full DNS name or its host part, so `web-01` matches `web-01.contoso.com`. */
function nameScore(pattern: string, name: string | null): number | null {
  if (name === null || name.trim() === '') return null;
  const full = name.trim();
  const host = full.split('.')[0] ?? full;
  if (!globMatch(pattern, full) && !globMatch(pattern, host)) return null;
  const literals = Array.from(pattern).filter((c) => c !== '*' && c !== '?').length;
  const wildcard = literals !== Array.from(pattern).length;
  return wildcard ? Math.min(literals, ruleScorePoints.wildcardNameMax) : ruleScorePoints.exactName;
}

function ipScore(rangeText: string, addresses: readonly string[]): number | null {
  const parsed = parseIpRange(rangeText);
  if (!parsed.ok) return null;
  const { range } = parsed;
  const inside = addresses.some((text) => {
    const address = parseIpAddress(text, { allowZone: true });
    return address !== undefined && ipInRange(address, range);
  });
  return inside ? Math.round((ruleScorePoints.ipRangeMax * range.prefixLength) / bitsOf(range.family)) : null;
}

/**
 * Glob match without regular expressions: linear backtracking to the last `*`, so a hostile pattern such as
 * `*a*a*a*a*b` cannot stall the profiler. Case-insensitive; `?` matches one character (code point).
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = Array.from(pattern.toLowerCase());
  const t = Array.from(text.toLowerCase());
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const c = p[pi];
    if (c === '*') {
      star = pi++;
      resume = ti;
    } else if (c !== undefined && (c === '?' || c === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

// ---- IP addresses and ranges ----

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  /** CIDR prefix length, or for an a-b range that of the smallest block its size fits in. */
  prefixLength: number;
}

export type IpRangeParse = { ok: true; range: IpRange } | { ok: false; error: string };

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/**
 * IPv4 dotted quad (no leading zeros: `010` is octal to some parsers, decimal to others) or IPv6 (with `::`
 * and an optional IPv4 tail). An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) reads as its IPv4 address, so
 * IPv4 rules match dual-stack reports. `allowZone` accepts and ignores a scope id (`fe80::1%eth0`), which
 * endpoints report but a rule should not carry.
 */
export function parseIpAddress(text: string, options: { allowZone?: boolean } = {}): IpAddress | undefined {
  let trimmed = text.trim();
  const zone = trimmed.indexOf('%');
  if (zone >= 0 && options.allowZone === true && trimmed.includes(':')) trimmed = trimmed.slice(0, zone);
  const v4 = parseIpv4(trimmed);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(trimmed);
  if (v6 === undefined) return undefined;
  return v6 >> 32n === 0xffffn ? { family: 4, value: v6 & 0xffffffffn } : { family: 6, value: v6 };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = hextets(halves[0] ?? '');
  const tail = halves.length === 2 ? hextets(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail].reduce(
    (acc, h) => (acc << 16n) | BigInt(h),
    0n,
  );
}

/** The 16-bit groups of one side of `::`; a trailing IPv4 part counts as two groups. */
function hextets(text: string): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/**
 * A rule's ipRange. Host bits in a CIDR are ignored (`10.1.2.3/16` means `10.1.0.0/16`): the intent is plain
 * and refusing it would only annoy. Errors say what is wrong, for the rule editor.
 */
export function parseIpRange(text: string): IpRangeParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'an empty range' };
  if (trimmed.includes('/')) return parseCidr(trimmed);
  if (trimmed.includes('-')) return parseDashRange(trimmed);
  const address = parseIpAddress(trimmed);
  if (address === undefined) return notAnAddress(trimmed);
  const bits = bitsOf(address.family);
  return {
    ok: true,
    range: { family: address.family, first: address.value, last: address.value, prefixLength: bits },
  };
}

function notAnAddress(text: string): IpRangeParse {
  return { ok: false, error: `"${text}" is not an IPv4 or IPv6 address` };
}

function parseCidr(text: string): IpRangeParse {
  const [addressText = '', prefixText = '', ...rest] = text.split('/');
  if (rest.length > 0) return { ok: false, error: 'a CIDR has one "/", this has more' };
  const v4 = parseIpv4(addressText.trim());
  const address = v4 ?? parseIpv6(addressText.trim());
  if (address === undefined) return notAnAddress(addressText.trim());
  const family = v4 === undefined ? 6 : 4;
  const bits = bitsOf(family);
  const prefix = prefixText.trim();
  if (!/^\d{1,3}$/.test(prefix)) return { ok: false, error: `prefix length "${prefix}" is not a number` };
  const prefixLength = Number(prefix);
  if (prefixLength > bits) {
    return { ok: false, error: `prefix length ${prefixLength} is out of range for IPv${family} (0-${bits})` };
  }
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  const first = address & ~hostMask;
  return { ok: true, range: { family, first, last: first | hostMask, prefixLength } };
}

function parseDashRange(text: string): IpRangeParse {
  const ends = text.split('-').map((end) => end.trim());
  if (ends.length !== 2)
    return { ok: false, error: 'a range needs exactly one "-" between two IPv4 addresses' };
  const [startText = '', endText = ''] = ends;
  if (startText.includes(':') || endText.includes(':')) {
    return { ok: false, error: 'ranges (a-b) are IPv4 only; write IPv6 as CIDR (e.g. fd00::/64)' };
  }
  const start = parseIpv4(startText);
  if (start === undefined) return { ok: false, error: `"${startText}" is not an IPv4 address` };
  const end = parseIpv4(endText);
  if (end === undefined) return { ok: false, error: `"${endText}" is not an IPv4 address` };
  if (start > end) return { ok: false, error: `range start ${startText} is after its end ${endText}` };
  // The smallest block the range fits in: ceil(log2(size)) host bits, size = end - start + 1.
  const hostBits = end === start ? 0 : (end - start).toString(2).length;
  return { ok: true, range: { family: 4, first: start, last: end, prefixLength: 32 - hostBits } };
}

export function ipInRange(address: IpAddress, range: IpRange): boolean {
  return address.family === range.family && address.value >= range.first && address.value <= range.last;
}

// ---- rule validation ----

/** Longer than any DNS name (253) can be: a longer pattern is a paste error, and costs matching time. */
export const maxPatternLength = 255;
/** The other criteria are names (platforms, tags, groups); 255 is generous and keeps stored rules small. */
export const maxCriterionLength = 255;

/** Problems with a rule, each a sentence for the rule editor; empty when the rule is valid. */
export function validateProfileRule(rule: ProfileRule): string[] {
  const errors: string[] = [];
  const given = (['os', 'namePattern', 'ipRange', 'tag', 'deviceGroup'] as const).filter(
    (key) => rule[key] !== undefined,
  );
  if (given.length === 0) {
    errors.push('a profile rule needs at least one criterion: os, namePattern, ipRange, tag or deviceGroup');
  }
  for (const key of given) {
    const value = rule[key] ?? '';
    const limit = key === 'namePattern' ? maxPatternLength : maxCriterionLength;
    if (value.trim() === '') errors.push(`${key} is blank; remove it or give a value`);
    else if (value.length > limit)
      errors.push(`${key} is ${value.length} characters long; the limit is ${limit}`);
  }
  if (rule.ipRange !== undefined && rule.ipRange.trim() !== '') {
    const parsed = parseIpRange(rule.ipRange);
    if (!parsed.ok) errors.push(`ipRange "${rule.ipRange.trim()}": ${parsed.error}`);
  }
  return errors;
}
