import type { MachineAction } from '../defender/index.js';
import { storedRecordJson } from '../sync/stored-record.js';
import type { NewMachineActionRow, StoredMachineAction } from '../store/index.js';

/** A machine action as the API and CLI show it. */
export interface ActionSummary {
  id: string;
  integrationId: string;
  /** The hub's endpoint, when it has the machine. */
  endpointId: number | null;
  machineId: string;
  computerDnsName: string | null;
  /** Defender's type: RunAntiVirusScan, Isolate, Unisolate, CollectInvestigationPackage, … */
  type: string;
  scope: string | null;
  status: string;
  requestor: string | null;
  requestorComment: string | null;
  /** Who asked through the hub; null for actions made elsewhere (the Defender portal, other tools). */
  requestedBy: string | null;
  createdAt: string;
  lastUpdateAt: string | null;
}

/** The row of a MachineAction Defender answered or listed; `requestedBy` only when the hub sent it. */
export function toActionRow(
  action: MachineAction,
  integrationId: string,
  requestedBy: string | null,
  now: string,
): NewMachineActionRow {
  const created = action.creationDateTimeUtc;
  const updated = action.lastUpdateDateTimeUtc;
  return {
    integration_id: integrationId,
    action_id: action.id,
    machine_id: action.machineId ?? '',
    type: action.type ?? 'Unknown',
    scope: action.scope ?? null,
    status: action.status ?? 'Unknown',
    requestor: action.requestor ?? null,
    requestor_comment: action.requestorComment ?? null,
    requested_by: requestedBy,
    computer_dns_name: action.computerDnsName ?? null,
    created_raw: created?.raw ?? now,
    created_at: created?.date.toISOString() ?? now,
    last_update_raw: updated?.raw ?? null,
    last_update_at: updated?.date.toISOString() ?? null,
    raw: storedRecordJson(action),
    updated_at: now,
  };
}

export function toActionSummary(row: StoredMachineAction): ActionSummary {
  return {
    id: row.action_id,
    integrationId: row.integration_id,
    endpointId: row.endpoint_id,
    machineId: row.machine_id,
    computerDnsName: row.computer_dns_name,
    type: row.type,
    scope: row.scope,
    status: row.status,
    requestor: row.requestor,
    requestorComment: row.requestor_comment,
    requestedBy: row.requested_by,
    createdAt: row.created_raw,
    lastUpdateAt: row.last_update_raw,
  };
}
