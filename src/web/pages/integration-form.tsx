import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.js';
import type { ConnectionTest, Integration, IntegrationStatus } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { ErrorBox } from '../components/error-box.js';
import { Checkbox, SelectField, TextAreaField, TextField } from '../components/field.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useRequest, type Request } from '../use-request.js';
import { useAction } from '../use-action.js';
import {
  ImportFilters,
  defaultFiltersDraft,
  filtersBody,
  filtersDraftOf,
  type FiltersDraft,
} from '../components/import-filters.js';
import { cloudOfApiBaseUrl, clouds, defenderRegions } from '../../domain/clouds.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge.js';
import { countsPollMs } from '../live.js';

const importToggles = [
  ['assets', 'Import internal assets'],
  ['vulnerabilities', 'Import vulnerabilities'],
  ['alerts', 'Import alerts'],
  ['incidents', 'Import incidents'],
  ['software', 'Import software'],
  ['recommendations', 'Import recommendations'],
  ['entraDevices', 'Import Entra ID devices'],
] as const;
type ImportName = (typeof importToggles)[number][0];
type VisibleSubscription = ConnectionTest['subscriptions'][number];

const customRegion = 'custom';

interface FormState {
  name: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  product: 'endpoint' | 'cloud';
  region: string;
  apiBaseUrl: string;
  authorityHost: string;
  graphBaseUrl: string;
  caPem: string;
  /** Cloud only: empty means the region's cloud's Azure Resource Manager. */
  armBaseUrl: string;
  /** Cloud only: subscription ids as typed (lines or commas); empty means every one the app can read. */
  subscriptions: string;
  enabled: boolean;
  imports: Record<ImportName, boolean>;
  /** Endpoint only: which of Defender's machines become endpoints. */
  filters: FiltersDraft;
}

const blank: FormState = {
  name: '',
  tenantId: '',
  clientId: '',
  clientSecret: '',
  product: 'endpoint',
  region: 'Global',
  apiBaseUrl: '',
  authorityHost: '',
  graphBaseUrl: '',
  caPem: '',
  armBaseUrl: '',
  subscriptions: '',
  enabled: true,
  imports: {
    assets: true,
    vulnerabilities: true,
    alerts: true,
    incidents: true,
    software: true,
    recommendations: true,
    entraDevices: true,
  },
  filters: defaultFiltersDraft,
};

function regionOf(apiBaseUrl: string): string {
  const match = Object.entries(defenderRegions).find(([, r]) => r.apiBaseUrl === apiBaseUrl);
  return match?.[0] ?? customRegion;
}

function fromIntegration(i: Integration): FormState {
  const region = regionOf(i.apiBaseUrl);
  return {
    name: i.name,
    tenantId: i.tenantId,
    clientId: i.clientId,
    clientSecret: '',
    product: i.product,
    region,
    apiBaseUrl: region === customRegion ? i.apiBaseUrl : '',
    authorityHost: i.authorityHost ?? '',
    graphBaseUrl: i.graphBaseUrl ?? '',
    caPem: i.caPem ?? '',
    armBaseUrl: i.armBaseUrl ?? '',
    subscriptions: i.subscriptions.join('\n'),
    enabled: i.enabled,
    imports: i.imports,
    filters: filtersDraftOf(i.filters),
  };
}

/** The subscription ids typed, one per line or comma-separated, each once. */
function subscriptionList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((id) => id !== ''))];
}

/** The Azure Resource Manager a cloud integration gets when the field is empty: the region's cloud's. */
function defaultArmBaseUrl(form: FormState): string {
  if (form.region !== customRegion && form.region in defenderRegions)
    return clouds[defenderRegions[form.region as keyof typeof defenderRegions].cloud].armBaseUrl;
  const cloud = URL.canParse(form.apiBaseUrl) ? cloudOfApiBaseUrl(form.apiBaseUrl) : 'commercial';
  return clouds[cloud].armBaseUrl;
}

/**
 * The API body: empty optional fields left out of a new integration; on an edit an emptied host or CA certificate
 * is sent as null (back to the default), an empty secret left out (the stored one is kept).
 */
function bodyOf(form: FormState, editing: boolean): Record<string, unknown> {
  const optional = (name: string, value: string, trim = true): Record<string, string | null> => {
    if (value.trim() !== '') return { [name]: trim ? value.trim() : value };
    return editing ? { [name]: null } : {};
  };
  return {
    name: form.name,
    tenantId: form.tenantId,
    clientId: form.clientId,
    product: form.product,
    enabled: form.enabled,
    imports: form.imports,
    apiBaseUrl: form.region === customRegion ? form.apiBaseUrl.trim() : form.region,
    ...(form.clientSecret.trim() === '' ? {} : { clientSecret: form.clientSecret.trim() }),
    ...optional('authorityHost', form.authorityHost),
    ...optional('graphBaseUrl', form.graphBaseUrl),
    // The certificate as pasted: compared with the stored one, a trimmed copy would count as a change.
    ...optional('caPem', form.caPem, false),
    // Cloud settings only for a cloud integration, the import filters only for an Endpoint one (each keeps what
    // it has of the other's).
    ...(form.product === 'cloud'
      ? { ...optional('armBaseUrl', form.armBaseUrl), subscriptions: subscriptionList(form.subscriptions) }
      : { filters: filtersBody(form.filters) }),
  };
}

type PermissionRow = ConnectionTest['permissions'][number];

function grantedWord(row: PermissionRow): string {
  if (row.granted === null) return 'Not known';
  return row.granted ? 'Granted' : 'Not granted';
}

/** The permission table: one row per feature, each API that serves it with its permissions (any one will do). */
function Permissions({ result }: { result: ConnectionTest }) {
  return (
    <table aria-label="Permissions" className="permissions">
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">API</th>
          <th scope="col">Permissions (any one)</th>
          <th scope="col">Granted</th>
          <th scope="col">Enables</th>
        </tr>
      </thead>
      <tbody>
        {result.permissions.map((row) => (
          <tr key={row.feature}>
            <th scope="row">{row.label}</th>
            <td>
              {row.sources.map((s) => (
                <div key={s.api}>{s.api}</div>
              ))}
            </td>
            <td>
              {row.sources.map((s) => (
                <div key={s.api}>
                  {s.permissions.map((p, i) => (
                    <span key={p.name}>
                      {i === 0 ? '' : ' or '}
                      <span className={p.granted === true ? 'granted' : undefined}>{p.name}</span>
                      {p.granted === true ? ' ✓' : ''}
                    </span>
                  ))}
                </div>
              ))}
            </td>
            <td>
              <Badge value={grantedWord(row)} />
              {row.note === undefined ? null : <span className="note"> {row.note}</span>}
            </td>
            <td>{row.enables}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a limited integration cannot read, what each needs and what granting it would add. */
function Limits({ limits }: { limits: IntegrationStatus['limits'] }) {
  if (limits.length === 0) return null;
  return (
    <ul className="limits" aria-label="Not permitted">
      {limits.map((l) => (
        <li key={l.feature}>
          {l.needs}. Granting one would add: {l.enables} <span className="note">Accepted: {l.accepted}.</span>
        </li>
      ))}
    </ul>
  );
}

/** A saved integration's connection status, from its latest runs. */
function SavedStatus({ status }: { status: Request<IntegrationStatus> }) {
  if (status.data === undefined) return <ErrorBox error={status.error} />;
  return (
    <section className="integration-status" aria-label="Connection status">
      <p>
        Status: <ConnectionStatusBadge status={status.data} />
      </p>
      <Limits limits={status.data.limits} />
    </section>
  );
}

/** The settings typed as text, which a TextField or a select edits as they are. */
type TextSetting = {
  [K in keyof FormState]: FormState[K] extends string ? (string extends FormState[K] ? K : never) : never;
}[keyof FormState];

type Change = <K extends keyof FormState>(name: K, value: FormState[K]) => void;

function readableNote(readable: boolean | null): string {
  if (readable === null) return 'not tried';
  return readable ? 'readable' : 'not readable: needs Security Reader';
}

/**
 * Defender for Cloud's settings: the ARM host and the subscriptions, typed or ticked from the ones the last
 * Test connection found (ticking edits the typed list, so the list stays the one thing saved).
 */
function CloudFields({
  form,
  found,
  change,
}: {
  form: FormState;
  found: readonly VisibleSubscription[];
  change: Change;
}) {
  const fallback = defaultArmBaseUrl(form);
  const chosen = subscriptionList(form.subscriptions);
  const toggle = (id: string, on: boolean): void => {
    const rest = chosen.filter((c) => c.toLowerCase() !== id.toLowerCase());
    change('subscriptions', (on ? [...rest, id] : rest).join('\n'));
  };
  return (
    <>
      <TextField
        label="Azure Resource Manager URL"
        hint={`Empty: ${fallback} (the region's cloud)`}
        type="url"
        placeholder={fallback}
        value={form.armBaseUrl}
        onChange={(v) => {
          change('armBaseUrl', v);
        }}
      />
      <TextAreaField
        label="Subscriptions"
        hint="Subscription IDs, one per line or comma-separated; empty: every subscription the app can read"
        rows={3}
        value={form.subscriptions}
        onChange={(v) => {
          change('subscriptions', v);
        }}
      />
      {found.length === 0 ? null : (
        <fieldset className="toggles">
          <legend>Subscriptions found by Test connection</legend>
          {found.map((s) => (
            <Checkbox
              key={s.subscriptionId}
              checked={chosen.some((c) => c.toLowerCase() === s.subscriptionId.toLowerCase())}
              onChange={(on) => {
                toggle(s.subscriptionId, on);
              }}
            >
              {s.displayName} ({s.subscriptionId}) <span className="hint">{readableNote(s.readable)}</span>
            </Checkbox>
          ))}
        </fieldset>
      )}
    </>
  );
}

function stepWord(step: ConnectionTest['steps'][number]): string {
  if (!step.ok) return 'Failed';
  return step.code === 'TEST_STEP_NOT_PERMITTED' ? 'Not permitted' : 'Succeeded';
}

function TestResult({ result }: { result: ConnectionTest }) {
  return (
    <section className="test-result" aria-label="Connection test result">
      <h3>
        Connection test: <Badge value={result.ok ? 'Succeeded' : 'Failed'} label="Connection test" />
      </h3>
      <p className="test-label">{result.label}</p>
      <ol className="steps">
        {result.steps.map((s) => (
          <li key={s.name} className={s.ok ? 'ok' : 'failed'}>
            <span className="step-name">{s.name}</span> <Badge value={stepWord(s)} />{' '}
            <span className="ms">{Math.round(s.ms)} ms</span>
            {s.message === undefined ? null : (
              <p className={s.ok ? 'step-note' : 'step-message'}>{s.message}</p>
            )}
          </li>
        ))}
      </ol>
      {result.permissions.length === 0 ? null : <Permissions result={result} />}
      <p>
        Secret expires: {formatTime(result.credential.expiresAt)}
        {result.credential.warnings.map((w) => (
          <span key={w.code} className={`warning warning-${w.level}`}>
            {' '}
            {w.message}
          </span>
        ))}
      </p>
    </section>
  );
}

export function IntegrationFormPage() {
  const { id } = useParams();
  const editing = id !== undefined && id !== 'new';
  const saved = useRequest<Integration>(editing ? `/integrations/${encodeURIComponent(id)}` : null, {
    fresh: true,
  });
  // At the dashboard's pace: a sync in the background changes it.
  const status = useRequest<IntegrationStatus>(
    editing ? `/integrations/${encodeURIComponent(id)}/status` : null,
    {
      poll: () => countsPollMs,
    },
  );
  // The status and the form appear together: the status answering later would push the form down.
  const answered = (r: { data: unknown; error: Error | undefined }): boolean =>
    r.data !== undefined || r.error !== undefined;
  const loading = editing && (saved.data === undefined || !answered(status));
  return (
    <section>
      <p className="crumbs">
        <Link to="/integrations">Integrations</Link>
      </p>
      <h1>{editing ? `Integration ${saved.data?.name ?? ''}` : 'New integration'}</h1>
      <ErrorBox error={saved.error} />
      {saved.data === undefined || loading ? null : <SavedStatus status={status} />}
      {/* The form appears with the saved settings in it: filled in later, its sections would open and move. */}
      {loading ? (
        saved.error === undefined ? (
          <p className="placeholder" role="status">
            Loading…
          </p>
        ) : null
      ) : (
        <IntegrationForm key={saved.data?.id ?? 'new'} saved={saved.data} />
      )}
    </section>
  );
}

/** The settings form, for a new integration (`saved` undefined) or a saved one. */
function IntegrationForm({ saved }: { saved: Integration | undefined }) {
  const navigate = useNavigate();
  const { may } = useSession();
  const [form, setForm] = useState<FormState>(() => (saved === undefined ? blank : fromIntegration(saved)));
  // Saving changes the integration; testing a saved one records its credential check in its status.
  const action = useAction(['/integrations']);
  const [asked, setAsked] = useState<'test' | 'save'>();
  const busy = action.busy ? asked : undefined;
  const error = action.error;
  const [result, setResult] = useState<ConnectionTest>();
  const editing = saved !== undefined;
  const path = saved === undefined ? undefined : `/integrations/${encodeURIComponent(saved.id)}`;

  const change = <K extends keyof FormState>(name: K, value: FormState[K]): void => {
    setForm((f) => ({ ...f, [name]: value }));
  };
  /** A text setting's value and its change, as a field takes them. */
  const bind = (name: TextSetting) => ({
    value: form[name],
    onChange: (value: string): void => {
      change(name, value);
    },
  });
  const run = (kind: 'test' | 'save', work: () => Promise<void>): void => {
    setAsked(kind);
    action.run(work);
  };
  const test = (): void => {
    run('test', async () => {
      setResult(undefined);
      // A saved integration is tested with the form's edits, unsaved, and its stored secret unless a new one is typed.
      const answer =
        path === undefined
          ? await api<ConnectionTest>('POST', '/integrations/test', bodyOf(form, false))
          : await api<ConnectionTest>('POST', `${path}/test`, bodyOf(form, true));
      setResult(answer);
      // A new integration starts with the imports its permissions allow: none begins as "not permitted".
      const allowed = answer.importsAllowed;
      if (path === undefined && answer.ok && allowed !== null) change('imports', allowed);
    });
  };
  const save = (event: SyntheticEvent): void => {
    event.preventDefault();
    run('save', async () => {
      const answer =
        path === undefined
          ? await api<Integration>('POST', '/integrations', bodyOf(form, false))
          : await api<Integration>('PATCH', path, bodyOf(form, true));
      void navigate(`/integrations/${encodeURIComponent(answer.id)}/history`);
    });
  };
  const readOnly = !may('admin');
  const secretSetAt = saved?.credential.setAt;

  return (
    <>
      <form className="integration-form" onSubmit={save} aria-label="Integration settings">
        <fieldset disabled={readOnly}>
          <TextField label="Name" required {...bind('name')} />
          <SelectField
            label="Defender product"
            value={form.product}
            onChange={(v) => {
              change('product', v === 'cloud' ? 'cloud' : 'endpoint');
            }}
          >
            <option value="endpoint">Endpoint</option>
            <option value="cloud">Cloud</option>
          </SelectField>
          <TextField
            label="Tenant ID"
            hint="Directory (tenant) ID: a GUID or contoso.onmicrosoft.com"
            required
            {...bind('tenantId')}
          />
          <TextField
            label="Client ID"
            hint="The app registration's Application (client) ID"
            required
            {...bind('clientId')}
          />
          <TextField
            label="Client secret"
            hint={
              secretSetAt === undefined
                ? 'Write-only: it is stored encrypted and never shown again'
                : `Set ${formatTime(secretSetAt)}; leave empty to keep it`
            }
            type="password"
            autoComplete="new-password"
            required={!editing}
            {...bind('clientSecret')}
          />
          <SelectField label="Region" hint="Where the tenant's Defender API lives" {...bind('region')}>
            {Object.entries(defenderRegions).map(([name, r]) => (
              <option key={name} value={name}>
                {name} ({r.apiBaseUrl})
              </option>
            ))}
            <option value={customRegion}>Custom base URL</option>
          </SelectField>
          {form.region === customRegion ? (
            <TextField label="API base URL" type="url" required {...bind('apiBaseUrl')} />
          ) : null}
          {form.product === 'cloud' ? (
            <CloudFields form={form} found={result?.subscriptions ?? []} change={change} />
          ) : null}
          <details open={form.authorityHost !== '' || form.graphBaseUrl !== '' || form.caPem !== ''}>
            <summary>Sign-in host, Graph and certificate authority</summary>
            <TextField
              label="Authority host"
              hint="Empty: Microsoft's sign-in for the region's cloud"
              type="url"
              {...bind('authorityHost')}
            />
            <TextField
              label="Graph base URL"
              hint="Empty: Graph of the region's cloud"
              type="url"
              {...bind('graphBaseUrl')}
            />
            <TextAreaField
              label="CA certificate (PEM)"
              hint="Only behind an inspecting proxy, or for the simulator; empty: the system's trusted certificates"
              rows={4}
              {...bind('caPem')}
            />
          </details>
          {/* The import toggles are Defender for Endpoint's: a cloud integration reads its posture whole. */}
          {form.product === 'cloud' ? null : (
            <fieldset className="toggles">
              <legend>What to import</legend>
              {importToggles.map(([name, label]) => (
                <Checkbox
                  key={name}
                  checked={form.imports[name]}
                  onChange={(on) => {
                    change('imports', { ...form.imports, [name]: on });
                  }}
                >
                  {label}
                </Checkbox>
              ))}
            </fieldset>
          )}
          {form.product === 'cloud' ? null : (
            <ImportFilters
              value={form.filters}
              onChange={(filters) => {
                change('filters', filters);
              }}
            />
          )}
          <Checkbox
            checked={form.enabled}
            onChange={(on) => {
              change('enabled', on);
            }}
          >
            Enabled
          </Checkbox>
        </fieldset>
        <ErrorBox error={error} />
        {readOnly ? null : (
          <div className="buttons">
            <button type="button" className="secondary" disabled={busy !== undefined} onClick={test}>
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" disabled={busy !== undefined}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
      {result === undefined ? null : <TestResult result={result} />}
    </>
  );
}
