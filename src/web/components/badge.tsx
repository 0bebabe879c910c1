/**
 * A level as a coloured badge that always carries its word: colour helps, the text is what counts (and what
 * screen readers and colour-blind users get).
 */
const tones: Readonly<Record<string, string>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  none: 'none',
  informational: 'none',
  succeeded: 'ok',
  connected: 'ok',
  limited: 'medium',
  notpermitted: 'medium',
  isolated: 'high',
  pending: 'medium',
  inprogress: 'medium',
  failed: 'critical',
  failing: 'critical',
  timeout: 'critical',
  cancelled: 'none',
  disabled: 'none',
  notisolated: 'none',
  granted: 'ok',
  notgranted: 'medium',
  missing: 'critical',
  refused: 'high',
  compliant: 'ok',
  notcompliant: 'high',
  read: 'ok',
  unreadable: 'critical',
  healthy: 'ok',
  unhealthy: 'high',
  notapplicable: 'none',
};

/** `toneOf`: the word the colour is keyed on, when the text is longer than a word (a status with its reason). */
export function Badge({
  value,
  label,
  toneOf,
}: {
  value: string | null | undefined;
  label?: string;
  toneOf?: string;
}) {
  const text = value ?? 'Unknown';
  const tone = tones[(toneOf ?? text).toLowerCase().replace(/[^a-z]/g, '')] ?? 'none';
  return (
    <span
      className={`badge badge-${tone}`}
      {...(label === undefined ? {} : { 'aria-label': `${label}: ${text}` })}
    >
      {text}
    </span>
  );
}
