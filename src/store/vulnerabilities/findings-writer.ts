import type { NewFindingRow } from '../db/schema.js';
import type { BulkRows, BulkTable } from '../bulk/bulk-table.js';
import type { BulkWriter } from '../bulk/bulk-table.js';
import { BulkRowWriter } from '../bulk/bulk-row-writer.js';

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
] as const satisfies readonly (readonly [Exclude<keyof NewFindingRow, 'id'>, string])[];

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
 * Writes a row's values at its slot, in `findingColumns` order (a unit test holds the two together). Spelled out
 * because it runs for every finding: named reads are several times faster than reads by a computed key.
 */
export function putFinding(values: unknown[], rowIndex: number, r: NewFindingRow): void {
  let at = rowIndex * width;
  values[at++] = r.integration_id;
  values[at++] = r.finding_key;
  values[at++] = r.machine_id;
  values[at++] = r.cve_id ?? null;
  values[at++] = r.software_vendor ?? null;
  values[at++] = r.software_name ?? null;
  values[at++] = r.software_version ?? null;
  values[at++] = r.severity ?? null;
  values[at++] = r.cvss_score ?? null;
  values[at++] = r.exploitability_level ?? null;
  values[at++] = r.fixing_update ?? null;
  values[at++] = r.fixing_update_id ?? null;
  values[at++] = r.fixing_update_url ?? null;
  values[at++] = r.update_available ?? null;
  values[at++] = r.first_seen_raw ?? null;
  values[at++] = r.first_seen_at ?? null;
  values[at++] = r.last_seen_raw ?? null;
  values[at++] = r.last_seen_at ?? null;
  values[at++] = r.status;
  values[at++] = r.resolved_at ?? null;
  values[at++] = r.last_run_id ?? null;
  values[at++] = r.raw;
  values[at++] = r.updated_at;
  values[at++] = r.patch_key ?? null;
  values[at] = r.imported ?? 1;
}

export function flattenFindings(rows: readonly NewFindingRow[]): BulkRows {
  const values: unknown[] = [];
  rows.forEach((row, i) => {
    putFinding(values, i, row);
  });
  return { values, count: rows.length };
}

export type FindingsWriter = BulkRowWriter<NewFindingRow>;

export function findingsWriter(bulk: BulkWriter, onStored: (count: number) => void): FindingsWriter {
  return new BulkRowWriter(bulk, findingsTable(), putFinding, onStored);
}
