import {
  useId,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

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
  className?: string | undefined;
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

/** What every field below takes: the label and hint, the wrapper's class, and the text it edits. */
interface FieldOf {
  label: string;
  hint?: string | undefined;
  /** The wrapper's class, as Field takes it ("field", or "filter" in a row of controls). */
  className?: string;
  value: string;
  onChange: (value: string) => void;
}

/** The control's own attributes, less those the field sets (its id, description, value and change). */
type Rest<A> = Omit<A, 'id' | 'aria-describedby' | 'value' | 'onChange' | 'className'>;

/** What the control gets from its field: its id and description, its text and the change handed up. */
type Bound<E> = ControlProps & { value: string; onChange: (event: ChangeEvent<E>) => void };

/** The Field around a control, bound to `value` and `onChange`; `control` draws it with the rest of the props. */
function labelled<R extends object, E extends { value: string }>(
  { label, hint, className, value, onChange, ...rest }: FieldOf & R,
  control: (rest: Omit<FieldOf & R, keyof FieldOf>, bound: Bound<E>) => ReactNode,
) {
  return (
    <Field label={label} hint={hint} className={className}>
      {(p) =>
        control(rest, {
          ...p,
          value,
          onChange: (e) => {
            onChange(e.target.value);
          },
        })
      }
    </Field>
  );
}

/** A labelled text box (any `type`: url, password…) that hands its text up on every keystroke. */
export function TextField(props: FieldOf & Rest<InputHTMLAttributes<HTMLInputElement>>) {
  return labelled(props, (input, bound: Bound<HTMLInputElement>) => <input {...input} {...bound} />);
}

/**
 * A labelled text area; `code` is for a query or an expression: set in the code font, and not spell-checked
 * (the checker would underline every field name).
 */
export function TextAreaField(
  props: FieldOf & { code?: boolean } & Rest<TextareaHTMLAttributes<HTMLTextAreaElement>>,
) {
  return labelled(props, ({ code = false, ...textarea }, bound: Bound<HTMLTextAreaElement>) => (
    <textarea {...(code ? { className: 'code', spellCheck: false } : {})} {...textarea} {...bound} />
  ));
}

/** A labelled select: `children` are its options, the chosen one's value is handed up. */
export function SelectField(
  props: FieldOf & { children: ReactNode } & Rest<SelectHTMLAttributes<HTMLSelectElement>>,
) {
  return labelled(props, (select, bound: Bound<HTMLSelectElement>) => <select {...select} {...bound} />);
}

/** A checkbox with its label around it, as the forms' toggles are drawn; `children` is the label's text. */
export function Checkbox({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          onChange(e.target.checked);
        }}
      />
      {children}
    </label>
  );
}
