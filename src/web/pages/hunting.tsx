import { useEffect, useState, type SyntheticEvent } from 'react';
import { api, get, withQuery } from '../api.js';
import type { HuntingResultPage, SavedHuntingQuery } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { useIntegrationOptions } from '../options.js';
import { useSession } from '../session.js';
import { useRequest } from '../use-request.js';
import { useAction } from '../use-action.js';

type Row = Record<string, unknown>;

const sample =
  'DeviceInfo\n| where OSPlatform == "Windows11"\n| project DeviceId, DeviceName, OSPlatform\n| take 100';

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

export function HuntingPage() {
  const { may } = useSession();
  const integrations = useIntegrationOptions();
  const saved = useRequest<{ items: SavedHuntingQuery[] }>('/hunting/queries');
  const [integration, setIntegration] = useState('');
  const [query, setQuery] = useState(sample);
  const [name, setName] = useState('');
  const [result, setResult] = useState<HuntingResultPage>();
  const { busy, error, run: attempt } = useAction();
  // An action of its own: running a query keeps nothing, so only a save reads the saved queries again.
  const saving = useAction(['/hunting/queries']);

  useEffect(() => {
    if (integration === '' && integrations[0] !== undefined) setIntegration(integrations[0].value);
  }, [integration, integrations]);

  const run = (event: SyntheticEvent): void => {
    event.preventDefault();
    attempt(async () => {
      setResult(await api<HuntingResultPage>('POST', '/hunting/query', { integration, query }));
    });
  };
  const page = (n: number): void => {
    if (result === undefined) return;
    attempt(async () => {
      setResult(
        await get<HuntingResultPage>(`/hunting/results/${result.resultId}`, {
          page: n,
          pageSize: result.pageSize,
        }),
      );
    });
  };
  const save = (): void => {
    saving.run(async () => {
      await api('POST', '/hunting/queries', { name: name.trim(), query });
    });
  };
  const columns: Column<Row>[] = (result?.schema ?? []).map((c) => ({
    id: c.name,
    header: c.name,
    cell: (row) => cellText(row[c.name]),
  }));
  return (
    <section>
      <h1>Advanced hunting</h1>
      <form className="hunting" onSubmit={run} aria-label="Hunting query">
        <div className="filters">
          <SelectField label="Integration" className="filter" value={integration} onChange={setIntegration}>
            {integrations.map((i) => (
              <option key={i.value} value={i.value}>
                {i.label}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Saved queries"
            className="filter"
            value=""
            onChange={(v) => {
              const chosen = saved.data?.items.find((q) => String(q.id) === v);
              if (chosen !== undefined) {
                setQuery(chosen.query);
                setName(chosen.name);
              }
            }}
          >
            <option value="">Load…</option>
            {(saved.data?.items ?? []).map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </SelectField>
        </div>
        <TextAreaField label="Query (KQL)" code rows={8} value={query} onChange={setQuery} />
        <div className="buttons">
          <button type="submit" disabled={busy || !may('analyst') || integration === ''}>
            {busy ? 'Running…' : 'Run query'}
          </button>
          {may('analyst') ? (
            <>
              <TextField label="Name" className="filter" value={name} onChange={setName} />
              <button
                type="button"
                className="secondary"
                disabled={busy || saving.busy || name.trim() === ''}
                onClick={save}
              >
                Save query
              </button>
            </>
          ) : null}
        </div>
      </form>
      <ErrorBox error={error ?? saving.error ?? saved.error} />
      {result === undefined ? null : (
        <>
          <p className="buttons">
            {(['csv', 'json', 'ndjson'] as const).map((format) => (
              <a
                key={format}
                className="button secondary"
                href={withQuery(`/api/v1/hunting/results/${result.resultId}/export`, { format })}
                download
              >
                Export {format.toUpperCase()}
              </a>
            ))}
            <span className="note">
              Answered by {result.source === 'graph' ? 'Microsoft Graph' : 'the Defender API'}; kept until{' '}
              {result.expiresAt}
            </span>
          </p>
          <DataTable
            label="Hunting results"
            columns={columns}
            rows={result.items}
            rowKey={(_row, index) => index}
            loading={busy}
            total={result.total}
            page={result.page}
            pageSize={result.pageSize}
            onPage={page}
          />
        </>
      )}
    </section>
  );
}
