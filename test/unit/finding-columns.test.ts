import { describe, expect, it } from 'vitest';
import { findingColumns, putFinding } from '../../src/store/vulnerabilities/findings-writer.js';
import type { NewFindingRow } from '../../src/store/db/schema.js';

describe('finding columns', () => {
  it('should flatten every column of a row in the order the bulk statement names them', () => {
    // A row whose every value is its own column name: the flattened values must read as the column list.
    const row = Object.fromEntries(findingColumns.map(([name]) => [name, name])) as unknown as NewFindingRow;
    const values: unknown[] = [];
    putFinding(values, 1, row);
    expect(values.slice(findingColumns.length)).toEqual(findingColumns.map(([name]) => name));
  });
});
