import { useState } from 'react';
import { api } from '../api.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { NameRoleForm } from '../components/name-role-form.js';
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
  const change = useAction(['/tokens']);
  const [value, setValue] = useState<string>();

  const create = async (name: string, role: Role): Promise<void> => {
    const answer = await api<{ token: string }>('POST', '/tokens', { name, role });
    setValue(answer.token);
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
      <NameRoleForm
        label="Create API token"
        nameLabel="Token name"
        submitLabel="Create token"
        roles={roles.filter((r) => may(r))}
        action={change}
        onSubmit={create}
      />
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
