import { api } from '../api.js';
import type { Column } from '../components/data-table.js';
import { DeleteButton, IssuingPage } from '../components/issuing-page.js';
import { formatTime } from '../format.js';
import { useAction } from '../use-action.js';
import { useRequest } from '../use-request.js';
import { roles, type Role } from '../../domain/roles.js';

interface User {
  id: number;
  username: string;
  role: Role;
  lastLoginAt: string | null;
  lockedUntil: string | null;
  createdAt: string;
}

export function UsersPage() {
  const users = useRequest<{ items: User[] }>('/users');
  const change = useAction(['/users']);

  const add = async (username: string, role: Role): Promise<string | undefined> => {
    const answer = await api<{ password?: string }>('POST', '/users', { username, role });
    return answer.password;
  };
  const columns: readonly Column<User>[] = [
    { id: 'name', header: 'Username', cell: (u) => u.username },
    {
      id: 'role',
      header: 'Role',
      cell: (u) => (
        <select
          aria-label={`Role of ${u.username}`}
          value={u.role}
          onChange={(e) => {
            change.run(async () => {
              await api('PATCH', `/users/${u.id}`, { role: e.target.value });
            });
          }}
        >
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      ),
    },
    { id: 'login', header: 'Last sign-in', cell: (u) => formatTime(u.lastLoginAt) },
    { id: 'locked', header: 'Locked until', cell: (u) => formatTime(u.lockedUntil) },
    {
      id: 'remove',
      header: 'Remove',
      cell: (u) => (
        <DeleteButton
          action={change}
          path={`/users/${u.id}`}
          confirm={`Remove ${u.username}? Their sessions and tokens end.`}
        >
          Remove {u.username}
        </DeleteButton>
      ),
    },
  ];
  return (
    <IssuingPage
      title="Users"
      form={{ label: 'Add user', nameLabel: 'Username', submitLabel: 'Add user', roles }}
      secretLabel="Their password"
      issue={add}
      action={change}
      list={users}
      columns={columns}
    />
  );
}
