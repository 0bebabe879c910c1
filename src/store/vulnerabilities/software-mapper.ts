import type { Selectable } from 'kysely';
import type { SoftwareTable } from '../db/schema.js';
import { flag } from '../db/list-queries.js';

/** A product of the software inventory, as the API and the UI show it. */
export interface SoftwareProduct {
  readonly id: string;
  readonly integrationId: string;
  readonly name: string | null;
  readonly vendor: string | null;
  readonly weaknesses: number | null;
  readonly publicExploit: boolean | null;
  readonly activeAlert: boolean | null;
  readonly exposedMachines: number | null;
  readonly installedMachines: number | null;
  readonly impactScore: number | null;
  readonly endOfSupportStatus: string | null;
  readonly endOfSupportDate: string | null;
  readonly updatedAt: string;
}

export function toSoftwareProduct(row: Selectable<SoftwareTable>): SoftwareProduct {
  return {
    id: row.software_id,
    integrationId: row.integration_id,
    name: row.name,
    vendor: row.vendor,
    weaknesses: row.weaknesses,
    publicExploit: flag(row.public_exploit),
    activeAlert: flag(row.active_alert),
    exposedMachines: row.exposed_machines,
    installedMachines: row.installed_machines,
    impactScore: row.impact_score,
    endOfSupportStatus: row.end_of_support_status,
    endOfSupportDate: row.end_of_support_date,
    updatedAt: row.updated_at,
  };
}
