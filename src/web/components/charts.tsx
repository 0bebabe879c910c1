import { formatCount } from '../format.js';

const tone = (name: string): string => `tone-${name.toLowerCase().replace(/[^a-z]/g, '')}`;

/** Counts per level as labelled bars; the numbers are text, the bars only help the eye. */
export function BarList({
  label,
  counts,
  order,
}: {
  label: string;
  counts: Readonly<Record<string, number>> | undefined;
  order: readonly string[];
}) {
  const values = order.map((name) => [name, counts?.[name] ?? 0] as const);
  const max = Math.max(1, ...values.map(([, n]) => n));
  return (
    <figure className="bar-list" aria-label={label}>
      <figcaption>{label}</figcaption>
      <ul>
        {values.map(([name, n]) => (
          <li key={name}>
            <span className="bar-label">{name}</span>
            <span className="bar-track">
              <span className={`bar ${tone(name)}`} style={{ width: `${(100 * n) / max}%` }} />
            </span>
            <span className="bar-value">{counts === undefined ? '…' : formatCount(n)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** A line per series over the days; an SVG with a text summary of the last day for screen readers. */
export function TrendChart({
  label,
  days,
  series,
  empty = 'No daily snapshot yet: one is taken after each findings run.',
  max: top,
}: {
  label: string;
  days: readonly string[];
  /** `tone` names the colour when the name is no level (a subscription): seriesA … seriesD (styles.css). */
  series: readonly { name: string; values: readonly number[]; tone?: string }[];
  /** The summary before the first day. */
  empty?: string;
  /** The top of the scale (100 for percentages); the largest value when absent. */
  max?: number;
}) {
  // About the card's shape at 1280 px, so the default fit (meet) neither stretches the dots nor leaves much room.
  const width = 960;
  const height = 160;
  const max = top ?? Math.max(1, ...series.flatMap((s) => s.values));
  const pad = 6;
  const x = (i: number): number =>
    days.length <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (days.length - 1);
  const y = (v: number): number => height - pad - (v * (height - 2 * pad)) / max;
  const last = days.length - 1;
  const summary =
    last < 0
      ? empty
      : `${days[last] ?? ''}: ${series.map((s) => `${s.name} ${formatCount(s.values[last] ?? 0)}`).join(', ')}`;
  return (
    <figure className="trend">
      <figcaption>{label}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}. ${summary}`}>
        {series.map((s) => (
          <g key={s.name} className={tone(s.tone ?? s.name)}>
            <polyline
              className="line"
              fill="none"
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            />
            {/* Dots, so a single day (a new hub) shows too. */}
            {s.values.map((v, i) => (
              <circle key={days[i]} className="dot" cx={x(i)} cy={y(v)} r={3} />
            ))}
          </g>
        ))}
      </svg>
      <p className="legend">
        {series.map((s) => (
          <span key={s.name} className={`legend-item ${tone(s.tone ?? s.name)}`}>
            {s.name}
          </span>
        ))}
      </p>
      <p className="trend-summary">{summary}</p>
    </figure>
  );
}
