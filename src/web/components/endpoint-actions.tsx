import { useState, type SyntheticEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api.js';
import type { Action, ActionOutcome, EndpointDetail, Integration } from '../api-types.js';
import { useSession } from '../session.js';
import { Badge } from './badge.js';
import { ErrorBox } from './error-box.js';
import { Checkbox, SelectField, TextAreaField } from './field.js';
import { isUnderWay, whileActionUnderWay } from '../live.js';
import { apiKey } from '../query-client.js';
import { useRequest } from '../use-request.js';
import { useAction } from '../use-action.js';
import { protectionReason } from '../../domain/protected-devices.js';
import { notOnboardedReason } from '../../domain/onboarding.js';

type Kind = 'scan' | 'isolate' | 'release';

const actionPath = (id: string): string => `/actions/${encodeURIComponent(id)}`;

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
  onDone: (actionId: string) => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState('');
  const [scope, setScope] = useState(kind === 'scan' ? 'Quick' : 'Full');
  const [confirmed, setConfirmed] = useState(false);
  const queries = useQueryClient();
  // The endpoint's isolation (now pending) and every list of actions change with it.
  const { busy, error, run } = useAction(['/endpoints', '/actions']);
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
      // The answer is the action's first state: on screen at once, then followed by its poll.
      queries.setQueryData(apiKey(actionPath(outcome.action.id)), outcome.action);
      onDone(outcome.action.id);
    });
  };
  const name = endpoint.computerDnsName ?? endpoint.machineId;
  return (
    <form className="action-form" onSubmit={submit} aria-label={titles[kind]}>
      <h3>
        {titles[kind]}: {name}
      </h3>
      {kind === 'release' ? null : (
        <SelectField
          label={kind === 'scan' ? 'Scan type' : 'Isolation type'}
          value={scope}
          onChange={setScope}
        >
          {(kind === 'scan' ? ['Quick', 'Full'] : ['Full', 'Selective']).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </SelectField>
      )}
      <TextAreaField
        label="Comment"
        required
        value={comment}
        placeholder="Why, for the audit trail and Defender's action center"
        onChange={setComment}
      />
      {kind === 'isolate' ? (
        <Checkbox checked={confirmed} onChange={setConfirmed}>
          I confirm: {name} will be cut off from the network until it is released
        </Checkbox>
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

/** The action asked for here, as the hub last read it from Defender (polled while it is under way). */
function ActionProgress({ action, error }: { action: Action | undefined; error: Error | undefined }) {
  return (
    <div className="action-progress" aria-live="polite">
      {action === undefined ? null : (
        <>
          {action.type} ({action.scope ?? 'default'}): <Badge value={action.status} label="Action state" />
        </>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

/**
 * Scan, isolate and release for analysts and admins; viewers see none. A device Defender only discovered gets
 * the reason instead of the buttons, isolation is refused up front for a protected device (the hub refuses both
 * too), and the button that makes no sense for the state is disabled.
 */
export function EndpointActions({
  endpoint,
  integration,
}: {
  endpoint: EndpointDetail;
  integration: Integration | undefined;
}) {
  const { may } = useSession();
  const [open, setOpen] = useState<Kind>();
  const [actionId, setActionId] = useState<string>();
  const progress = useRequest<Action>(actionId === undefined ? null : actionPath(actionId), {
    poll: whileActionUnderWay,
  });
  if (!may('analyst')) return null;
  const notOnboarded = notOnboardedReason(endpoint.onboardingStatus);
  if (notOnboarded !== undefined)
    return (
      <div className="endpoint-actions">
        <p className="note" role="note" aria-label="Response actions">
          No response actions for this device: {notOnboarded}.
        </p>
      </div>
    );
  const protection =
    integration === undefined
      ? undefined
      : protectionReason(
          { tags: endpoint.machineTags, deviceGroup: endpoint.rbacGroupName, name: endpoint.computerDnsName },
          integration.protectedDevices,
        );
  const state = endpoint.isolation.state;
  const busy = progress.data !== undefined && isUnderWay(progress.data);
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
          onDone={(id) => {
            setOpen(undefined);
            setActionId(id);
          }}
        />
      )}
      {actionId === undefined ? null : <ActionProgress action={progress.data} error={progress.error} />}
    </div>
  );
}
