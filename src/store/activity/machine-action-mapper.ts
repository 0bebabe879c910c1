import type { Insertable } from 'kysely';
import type { IsolationAction } from '../../domain/isolation.js';
import type { MachineActionRow, MachineActionsTable } from '../db/schema.js';

/** A MachineAction Defender answered or listed, as the store keeps it; `requestedBy` only when the hub sent it. */
export interface MachineActionRecord {
  readonly integrationId: string;
  readonly actionId: string;
  readonly machineId: string;
  /** Defender's type: RunAntiVirusScan, Isolate, Unisolate, CollectInvestigationPackage, … */
  readonly type: string;
  readonly scope: string | null;
  readonly status: string;
  readonly requestor: string | null;
  readonly requestorComment: string | null;
  /** Who asked through the hub; null for actions made elsewhere (never overwrites a stored name). */
  readonly requestedBy: string | null;
  readonly computerDnsName: string | null;
  readonly createdRaw: string;
  readonly createdAt: string;
  readonly lastUpdateRaw: string | null;
  readonly lastUpdateAt: string | null;
  /** The MachineAction record as received, as JSON. */
  readonly raw: string;
  readonly updatedAt: string;
}

/** A stored machine action as the API and CLI show it. */
export interface StoredMachineAction {
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

/** An isolate or release action of a machine, as the isolation rule reads it. */
export interface MachineIsolationAction extends IsolationAction {
  readonly machineId: string;
}

export function machineActionRow(r: MachineActionRecord): Insertable<MachineActionsTable> {
  return {
    integration_id: r.integrationId,
    action_id: r.actionId,
    machine_id: r.machineId,
    type: r.type,
    scope: r.scope,
    status: r.status,
    requestor: r.requestor,
    requestor_comment: r.requestorComment,
    requested_by: r.requestedBy,
    computer_dns_name: r.computerDnsName,
    created_raw: r.createdRaw,
    created_at: r.createdAt,
    last_update_raw: r.lastUpdateRaw,
    last_update_at: r.lastUpdateAt,
    raw: r.raw,
    updated_at: r.updatedAt,
  };
}

/** The action with the hub id of its endpoint; times as Defender wrote them. */
export function toStoredMachineAction(
  row: MachineActionRow & { endpoint_id: number | null },
): StoredMachineAction {
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

/** Times as ISO instants, which order as text. */
export function toIsolationAction(row: MachineActionRow): MachineIsolationAction {
  return {
    machineId: row.machine_id,
    id: row.action_id,
    type: row.type,
    status: row.status,
    createdAt: row.created_at,
    lastUpdateAt: row.last_update_at,
  };
}
