/**
 * A hunting query whose rows hold every value CSV must quote, each awkward character alone in a column so a writer
 * that forgets any one of them fails: Quoted has a quote, Listed a comma, Lines a line break, and
 * DeviceManualTags is dynamic (JSON arrays: quotes and commas).
 */
export const AWKWARD_QUERY =
  'DeviceInfo | project DeviceId, OSBuild, IsAzureADJoined, DeviceManualTags, Quoted = "say \\"hi\\"", Listed = "a, b", Lines = "one\\ntwo" | order by DeviceId asc';

/** The values AWKWARD_QUERY's literal columns must come back with. */
export const AWKWARD_VALUES = { Quoted: 'say "hi"', Listed: 'a, b', Lines: 'one\ntwo' };

/** What a hunting CSV must hold for JSON rows: dynamic values as their JSON, null as an empty field. */
export function expectedCsvRecords(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): Record<string, string>[] {
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c, csvCell(row[c])])));
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
