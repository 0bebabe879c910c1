/**
 * Reads a table in pages by keyset (`where key > last order by key limit n`), so an export of any size holds
 * one page in memory and each page costs the same however deep into the table it is (unlike OFFSET).
 */
export async function* keysetRows<Row, Key>(
  page: (after: Key | undefined, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  pageSize = 1000,
): AsyncGenerator<Row> {
  let after: Key | undefined;
  for (;;) {
    const rows = await page(after, pageSize);
    yield* rows;
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageSize) return;
    after = keyOf(last);
  }
}

/** Each row as it comes, mapped. */
export async function* mapped<Row, R>(rows: AsyncIterable<Row>, map: (row: Row) => R): AsyncGenerator<R> {
  for await (const row of rows) yield map(row);
}

/** keysetRows over a table's integer `id`, from its first row: the exports of endpoints and findings. */
export function rowsById<Row extends { readonly id: number }>(
  page: (after: number, limit: number) => Promise<Row[]>,
  pageSize?: number,
): AsyncGenerator<Row> {
  return keysetRows(
    (after: number | undefined, limit) => page(after ?? 0, limit),
    (row) => row.id,
    pageSize,
  );
}
