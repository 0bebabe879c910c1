import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every name src/store/index.ts exports (the layering rules make it the only way into the store). */
function doorExports(): string[] {
  const source = readFileSync(new URL('../../src/store/index.ts', import.meta.url), 'utf8');
  return [...source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((name) => name.trim().replace(/^type\s+/, ''))
      .filter((name) => name !== '')
      .map((name) => name.split(/\s+as\s+/).at(-1)!),
  );
}

describe("the store's door", () => {
  // The layers above read and write camelCase shapes: a table row, the schema, a connection or a dialect
  // passing the door would let them depend on how the data is stored.
  it('should export no table row type, schema, connection or dialect', () => {
    const exported = doorExports();
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.filter((name) => /(Row|Table)$|^(Database|Dialect|Kysely|Store)$/.test(name))).toEqual(
      [],
    );
  });
});
