import { useState, type SyntheticEvent } from 'react';
import type { Role } from '../api-types.js';
import { SelectField, TextField } from './field.js';
import type { Action } from '../use-action.js';

/** A name and a role, as adding a user and creating a token both ask; the name is cleared once it is taken. */
export function NameRoleForm({
  label,
  nameLabel,
  submitLabel,
  roles,
  action,
  onSubmit,
}: {
  label: string;
  nameLabel: string;
  submitLabel: string;
  roles: readonly Role[];
  /** The page's action, whose error the page shows. */
  action: Action;
  onSubmit: (name: string, role: Role) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    action.run(async () => {
      await onSubmit(name.trim(), role);
      setName('');
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={label}>
      <TextField label={nameLabel} className="filter" required value={name} onChange={setName} />
      <SelectField
        label="Role"
        className="filter"
        value={role}
        onChange={(v) => {
          setRole(roles.find((r) => r === v) ?? 'viewer');
        }}
      >
        {roles.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </SelectField>
      <button type="submit" disabled={action.busy}>
        {submitLabel}
      </button>
    </form>
  );
}
