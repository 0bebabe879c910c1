import { useEffect, useState } from 'react';
import type { useUrlState } from '../url-state.js';
import { Field } from './field.js';
import { useIntegrationOptions } from '../options.js';
import { riskLevels, severityLevels } from '../../domain/levels.js';

type UrlState = ReturnType<typeof useUrlState>;

/** A select bound to a URL parameter; the first option ("Any") clears it. */
export function SelectFilter({
  url,
  name,
  label,
  options,
}: {
  url: UrlState;
  name: string;
  label: string;
  options: readonly (string | { value: string; label: string })[];
}) {
  return (
    <Field label={label} className="filter">
      {(p) => (
        <select
          {...p}
          value={url.value(name)}
          onChange={(e) => {
            url.set({ [name]: e.target.value });
          }}
        >
          <option value="">Any</option>
          {options.map((o) => {
            const { value, label: text } = typeof o === 'string' ? { value: o, label: o } : o;
            return (
              <option key={value} value={value}>
                {text}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

/** A text box bound to a URL parameter, written to the URL a moment after typing stops (one request, not ten). */
export function TextFilter({
  url,
  name,
  label,
  placeholder,
}: {
  url: UrlState;
  name: string;
  label: string;
  placeholder?: string;
}) {
  const current = url.value(name);
  const [draft, setDraft] = useState(current);
  useEffect(() => {
    setDraft(current);
  }, [current]);
  useEffect(() => {
    if (draft === current) return;
    const timer = window.setTimeout(() => {
      url.set({ [name]: draft.trim() });
    }, 300);
    return () => {
      window.clearTimeout(timer);
    };
  }, [draft, current, name, url]);
  return (
    <Field label={label} className="filter">
      {(p) => (
        <input
          {...p}
          type="search"
          value={draft}
          placeholder={placeholder}
          onChange={(e) => {
            setDraft(e.target.value);
          }}
        />
      )}
    </Field>
  );
}

/** The hub's risk scale as a filter (`riskLevel=`), the worst first: endpoints and cloud resources share it. */
export function RiskLevelFilter({ url }: { url: UrlState }) {
  return <SelectFilter url={url} name="riskLevel" label="Risk level" options={[...riskLevels].reverse()} />;
}

/** A yes-or-no filter's options: the API takes the words true and false. */
export const yesNoOptions = [
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
] as const;

/** `severity=`, on Defender's scale, the worst first; `label` is the list's own name for it. */
export function SeverityFilter({ url, label }: { url: UrlState; label: string }) {
  return <SelectFilter url={url} name="severity" label={label} options={[...severityLevels].reverse()} />;
}

/** `networkAccessible=`: the CVE's CVSS attack vector is Network (AV:N), or another one. */
export function NetworkAccessibleFilter({ url }: { url: UrlState }) {
  return (
    <SelectFilter
      url={url}
      name="networkAccessible"
      label="Network accessible (AV:N)"
      options={yesNoOptions}
    />
  );
}

/** `integration=`: one of the hub's integrations, by name (the lists of findings, alerts and devices share it). */
export function IntegrationFilter({ url }: { url: UrlState }) {
  const integrations = useIntegrationOptions();
  return <SelectFilter url={url} name="integration" label="Integration" options={integrations} />;
}

/** One CVE (`cve=`), as the API takes it: the whole id. */
export function CveFilter({ url }: { url: UrlState }) {
  return <TextFilter url={url} name="cve" label="CVE" placeholder="CVE-2024-12345" />;
}
