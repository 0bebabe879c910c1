import { useState } from 'react';
import { api } from '../api.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { NameRoleForm } from '../components/name-role-form.js';
import { OnceSecret } from '../components/once-secret.js';
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
  const [password, setPassword] = useState<string>();

  const add = async (username: string, role: Role): Promise<void> => {
    const answer = await api<{ password?: string }>('POST', '/users', { username, role });
    setPassword(answer.password);
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
        <button
          type="button"
          className="secondary"
          onClick={() => {
            if (!window.confirm(`Remove ${u.username}? Their sessions and tokens end.`)) return;
            change.run(async () => {
              await api('DELETE', `/users/${u.id}`);
            });
          }}
        >
          Remove {u.username}
        </button>
      ),
    },
  ];
  return (
    <section>
      <h1>Users</h1>
      <NameRoleForm
        label="Add user"
        nameLabel="Username"
        submitLabel="Add user"
        roles={roles}
        action={change}
        onSubmit={add}
      />
      <OnceSecret label="Their password" value={password} />
      <ErrorBox error={change.error ?? users.error} />
      <DataTable
        label="Users"
        columns={columns}
        rows={users.data?.items}
        rowKey={(u) => u.id}
        loading={users.loading}
      />
    </section>
  );
}
