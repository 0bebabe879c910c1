import { useState, type SyntheticEvent } from 'react';
import { api } from '../api.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { Field } from '../components/field.js';
import { OnceSecret } from '../components/once-secret.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useAction } from '../use-action.js';
import { useRequest } from '../use-request.js';
import { roles, type Role } from '../../domain/roles.js';

interface Token {
  id: number;
  name: string;
  role: Role;
  username: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function TokensPage() {
  const { may } = useSession();
  const tokens = useRequest<{ items: Token[] }>('/tokens');
  const change = useAction();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [value, setValue] = useState<string>();

  const create = (event: SyntheticEvent): void => {
    event.preventDefault();
    change.run(async () => {
      const answer = await api<{ token: string }>('POST', '/tokens', { name: name.trim(), role });
      setValue(answer.token);
      setName('');
      tokens.reload();
    });
  };
  const columns: readonly Column<Token>[] = [
    { id: 'name', header: 'Name', cell: (t) => t.name },
    { id: 'role', header: 'Role', cell: (t) => t.role },
    { id: 'owner', header: 'Created by', cell: (t) => t.username },
    { id: 'created', header: 'Created', cell: (t) => formatTime(t.createdAt) },
    { id: 'used', header: 'Last used', cell: (t) => formatTime(t.lastUsedAt) },
    {
      id: 'revoke',
      header: 'Revoke',
      cell: (t) =>
        t.revokedAt !== null ? (
          `Revoked ${formatTime(t.revokedAt)}`
        ) : (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              change.run(async () => {
                await api('DELETE', `/tokens/${t.id}`);
                tokens.reload();
              });
            }}
          >
            Revoke {t.name}
          </button>
        ),
    },
  ];
  return (
    <section>
      <h1>API tokens</h1>
      <form className="inline-form" onSubmit={create} aria-label="Create API token">
        <Field label="Token name" className="filter">
          {(p) => (
            <input
              {...p}
              required
              value={name}
              onChange={(e) => {
                setName(e.target.value);
              }}
            />
          )}
        </Field>
        <Field label="Role" className="filter">
          {(p) => (
            <select
              {...p}
              value={role}
              onChange={(e) => {
                setRole(e.target.value as Role);
              }}
            >
              {roles
                .filter((r) => may(r))
                .map((r) => (
                  <option key={r}>{r}</option>
                ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={change.busy}>
          Create token
        </button>
      </form>
      <OnceSecret label="The token" value={value} />
      <ErrorBox error={change.error ?? tokens.error} />
      <DataTable
        label="API tokens"
        columns={columns}
        rows={tokens.data?.items}
        rowKey={(t) => t.id}
        loading={tokens.loading}
      />
    </section>
  );
}
