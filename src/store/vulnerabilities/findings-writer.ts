import type { FindingsTable } from '../db/schema.js';
import type { BulkTable, BulkWriter } from '../bulk/bulk-table.js';
import { BulkRowWriter } from '../bulk/bulk-row-writer.js';

/** A vulnerability finding (device × software × version × CVE) as a sync run stores it; it is open. */
export interface FindingRecord {
  readonly integrationId: string;
  /** Defender's record id. */
  readonly findingKey: string;
  /** Defender's device id: an endpoint's machine id, or a device that is not an endpoint. */
  readonly machineId: string;
  readonly cveId: string | null;
  readonly softwareVendor: string | null;
  readonly softwareName: string | null;
  readonly softwareVersion: string | null;
  readonly severity: string | null;
  readonly cvssScore: number | null;
  readonly exploitabilityLevel: string | null;
  readonly fixingUpdate: string | null;
  readonly fixingUpdateId: string | null;
  readonly fixingUpdateUrl: string | null;
  readonly updateAvailable: boolean | null;
  readonly firstSeenRaw: string | null;
  readonly firstSeenAt: string | null;
  readonly lastSeenRaw: string | null;
  readonly lastSeenAt: string | null;
  /** What the columns do not hold, as JSON text. */
  readonly raw: string;
  /** The fixing update's key (domain `patchKey`); null when the finding names no fix. */
  readonly patchKey: string | null;
  /** Whether its device was an endpoint of the integration when the run read it. */
  readonly imported: boolean;
  /** The run that saw it. */
  readonly runId: number;
  /** When that run stored it. */
  readonly updatedAt: string;
}

/** Every column a sync writes, in the order rows are flattened for the bulk writer. */
export const findingColumns = [
  ['integration_id', 'text'],
  ['finding_key', 'text'],
  ['machine_id', 'text'],
  ['cve_id', 'text'],
  ['software_vendor', 'text'],
  ['software_name', 'text'],
  ['software_version', 'text'],
  ['severity', 'text'],
  ['cvss_score', 'real'],
  ['exploitability_level', 'text'],
  ['fixing_update', 'text'],
  ['fixing_update_id', 'text'],
  ['fixing_update_url', 'text'],
  ['update_available', 'integer'],
  ['first_seen_raw', 'text'],
  ['first_seen_at', 'text'],
  ['last_seen_raw', 'text'],
  ['last_seen_at', 'text'],
  ['status', 'text'],
  ['resolved_at', 'text'],
  ['last_run_id', 'bigint'],
  ['raw', 'text'],
  ['updated_at', 'text'],
  ['patch_key', 'text'],
  ['imported', 'integer'],
] as const satisfies readonly (readonly [Exclude<keyof FindingsTable, 'id'>, string])[];

/** The findings table for bulk upserts: a finding seen again takes every new value and is open again. */
export function findingsTable(table = 'findings', upsert = true): BulkTable {
  return {
    table,
    columns: findingColumns.map(([name, pgType]) => ({ name, pgType })),
    conflict: upsert ? ['integration_id', 'finding_key'] : undefined,
  };
}

const width = findingColumns.length;

/**
 * Writes a finding's row values at its slot, in `findingColumns` order (a unit test holds the two together),
 * straight from the record: it runs for every finding, millions a run, so no row object is made on the way.
 * Spelled out because named reads are several times faster than reads by a computed key.
 */
export function putFinding(values: unknown[], rowIndex: number, f: FindingRecord): void {
  let at = rowIndex * width;
  values[at++] = f.integrationId;
  values[at++] = f.findingKey;
  values[at++] = f.machineId;
  values[at++] = f.cveId;
  values[at++] = f.softwareVendor;
  values[at++] = f.softwareName;
  values[at++] = f.softwareVersion;
  values[at++] = f.severity;
  values[at++] = f.cvssScore;
  values[at++] = f.exploitabilityLevel;
  values[at++] = f.fixingUpdate;
  values[at++] = f.fixingUpdateId;
  values[at++] = f.fixingUpdateUrl;
  values[at++] = f.updateAvailable === null ? null : f.updateAvailable ? 1 : 0;
  values[at++] = f.firstSeenRaw;
  values[at++] = f.firstSeenAt;
  values[at++] = f.lastSeenRaw;
  values[at++] = f.lastSeenAt;
  // A finding a run sees is open, whatever it was before.
  values[at++] = 'open';
  values[at++] = null;
  values[at++] = f.runId;
  values[at++] = f.raw;
  values[at++] = f.updatedAt;
  values[at++] = f.patchKey;
  values[at] = f.imported ? 1 : 0;
}

export type FindingsWriter = BulkRowWriter<FindingRecord>;

export function findingsWriter(bulk: BulkWriter, onStored: (count: number) => void): FindingsWriter {
  return new BulkRowWriter(bulk, findingsTable(), putFinding, onStored);
}
