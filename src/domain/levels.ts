/**
 * The ordered scales the hub ranks things by, and the conversions from Defender's many spellings onto them.
 * Every parser here is case-insensitive and trims, because the same value arrives as `High` from MDE, `high`
 * from Graph and whatever a user typed in a filter.
 */

/** The hub's own endpoint risk scale. */
export const riskLevels = ['None', 'Low', 'Medium', 'High', 'Critical'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** Severity of a finding or a CVE, as Defender rates vulnerabilities. */
export const severityLevels = ['Low', 'Medium', 'High', 'Critical'] as const;
export type Severity = (typeof severityLevels)[number];

/**
 * Graph's alert severities, weakest first, as the alerts sync stores them (Graph's `unknownFutureValue` and words
 * added later stay outside the scale).
 */
export const alertSeverityLevels = ['unknown', 'informational', 'low', 'medium', 'high'] as const;
export type AlertSeverity = (typeof alertSeverityLevels)[number];

/** Defender's exploitability levels, weakest first. */
export const exploitabilityLevels = [
  'NoExploit',
  'ExploitIsPublic',
  'ExploitIsVerified',
  'ExploitIsInKit',
] as const;
export type Exploitability = (typeof exploitabilityLevels)[number];

type Text = string | null | undefined;

/** The member of `scale` that `text` names, ignoring case and surrounding blanks. */
function lookup<T extends string>(scale: readonly T[], text: Text): T | undefined {
  if (typeof text !== 'string') return undefined;
  const wanted = text.trim().toLowerCase();
  return scale.find((member) => member.toLowerCase() === wanted);
}

/** The highest-ranked known value, or null when none is known: unknown words must not outrank real ones. */
function highest<T extends string>(scale: readonly T[], values: Iterable<Text>): T | null {
  let best = -1;
  for (const value of values) {
    const member = lookup(scale, value);
    if (member !== undefined) best = Math.max(best, scale.indexOf(member));
  }
  return scale[best] ?? null;
}

// ---- risk ----

export function riskRank(level: RiskLevel): number {
  return riskLevels.indexOf(level);
}

export function maxRisk(...levels: RiskLevel[]): RiskLevel {
  return highest(riskLevels, levels) ?? 'None';
}

/** One step up the scale; Critical is already the top. */
export function raiseRisk(level: RiskLevel): RiskLevel {
  return riskLevels[riskRank(level) + 1] ?? 'Critical';
}

/** For API filters (`?riskLevel=high`): undefined tells the caller to answer 400 rather than guess. */
export function parseRiskLevel(text: string): RiskLevel | undefined {
  return lookup(riskLevels, text);
}

// ---- severity ----

export function parseSeverity(value: Text): Severity | undefined {
  return lookup(severityLevels, value);
}

/** 0 (Low) to 3 (Critical); -1 for null or a word outside the scale, so unknowns sort below Low. */
export function severityRank(value: Text): number {
  const severity = parseSeverity(value);
  return severity === undefined ? -1 : severityLevels.indexOf(severity);
}

export function maxSeverity(values: Iterable<Text>): Severity | null {
  return highest(severityLevels, values);
}

/** Graph's spelling of an alert severity, from either API's (MDE says `High`, `UnSpecified` is not on it). */
export function parseAlertSeverity(value: Text): AlertSeverity | undefined {
  return lookup(alertSeverityLevels, value);
}

// ---- exploitability ----

export function parseExploitability(value: Text): Exploitability | undefined {
  return lookup(exploitabilityLevels, value);
}

/** 0 (NoExploit) to 3 (ExploitIsInKit); -1 for null or an unknown word. */
export function exploitabilityRank(value: Text): number {
  const level = parseExploitability(value);
  return level === undefined ? -1 : exploitabilityLevels.indexOf(level);
}

export function maxExploitability(values: Iterable<Text>): Exploitability | null {
  return highest(exploitabilityLevels, values);
}

/** An exploit exists in the wild: public, verified or packaged in a kit. */
export function isKnownExploit(level: Text): boolean {
  return exploitabilityRank(level) >= exploitabilityLevels.indexOf('ExploitIsPublic');
}

/**
 * A merely public exploit may not work; a verified one or one in a kit is usable by anyone, which is what
 * makes the finding one step riskier than its severity says.
 */
export function raisesExposure(level: Text): boolean {
  return exploitabilityRank(level) >= exploitabilityLevels.indexOf('ExploitIsVerified');
}

// ---- conversions to RiskLevel ----

/** A finding's severity on the risk scale; no severity means it adds no risk of its own. */
export function findingSeverityRisk(severity: Text): RiskLevel {
  return parseSeverity(severity) ?? 'None';
}

/**
 * MDE (`UnSpecified`, `Informational`, `Low`, `Medium`, `High`) and Graph (`unknown`, `informational`, `low`,
 * `medium`, `high`, `unknownFutureValue`) alert severities. Neither API has Critical; informational and
 * unspecified alerts describe activity, not a threat, so they add no risk.
 */
export function alertSeverityRisk(severity: Text): RiskLevel {
  return lookup(['Low', 'Medium', 'High'] as const, severity) ?? 'None';
}

/**
 * Defender's machine riskScore (`None`, `Informational`, `Low`, `Medium`, `High`). Informational carries no risk
 * on our scale; a future `Critical` is taken at its word.
 */
export function riskScoreRisk(riskScore: Text): RiskLevel {
  return lookup(riskLevels, riskScore) ?? 'None';
}

/** Defender's machine exposureLevel (`None`, `Low`, `Medium`, `High`); anything unrecognised adds no risk. */
export function exposureLevelRisk(exposureLevel: Text): RiskLevel {
  return lookup(riskLevels, exposureLevel) ?? 'None';
}
