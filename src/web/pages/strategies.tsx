import { useEffect, useState, type SyntheticEvent } from 'react';
import { api, asError, type Page } from '../api.js';
import type { Strategy, StrategyCheck, StrategyField } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { TextAreaField, TextField } from '../components/field.js';
import { patchColumns, patchKey } from '../components/patch-columns.js';
import { formatCount, text } from '../format.js';
import { useSession } from '../session.js';
import { useAction } from '../use-action.js';
import { useRequest } from '../use-request.js';
import { useUrlState } from '../url-state.js';
import type { Patch } from '../api-types.js';

type Check = StrategyCheck & { matchingPatches?: number };

/** The expression's line with a caret under the column the language stopped at. */
function ProblemAt({ expression, check }: { expression: string; check: Extract<Check, { ok: false }> }) {
  const { line, column, message } = check.error;
  const source = expression.split('\n')[line - 1] ?? '';
  return (
    <div className="strategy-problem" role="alert">
      <p>
        Line {line}, column {column}: {message}
      </p>
      <pre aria-label="Where">
        {source}
        {'\n'}
        {' '.repeat(Math.max(0, column - 1))}^
      </pre>
    </div>
  );
}

/** Checks the expression a moment after typing stops, with the number of patches it would select. */
function useLiveCheck(expression: string): { check: Check | undefined; error: Error | undefined } {
  const [check, setCheck] = useState<Check>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    if (expression.trim() === '') {
      setCheck(undefined);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      api<Check>('POST', '/patch-strategies/validate', { expression, count: true }).then(
        (answer) => {
          if (!current) return;
          setCheck(answer);
          setError(undefined);
        },
        (e: unknown) => {
          if (current) setError(asError(e));
        },
      );
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [expression]);
  return { check, error };
}

function Matches({ id }: { id: number }) {
  const url = useUrlState();
  const page = Number(url.value('page', '1')) || 1;
  const matches = useRequest<Page<Patch>>(`/patch-strategies/${id}/matches?endpointLimit=0&page=${page}`);
  return (
    <>
      <h2>Matching patches</h2>
      <ErrorBox error={matches.error} />
      <DataTable
        label="Matching patches"
        columns={patchColumns}
        rows={matches.data?.items}
        rowKey={patchKey}
        loading={matches.loading}
        total={matches.data?.total}
        page={page}
        pageSize={matches.data?.pageSize ?? 50}
        onPage={(n) => {
          url.set({ page: n }, { keepPage: true });
        }}
      />
    </>
  );
}

export function StrategiesPage() {
  const { may } = useSession();
  const url = useUrlState();
  const strategies = useRequest<{ items: Strategy[] }>('/patch-strategies');
  const fields = useRequest<{ items: StrategyField[] }>('/patch-strategies/fields');
  const selectedId = Number(url.value('strategy')) || undefined;
  const selected = strategies.data?.items.find((s) => s.id === selectedId);
  const [name, setName] = useState('');
  const [expression, setExpression] = useState('');
  const live = useLiveCheck(expression);
  // A saved strategy changes the list and, with its expression, the patches it matches.
  const change = useAction(['/patch-strategies']);

  useEffect(() => {
    setName(selected?.name ?? '');
    setExpression(selected?.expression ?? '');
  }, [selected]);

  const save = (event: SyntheticEvent): void => {
    event.preventDefault();
    change.run(async () => {
      const body = { name: name.trim(), expression };
      const answer =
        selected === undefined
          ? await api<Strategy>('POST', '/patch-strategies', body)
          : await api<Strategy>('PATCH', `/patch-strategies/${selected.id}`, body);
      url.set({ strategy: answer.id });
    });
  };
  const columns: readonly Column<Strategy>[] = [
    {
      id: 'name',
      header: 'Strategy',
      cell: (s) => (
        <button
          type="button"
          className="link"
          onClick={() => {
            url.set({ strategy: s.id });
          }}
        >
          {s.name}
        </button>
      ),
    },
    { id: 'expression', header: 'Filter expression', cell: (s) => <code>{s.expression}</code> },
    { id: 'description', header: 'Description', cell: (s) => text(s.description) },
  ];
  const check = live.check;
  return (
    <section>
      <h1>Patch strategies</h1>
      <ErrorBox error={strategies.error} />
      <DataTable
        label="Patch strategies"
        columns={columns}
        rows={strategies.data?.items}
        rowKey={(s) => s.id}
        loading={strategies.loading}
        empty="No strategy yet."
      />
      <form className="strategy-editor" onSubmit={save} aria-label="Strategy editor">
        <h2>{selected === undefined ? 'New strategy' : `Edit ${selected.name}`}</h2>
        <fieldset disabled={!may('admin')}>
          <TextField label="Strategy name" required value={name} onChange={setName} />
          <TextAreaField
            label="Filter expression"
            code
            rows={4}
            value={expression}
            placeholder={'Defender.SeverityLevel >= "High" and Defender.KnownExploitExists = true'}
            aria-invalid={check?.ok === false}
            onChange={setExpression}
          />
        </fieldset>
        <div aria-live="polite" className="strategy-check">
          {check === undefined ? null : check.ok ? (
            <p className="ok">
              Valid: <strong>{formatCount(check.matchingPatches)}</strong> matching patches
            </p>
          ) : (
            <ProblemAt expression={expression} check={check} />
          )}
        </div>
        <ErrorBox error={live.error ?? change.error} />
        {may('admin') ? (
          <div className="buttons">
            <button type="submit" disabled={change.busy || check?.ok !== true}>
              Save strategy
            </button>
            {selected === undefined ? null : (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  url.set({ strategy: undefined });
                }}
              >
                New strategy
              </button>
            )}
          </div>
        ) : null}
      </form>
      <details className="field-reference">
        <summary>Fields</summary>
        <ul>
          {(fields.data?.items ?? []).map((f) => (
            <li key={f.name}>
              <code>{f.name}</code> ({f.type}, {f.scope}): {f.description}
            </li>
          ))}
        </ul>
      </details>
      {selected === undefined ? null : <Matches id={selected.id} />}
    </section>
  );
}
