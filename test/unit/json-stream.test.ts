import { describe, expect, it } from 'vitest';
import { jsonLines, parseODataCollection } from '../../src/defender/json-stream.js';
import { DefenderErrorCode } from '../../src/defender/errors.js';

/** Feeds `text` in chunks of `size` characters, to cut records, strings and escapes at every position. */
async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) {
    await Promise.resolve();
    yield bytes.subarray(i, i + size);
  }
}

async function collect(
  text: string,
  size: number,
): Promise<{ items: unknown[]; envelope: Record<string, unknown> }> {
  const items: unknown[] = [];
  const generator = parseODataCollection(chunks(text, size));
  for (;;) {
    const next = await generator.next();
    if (next.done === true) return { items, envelope: next.value };
    items.push(next.value);
  }
}

const tricky = {
  '@odata.context': 'https://api.security.microsoft.com/api/$metadata#Machines',
  value: [
    { id: 'a', name: 'quote " and brace } and bracket ] inside', nested: { list: [1, 2, { deep: '\\' }] } },
    { id: 'b', unicode: 'Zürich – 東京 – 🛡️', escaped: '\\"\\\\', empty: {}, emptyList: [] },
    { id: 'c', numbers: [-1.5e3, 0, 42], flags: [true, false, null] },
  ],
  '@odata.nextLink': 'https://api.security.microsoft.com/api/machines?$skip=3',
  '@odata.count': 3,
};

describe('parseODataCollection', () => {
  it('should return every record and the envelope whatever the chunk size', async () => {
    const text = JSON.stringify(tricky, null, 2);
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const { items, envelope } = await collect(text, size);
      expect(items).toEqual(tricky.value);
      expect(envelope).toEqual({
        '@odata.context': tricky['@odata.context'],
        '@odata.nextLink': tricky['@odata.nextLink'],
        '@odata.count': 3,
      });
    }
  });

  it('should read members placed before and after the value array', async () => {
    const text = '{"@odata.nextLink":"x","value":[{"id":1}],"@odata.count":1}';
    const { items, envelope } = await collect(text, 5);
    expect(items).toEqual([{ id: 1 }]);
    expect(envelope).toEqual({ '@odata.nextLink': 'x', '@odata.count': 1 });
  });

  it('should yield records before the answer has ended', async () => {
    let released = false;
    async function* slow(): AsyncGenerator<string> {
      yield '{"value":[{"id":1},';
      await new Promise((r) => setTimeout(r, 20));
      released = true;
      yield '{"id":2}]}';
    }
    const generator = parseODataCollection(slow());
    const first = await generator.next();
    expect(first.value).toEqual({ id: 1 });
    expect(released).toBe(false);
  });

  it('should report a truncated answer as a network error, so the page is retried', async () => {
    await expect(collect('{"value":[{"id":1},{"id":', 4)).rejects.toMatchObject({
      code: DefenderErrorCode.NetworkError,
    });
  });

  it('should report an answer that is not OData JSON as an invalid response', async () => {
    await expect(collect('<html>404</html>', 4)).rejects.toMatchObject({
      code: DefenderErrorCode.InvalidResponse,
    });
  });

  it('should accept an empty object and an empty value array', async () => {
    expect((await collect('{}', 1)).items).toEqual([]);
    expect((await collect('{"value":[]}', 1)).items).toEqual([]);
  });
});

describe('jsonLines', () => {
  it('should split lines across chunks and skip blank lines', async () => {
    const lines: string[] = [];
    for await (const line of jsonLines(chunks('{"a":1}\n\n{"b":"é"}\r\n{"c":3}', 3))) lines.push(line);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ a: 1 }, { b: 'é' }, { c: 3 }]);
  });
});
