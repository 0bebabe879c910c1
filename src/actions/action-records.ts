import type { MachineAction } from '../defender/index.js';
import { storedRecordJson } from '../sync/stored-record.js';
import type { MachineActionRecord, StoredMachineAction } from '../store/index.js';

/** A machine action as the API and CLI show it. */
export type ActionSummary = StoredMachineAction;

/** The record of a MachineAction Defender answered or listed; `requestedBy` only when the hub sent it. */
export function toActionRecord(
  action: MachineAction,
  integrationId: string,
  requestedBy: string | null,
  now: string,
): MachineActionRecord {
  const created = action.creationDateTimeUtc;
  const updated = action.lastUpdateDateTimeUtc;
  return {
    integrationId,
    actionId: action.id,
    machineId: action.machineId ?? '',
    type: action.type ?? 'Unknown',
    scope: action.scope ?? null,
    status: action.status ?? 'Unknown',
    requestor: action.requestor ?? null,
    requestorComment: action.requestorComment ?? null,
    requestedBy,
    computerDnsName: action.computerDnsName ?? null,
    createdRaw: created?.raw ?? now,
    createdAt: created?.date.toISOString() ?? now,
    lastUpdateRaw: updated?.raw ?? null,
    lastUpdateAt: updated?.date.toISOString() ?? null,
    raw: storedRecordJson(action),
    updatedAt: now,
  };
}
