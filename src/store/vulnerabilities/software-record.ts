import type { Insertable } from 'kysely';
import type { SoftwareTable } from '../db/schema.js';

/** A software product as the sync writes it, marked seen by its run. */
export interface SoftwareRecord {
  readonly integrationId: string;
  /** Defender's id, `vendor-_-name`. */
  readonly softwareId: string;
  readonly name: string | null;
  readonly vendor: string | null;
  readonly weaknesses: number | null;
  /** 0/1, null when Defender does not say. */
  readonly publicExploit: number | null;
  readonly activeAlert: number | null;
  readonly exposedMachines: number | null;
  readonly installedMachines: number | null;
  readonly impactScore: number | null;
  readonly endOfSupportStatus: string | null;
  readonly endOfSupportDate: string | null;
  /** The record as received, as JSON. */
  readonly raw: string;
  readonly runId: number;
  readonly updatedAt: string;
}

export function softwareRow(r: SoftwareRecord): Insertable<SoftwareTable> {
  return {
    integration_id: r.integrationId,
    software_id: r.softwareId,
    name: r.name,
    vendor: r.vendor,
    weaknesses: r.weaknesses,
    public_exploit: r.publicExploit,
    active_alert: r.activeAlert,
    exposed_machines: r.exposedMachines,
    installed_machines: r.installedMachines,
    impact_score: r.impactScore,
    end_of_support_status: r.endOfSupportStatus,
    end_of_support_date: r.endOfSupportDate,
    raw: r.raw,
    run_id: r.runId,
    updated_at: r.updatedAt,
  };
}
