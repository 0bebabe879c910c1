/**
 * Patches: distinct fixing updates, and the `Defender.*` metadata aggregated over the findings each one fixes
 * (DESIGN.md "Domain rules to start from").
 */
import {
  isKnownExploit,
  maxExploitability,
  maxSeverity,
  type Exploitability,
  type Severity,
} from './levels.js';

export interface PatchKeyInput {
  readonly softwareVendor: string | null;
  readonly softwareName: string | null;
  /** Defender's recommendedSecurityUpdate: free text such as "Update Chrome to version 120.0.6099.71". */
  readonly fixingUpdate: string | null;
  /** Defender's recommendedSecurityUpdateId: a KB number ("5034441") for Windows, other ids elsewhere. */
  readonly fixingUpdateId: string | null;
}

/**
 * The identity of the patch that fixes a finding, or null when Defender names no fix.
 *
 * Format: `<vendor>|<product>|<fix>`, all lower case, where
 *   - vendor and product are trimmed, with each run of whitespace turned into `_` (Defender's own product ids
 *     are written `windows_11`, so `Windows 11` from another source lands on the same key);
 *   - fix is `kb:<digits>` when the update id is a KB number, with or without its `KB` prefix
 *     (`KB5034441` and `5034441` are one patch); else `id:<update id>`; else `update:<update text>` with
 *     whitespace runs collapsed to one space;
 *   - a missing vendor or product is an empty segment;
 *   - `%` and `|` inside a segment are written `%25` and `%7c`, so no two different findings share a key.
 * Example: `microsoft|windows_11|kb:5034441`.
 */
export function patchKey(finding: PatchKeyInput): string | null {
  const fix = fixSegment(finding.fixingUpdateId, finding.fixingUpdate);
  if (fix === null) return null;
  return [productSegment(finding.softwareVendor), productSegment(finding.softwareName), fix].join('|');
}

function fixSegment(updateId: string | null, updateText: string | null): string | null {
  const id = normalise(updateId, ' ');
  if (id !== '') {
    const kb = /^(?:kb)?\s*(\d+)$/.exec(id);
    return kb === null ? `id:${escapeSegment(id)}` : `kb:${kb[1] ?? ''}`;
  }
  const text = normalise(updateText, ' ');
  return text === '' ? null : `update:${escapeSegment(text)}`;
}

function productSegment(value: string | null): string {
  return escapeSegment(normalise(value, '_'));
}

function normalise(value: string | null, space: string): string {
  return (value ?? '').trim().toLowerCase().replace(/\s+/g, space);
}

function escapeSegment(value: string): string {
  return value.replace(/%/g, '%25').replace(/\|/g, '%7c');
}

export interface PatchMetadata {
  'Defender.SeverityLevel': Severity | null;
  'Defender.ExploitabilityLevel': Exploitability | null;
  'Defender.KnownExploitExists': boolean;
  'Defender.SecurityUpdateAvailable': boolean;
}

export interface PatchFindingInput {
  readonly severity: string | null | undefined;
  readonly exploitabilityLevel: string | null | undefined;
  /** Defender's securityUpdateAvailable; only the full export carries it, so it is often null. */
  readonly updateAvailable: boolean | null | undefined;
}

/**
 * Aggregates findings one at a time, so a streaming sync can compute a patch's metadata without holding its
 * findings. Unknown severity or exploitability words are ignored rather than ranked.
 */
export class PatchMetadataAccumulator {
  #severity: Severity | null = null;
  #exploitability: Exploitability | null = null;
  #updateAvailable = false;
  #count = 0;

  add(finding: PatchFindingInput): this {
    this.#severity = maxSeverity([this.#severity, finding.severity]);
    this.#exploitability = maxExploitability([this.#exploitability, finding.exploitabilityLevel]);
    // One row saying "update available" is enough: a row that says null simply did not carry the field.
    if (finding.updateAvailable === true) this.#updateAvailable = true;
    this.#count += 1;
    return this;
  }

  /** How many findings were added. */
  get count(): number {
    return this.#count;
  }

  result(): PatchMetadata {
    return {
      'Defender.SeverityLevel': this.#severity,
      'Defender.ExploitabilityLevel': this.#exploitability,
      'Defender.KnownExploitExists': isKnownExploit(this.#exploitability),
      'Defender.SecurityUpdateAvailable': this.#updateAvailable,
    };
  }
}

export function aggregatePatchMetadata(findings: Iterable<PatchFindingInput>): PatchMetadata {
  const accumulator = new PatchMetadataAccumulator();
  for (const finding of findings) accumulator.add(finding);
  return accumulator.result();
}
