/**
 * Remediation tracking: how long findings took to fix, and when they are due under a per-severity SLA.
 */
import { parseSeverity, severityLevels, type Severity } from './levels.js';

const dayMs = 86_400_000;

type Text = string | null | undefined;

export type SlaDays = Readonly<Record<Severity, number>>;

/** Days allowed to fix a finding of each severity: a common vulnerability-management baseline. */
export const defaultSlaDays: SlaDays = { Critical: 15, High: 30, Medium: 90, Low: 180 };

/** Ten years: anything longer is a typo, not a policy. */
export const maxSlaDays = 3650;

export interface RemediatedFinding {
  readonly severity: Text;
  /** ISO 8601 timestamps, as the store keeps them. */
  readonly firstSeenAt: string;
  readonly resolvedAt: string;
}

export interface RemediationTime {
  count: number;
  /** Mean days from first seen to resolved; null when count is 0. */
  meanDays: number | null;
}

export interface MeanTimeToRemediate {
  bySeverity: Record<Severity, RemediationTime>;
  /** All counted findings, including those without a known severity (which have no bucket of their own). */
  overall: RemediationTime;
  /** Findings left out: resolved before first seen (clock skew or a re-imported row), or an unreadable time. */
  ignored: { resolvedBeforeFirstSeen: number; invalidTimestamp: number };
}

class Mean {
  #sum = 0;
  #count = 0;
  add(value: number): void {
    this.#sum += value;
    this.#count += 1;
  }
  result(): RemediationTime {
    return { count: this.#count, meanDays: this.#count === 0 ? null : this.#sum / this.#count };
  }
}

export function meanTimeToRemediate(findings: Iterable<RemediatedFinding>): MeanTimeToRemediate {
  const means = { Low: new Mean(), Medium: new Mean(), High: new Mean(), Critical: new Mean() };
  const overall = new Mean();
  const ignored = { resolvedBeforeFirstSeen: 0, invalidTimestamp: 0 };
  for (const finding of findings) {
    const first = Date.parse(finding.firstSeenAt);
    const resolved = Date.parse(finding.resolvedAt);
    if (Number.isNaN(first) || Number.isNaN(resolved)) {
      ignored.invalidTimestamp += 1;
      continue;
    }
    if (resolved < first) {
      ignored.resolvedBeforeFirstSeen += 1;
      continue;
    }
    const days = (resolved - first) / dayMs;
    overall.add(days);
    const severity = parseSeverity(finding.severity);
    if (severity !== undefined) means[severity].add(days);
  }
  return {
    bySeverity: {
      Low: means.Low.result(),
      Medium: means.Medium.result(),
      High: means.High.result(),
      Critical: means.Critical.result(),
    },
    overall: overall.result(),
    ignored,
  };
}

/**
 * When a finding must be fixed by: first seen + the severity's SLA days (24-hour days in UTC, so no daylight
 * saving shift). Null when the severity is unknown (no SLA applies) or the timestamp is unreadable.
 */
export function slaDueDate(
  firstSeenAt: string,
  severity: Text,
  slaDays: SlaDays = defaultSlaDays,
): string | null {
  const first = Date.parse(firstSeenAt);
  const known = parseSeverity(severity);
  if (Number.isNaN(first) || known === undefined) return null;
  return new Date(first + slaDays[known] * dayMs).toISOString();
}

export interface SlaFinding {
  readonly severity: Text;
  readonly firstSeenAt: string;
  /** Set once fixed: a fixed finding is judged by when it was fixed, not by now. */
  readonly resolvedAt?: string | null | undefined;
}

/**
 * Past its SLA: fixed after the due date, or still open after it. Exactly at the due date is still in time.
 * A finding without an SLA (unknown severity, unreadable time) is never past it.
 */
export function isPastSla(finding: SlaFinding, now: Date, slaDays: SlaDays = defaultSlaDays): boolean {
  const due = slaDueDate(finding.firstSeenAt, finding.severity, slaDays);
  if (due === null) return false;
  const resolved = finding.resolvedAt == null ? Number.NaN : Date.parse(finding.resolvedAt);
  const end = Number.isNaN(resolved) ? now.getTime() : resolved;
  return end > Date.parse(due);
}

export type SlaDaysParse = { ok: true; value: SlaDays } | { ok: false; errors: string[] };

/**
 * A partial override such as `{ "Critical": 7 }`, merged over `base`. Severity names are matched without regard
 * to case; each value must be a whole number of days from 1 to 3650. Every problem is reported, not just the
 * first, so a user fixes the input in one go.
 */
export function parseSlaDays(input: unknown, base: SlaDays = defaultSlaDays): SlaDaysParse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['SLA days must be an object such as { "Critical": 15, "High": 30 }'] };
  }
  const value: Record<Severity, number> = { ...base };
  const seen = new Set<Severity>();
  const errors: string[] = [];
  for (const [key, days] of Object.entries(input)) {
    const severity = parseSeverity(key);
    if (severity === undefined) {
      errors.push(`"${key}" is not a severity; use ${severityLevels.join(', ')}`);
      continue;
    }
    if (seen.has(severity)) errors.push(`${severity} is given more than once`);
    seen.add(severity);
    const checked = checkSlaDays(days);
    if (typeof checked === 'number') value[severity] = checked;
    else errors.push(`${severity}: ${checked.problem}`);
  }
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors };
}

function checkSlaDays(days: unknown): number | { problem: string } {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    const shown = typeof days === 'string' ? JSON.stringify(days) : String(days);
    return { problem: `${shown} is not a positive whole number of days` };
  }
  return days > maxSlaDays ? { problem: `${days} days is more than the limit of ${maxSlaDays}` } : days;
}
