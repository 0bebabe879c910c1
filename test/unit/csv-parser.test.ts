import { describe, expect, it } from 'vitest';
import { csvObjects, parseCsv } from '../support/csv.js';
import { csvText } from '../../src/export/formats.js';

async function text(parts: AsyncIterable<string>): Promise<string> {
  let result = '';
  for await (const part of parts) result += part;
  return result;
}

describe('the strict RFC 4180 reader of the tests', () => {
  it('should read plain, empty and quoted fields', () => {
    expect(parseCsv('a,b,c\r\n1,,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
    ]);
    expect(parseCsv('"x, y","say ""hi""",""\r\n')).toEqual([['x, y', 'say "hi"', '']]);
    expect(parseCsv('"two\r\nlines","and\none","cr\ronly"\r\n')).toEqual([
      ['two\r\nlines', 'and\none', 'cr\ronly'],
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('""""\r\n')).toEqual([['"']]);
  });

  it('should refuse what RFC 4180 does not allow', () => {
    expect(() => parseCsv('a,b')).toThrow(/does not end in CRLF/);
    expect(() => parseCsv('a,b\n')).toThrow(/bare line break/);
    expect(() => parseCsv('a\rb\r\n')).toThrow(/bare line break/);
    expect(() => parseCsv('a"b\r\n')).toThrow(/quote inside an unquoted/);
    expect(() => parseCsv('"a"b\r\n')).toThrow(/unexpected character/);
    expect(() => parseCsv('"open\r\n')).toThrow(/never closes/);
    expect(() => parseCsv('a,b\r\nc\r\n')).toThrow(/has 1 fields, the first has 2/);
  });

  it("should read back every value the hub's writer writes", async () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\nin it', '"', ',', '', ' spaced '];
    const rows = values.map((v, i) => ({ id: String(i), value: v }));
    const written = await text(
      csvText(['id', 'value'], rows, (row, column) => row[column as 'id' | 'value']),
    );
    expect(csvObjects(written)).toEqual(rows);
  });
});
