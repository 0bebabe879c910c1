import { describe, expect, it } from 'vitest';
import { chunked, csvField, encode } from '../../src/export/formats.js';
import { keysetRows } from '../../src/store/db/keyset.js';
import type { ExportRecord } from '../../src/store/index.js';

function from<T>(items: readonly T[]): AsyncIterable<T> {
  return (async function* () {
    await Promise.resolve();
    yield* items;
  })();
}

async function text(parts: AsyncIterable<string>): Promise<string> {
  let result = '';
  for await (const part of parts) result += part;
  return result;
}

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [null, ''],
    [0, '0'],
    [7.5, '7.5'],
    [true, 'true'],
    [['a', 'b'], 'a; b'],
    [['x,y'], '"x,y"'],
  ] as const)('should write %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('encode', () => {
  const records: ExportRecord[] = [
    { id: 1, name: 'a,b', tags: ['x'] },
    { id: 2, name: null, tags: [] },
  ];

  it('should write CSV with a header and CRLF after every record', async () => {
    expect(await text(encode('csv', ['id', 'name', 'tags'], from(records)))).toBe(
      'id,name,tags\r\n1,"a,b",x\r\n2,,\r\n',
    );
    expect(await text(encode('csv', ['id'], from([])))).toBe('id\r\n');
  });

  it('should write one JSON array, empty or not', async () => {
    expect(JSON.parse(await text(encode('json', ['id'], from(records))))).toEqual(records);
    expect(await text(encode('json', ['id'], from([])))).toBe('[]\n');
  });

  it('should write one JSON object per line', async () => {
    const lines = (await text(encode('ndjson', ['id'], from(records)))).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(records);
  });

  it('should join small parts into larger writes without losing any', async () => {
    const parts = Array.from({ length: 100 }, (_, i) => `${i},`);
    const chunks: string[] = [];
    for await (const chunk of chunked(from(parts), 50)) chunks.push(chunk);
    expect(chunks.join('')).toBe(parts.join(''));
    expect(chunks.length).toBeLessThan(parts.length);
  });
});

describe('keysetRows', () => {
  it('should page after the last key until a short page, holding one page at a time', async () => {
    const table = [1, 2, 3, 4, 5];
    const calls: (number | undefined)[] = [];
    const rows = keysetRows(
      (after: number | undefined, limit) => {
        calls.push(after);
        return Promise.resolve(table.filter((n) => n > (after ?? 0)).slice(0, limit));
      },
      (n) => n,
      2,
    );
    const seen: number[] = [];
    for await (const n of rows) seen.push(n);
    expect(seen).toEqual(table);
    expect(calls).toEqual([undefined, 2, 4]);
  });

  it('should ask once more after a full last page, and stop at the empty one', async () => {
    const calls: (number | undefined)[] = [];
    const rows = keysetRows(
      (after: number | undefined) => {
        calls.push(after);
        return Promise.resolve(after === undefined ? [1, 2] : []);
      },
      (n) => n,
      2,
    );
    const seen: number[] = [];
    for await (const n of rows) seen.push(n);
    expect(seen).toEqual([1, 2]);
    expect(calls).toEqual([undefined, 2]);
  });
});
