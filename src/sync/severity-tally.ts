import type { Finding } from '../defender/index.js';
import { parseSeverity } from '../domain/levels.js';

/**
 * Open findings with a CVE per severity, counted while a findings run streams: when the run saw every open
 * finding, today's trend point takes these counts instead of recounting millions of stored rows.
 */
export class SeverityTally {
  readonly #counts: Record<string, number> = {};
  /** Severity words are few; each is looked up on the scale once. */
  readonly #keys = new Map<string, string>();

  add(finding: Finding): void {
    if (finding.cveId == null) return;
    const text = finding.vulnerabilitySeverityLevel ?? '';
    let key = this.#keys.get(text);
    if (key === undefined) {
      key = parseSeverity(text) ?? 'Unknown';
      this.#keys.set(text, key);
    }
    this.#counts[key] = (this.#counts[key] ?? 0) + 1;
  }

  get counts(): Readonly<Record<string, number>> {
    return this.#counts;
  }
}
