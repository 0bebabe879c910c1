import { useState, type ReactNode } from 'react';
import { api } from '../api.js';
import type { Role } from '../api-types.js';
import { DataTable, type Column } from './data-table.js';
import { ErrorBox } from './error-box.js';
import { NameRoleForm } from './name-role-form.js';
import { OnceSecret } from './once-secret.js';
import type { Action } from '../use-action.js';
import type { Request } from '../use-request.js';

/**
 * A page that issues credentials by name and role (users, API tokens): the form, the secret the hub answers
 * with (shown once), the error of the last change and the list. `issue` creates one and answers with its
 * secret, or with none when the hub generated none.
 */
export function IssuingPage<T extends { id: number }>({
  title,
  form,
  secretLabel,
  issue,
  action,
  list,
  columns,
}: {
  title: string;
  form: { label: string; nameLabel: string; submitLabel: string; roles: readonly Role[] };
  secretLabel: string;
  issue: (name: string, role: Role) => Promise<string | undefined>;
  /** The page's changes (issue, edit, remove), whose error shows above the list. */
  action: Action;
  list: Request<{ items: T[] }>;
  columns: readonly Column<T>[];
}) {
  const [secret, setSecret] = useState<string>();
  return (
    <section>
      <h1>{title}</h1>
      <NameRoleForm
        {...form}
        action={action}
        onSubmit={async (name, role) => {
          setSecret(await issue(name, role));
        }}
      />
      <OnceSecret label={secretLabel} value={secret} />
      <ErrorBox error={action.error ?? list.error} />
      <DataTable
        label={title}
        columns={columns}
        rows={list.data?.items}
        rowKey={(row) => row.id}
        loading={list.loading}
      />
    </section>
  );
}

/** A row's button that DELETEs `path` through the page's action, after `confirm` is answered yes (if given). */
export function DeleteButton({
  action,
  path,
  confirm,
  children,
}: {
  action: Action;
  path: string;
  confirm?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        if (confirm !== undefined && !window.confirm(confirm)) return;
        action.run(async () => {
          await api('DELETE', path);
        });
      }}
    >
      {children}
    </button>
  );
}
