import { useId, type ReactNode } from 'react';

export interface ControlProps {
  readonly id: string;
  readonly 'aria-describedby'?: string;
}

/**
 * A labelled control with an optional hint: the label names the control alone (so "Tenant ID" is its whole
 * accessible name) and the hint is its description.
 */
export function Field({
  label,
  hint,
  className = 'field',
  children,
}: {
  label: string;
  hint?: string | undefined;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={className}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {children(hint === undefined ? { id } : { id, 'aria-describedby': hintId })}
      {hint === undefined ? null : (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}
