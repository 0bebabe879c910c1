import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { api, asError, get } from '../api.js';
import type { Action, ActionOutcome, EndpointDetail, Integration } from '../api-types.js';
import { useSession } from '../session.js';
import { Badge } from './badge.js';
import { ErrorBox } from './error-box.js';
import { Field } from './field.js';
import { usePolling } from '../use-request.js';
import { useAction } from '../use-action.js';
import { protectionReason } from '../../domain/protected-devices.js';

type Kind = 'scan' | 'isolate' | 'release';

const finalStatuses = new Set(['Succeeded', 'Failed', 'Cancelled', 'TimeOut']);

const submitLabels: Readonly<Record<Kind, string>> = {
  scan: 'Start scan',
  isolate: 'Confirm isolation',
  release: 'Confirm release',
};

const titles: Readonly<Record<Kind, string>> = {
  scan: 'Run antivirus scan',
  isolate: 'Isolate device',
  release: 'Release from isolation',
};

function ActionForm({
  kind,
  endpoint,
  onDone,
  onCancel,
}: {
  kind: Kind;
  endpoint: EndpointDetail;
  onDone: (action: Action) => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState('');
  const [scope, setScope] = useState(kind === 'scan' ? 'Quick' : 'Full');
  const [confirmed, setConfirmed] = useState(false);
  const { busy, error, run } = useAction();
  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    const body = {
      type: kind,
      comment: comment.trim(),
      ...(kind === 'scan' ? { scanType: scope } : kind === 'isolate' ? { isolationType: scope } : {}),
    };
    run(async () => {
      const outcome = await api<ActionOutcome>('POST', `/endpoints/${endpoint.id}/actions`, body);
      if (outcome.action === null) throw new Error(outcome.error?.message ?? 'Defender accepted nothing.');
      onDone(outcome.action);
    });
  };
  const name = endpoint.computerDnsName ?? endpoint.machineId;
  return (
    <form className="action-form" onSubmit={submit} aria-label={titles[kind]}>
      <h3>
        {titles[kind]}: {name}
      </h3>
      {kind === 'release' ? null : (
        <Field label={kind === 'scan' ? 'Scan type' : 'Isolation type'}>
          {(p) => (
            <select
              {...p}
              value={scope}
              onChange={(e) => {
                setScope(e.target.value);
              }}
            >
              {(kind === 'scan' ? ['Quick', 'Full'] : ['Full', 'Selective']).map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Comment">
        {(p) => (
          <textarea
            {...p}
            required
            value={comment}
            placeholder="Why, for the audit trail and Defender's action center"
            onChange={(e) => {
              setComment(e.target.value);
            }}
          />
        )}
      </Field>
      {kind === 'isolate' ? (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(e) => {
              setConfirmed(e.target.checked);
            }}
          />
          I confirm: {name} will be cut off from the network until it is released
        </label>
      ) : null}
      <ErrorBox error={error} />
      <div className="buttons">
        <button type="submit" disabled={busy || comment.trim() === '' || (kind === 'isolate' && !confirmed)}>
          {submitLabels[kind]}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The action under way, re-read until Defender reports a final state. */
function ActionProgress({ action, onUpdate }: { action: Action; onUpdate: (action: Action) => void }) {
  const [error, setError] = useState<Error>();
  const tick = useCallback(() => {
    get<Action>(`/actions/${encodeURIComponent(action.id)}`).then(onUpdate, (e: unknown) => {
      setError(asError(e));
    });
  }, [action.id, onUpdate]);
  usePolling(!finalStatuses.has(action.status), 2000, tick);
  return (
    <div className="action-progress" aria-live="polite">
      {action.type} ({action.scope ?? 'default'}): <Badge value={action.status} label="Action state" />
      <ErrorBox error={error} />
    </div>
  );
}

/**
 * Scan, isolate and release for analysts and admins; viewers see none. Isolation is refused up front for a
 * protected device (the hub refuses it too), and the button that makes no sense for the state is disabled.
 */
export function EndpointActions({
  endpoint,
  integration,
  onChange,
}: {
  endpoint: EndpointDetail;
  integration: Integration | undefined;
  onChange: () => void;
}) {
  const { may } = useSession();
  const [open, setOpen] = useState<Kind>();
  const [action, setAction] = useState<Action>();
  const final = action !== undefined && finalStatuses.has(action.status);
  useEffect(() => {
    // The isolation state is the hub's reading of the final action: read the endpoint again.
    if (final) onChange();
  }, [final, onChange]);
  if (!may('analyst')) return null;
  const protection =
    integration === undefined
      ? undefined
      : protectionReason(
          { tags: endpoint.machineTags, deviceGroup: endpoint.rbacGroupName, name: endpoint.computerDnsName },
          integration.protectedDevices,
        );
  const state = endpoint.isolation.state;
  const busy = action !== undefined && !finalStatuses.has(action.status);
  return (
    <div className="endpoint-actions">
      <div className="buttons" role="group" aria-label="Response actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setOpen('scan');
          }}
        >
          Run scan
        </button>
        <button
          type="button"
          disabled={busy || protection !== undefined || state === 'isolated'}
          title={
            protection === undefined
              ? undefined
              : `Protected by ${protection}: never isolated through the hub`
          }
          onClick={() => {
            setOpen('isolate');
          }}
        >
          Isolate
        </button>
        <button
          type="button"
          disabled={busy || protection !== undefined || state === 'notIsolated'}
          onClick={() => {
            setOpen('release');
          }}
        >
          Release from isolation
        </button>
      </div>
      {protection === undefined ? null : (
        <p className="note">Isolation is off for this device: protected by {protection}.</p>
      )}
      {endpoint.healthStatus === 'Active' ? null : (
        <p className="note">
          The device is {endpoint.healthStatus ?? 'of unknown health'}: Defender carries out an action when it
          next connects, or times the action out.
        </p>
      )}
      {open === undefined ? null : (
        <ActionForm
          kind={open}
          endpoint={endpoint}
          onCancel={() => {
            setOpen(undefined);
          }}
          onDone={(a) => {
            setOpen(undefined);
            setAction(a);
            onChange();
          }}
        />
      )}
      {action === undefined ? null : <ActionProgress action={action} onUpdate={setAction} />}
    </div>
  );
}
