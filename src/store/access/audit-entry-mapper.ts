import type { Insertable, Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema.js';

export type AuditActorKind = AuditLogTable['actor_kind'];
export type AuditOutcome = AuditLogTable['outcome'];

/** One audit entry as written: who, when, from where, what and how it ended. */
export interface NewAuditEntry {
  readonly at: string;
  readonly actor: string | null;
  readonly actorKind: AuditActorKind;
  readonly address: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  readonly status: number | null;
  /** JSON text with every secret masked: the API answers it parsed, exports carry it as written. */
  readonly details: string;
}

/** One audit entry as read back, in the order the API and the exports show its fields. */
export interface AuditEntry extends NewAuditEntry {
  readonly id: number;
}

export function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    actorKind: row.actor_kind,
    address: row.address,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    status: row.status,
    details: row.details,
  };
}

export function toAuditLogRow(entry: NewAuditEntry): Insertable<AuditLogTable> {
  return {
    at: entry.at,
    actor: entry.actor,
    actor_kind: entry.actorKind,
    address: entry.address,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    status: entry.status,
    details: entry.details,
  };
}
