import { describe, expect, it } from 'vitest';
import { IdSet, scanIdList } from '../../src/store/db/id-list.js';

function idsOf(text: string, stopAfter = Infinity): number[] {
  const seen: number[] = [];
  scanIdList(text, (id) => {
    seen.push(id);
    return seen.length < stopAfter;
  });
  return seen;
}

describe('scanIdList', () => {
  it("should read SQLite's and PostgreSQL's spelling of a list alike", () => {
    expect(idsOf('[1,20,300]')).toEqual([1, 20, 300]);
    expect(idsOf('[1, 20, 300]')).toEqual([1, 20, 300]);
    expect(idsOf('[0, 9007199254740991]')).toEqual([0, 9007199254740991]);
  });

  it('should read nothing from an empty list and a last id without a closing bracket', () => {
    expect(idsOf('[]')).toEqual([]);
    expect(idsOf('')).toEqual([]);
    expect(idsOf('[4,5')).toEqual([4, 5]);
  });

  it('should stop at the id its visitor refuses', () => {
    expect(idsOf('[3,4,5,6]', 2)).toEqual([3, 4]);
    expect(idsOf('[3,4,5,6]', 1)).toEqual([3]);
  });
});

describe('IdSet', () => {
  it('should hold what was added, far past its first size, and nothing else', () => {
    const set = new IdSet();
    for (const id of [0, 7, 1023, 1024, 250_000]) set.add(id);
    for (const id of [0, 7, 1023, 1024, 250_000]) expect(set.has(id)).toBe(true);
    for (const id of [1, 1022, 1025, 249_999, 250_001, 10_000_000]) expect(set.has(id)).toBe(false);
  });
});
