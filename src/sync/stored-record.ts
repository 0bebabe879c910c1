/** Parsed timestamps go back to their raw string when a record is stored whole. */
export function isTimestamp(value: unknown): value is { raw: string; date: Date } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'raw' in value &&
    'date' in value &&
    (value as { date: unknown }).date instanceof Date
  );
}

/** A Defender record as JSON text for its `raw` column: as received, timestamps in their raw form. */
export function storedRecordJson(record: unknown): string {
  return JSON.stringify(record, (_key, value: unknown) => (isTimestamp(value) ? value.raw : value));
}

/** A Defender boolean as the store's 0/1 integer column; null stays null. */
export function storedFlag(value: boolean | null | undefined): number | null {
  return value == null ? null : value ? 1 : 0;
}
