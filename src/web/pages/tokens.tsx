import { api } from '../api.js';
import type { Column } from '../components/data-table.js';
import { DeleteButton, IssuingPage } from '../components/issuing-page.js';
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

  const create = async (name: string, role: Role): Promise<string> => {
    const answer = await api<{ token: string }>('POST', '/tokens', { name, role });
    return answer.token;
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
          <DeleteButton action={change} path={`/tokens/${t.id}`}>
            Revoke {t.name}
          </DeleteButton>
        ),
    },
  ];
  return (
    <IssuingPage
      title="API tokens"
      form={{
        label: 'Create API token',
        nameLabel: 'Token name',
        submitLabel: 'Create token',
        roles: roles.filter((r) => may(r)),
      }}
      secretLabel="The token"
      issue={create}
      action={change}
      list={tokens}
      columns={columns}
    />
  );
}
