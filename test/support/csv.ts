/**
 * A strict RFC 4180 reader, to check what the hub writes: records end in CRLF (the last one too), a field is
 * either plain (no quote, comma, CR or LF in it) or wholly quoted with its quotes doubled, and every record has
 * as many fields as the first. Anything else throws, naming the offset, so a writer that is merely close
 * fails the test.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let at = 0;
  while (at < text.length) {
    const { fields, next } = readRecord(text, at);
    const width = records[0]?.length ?? fields.length;
    if (fields.length !== width)
      throw new Error(`CSV record ${records.length + 1} has ${fields.length} fields, the first has ${width}`);
    records.push(fields);
    at = next;
  }
  return records;
}

function readRecord(text: string, start: number): { fields: string[]; next: number } {
  const fields: string[] = [];
  let at = start;
  for (;;) {
    const field = text[at] === '"' ? readQuoted(text, at) : readPlain(text, at);
    fields.push(field.value);
    at = field.next;
    if (text.startsWith('\r\n', at)) return { fields, next: at + 2 };
    if (text[at] === ',') {
      at++;
      continue;
    }
    throw new Error(
      at >= text.length ? 'the last CSV record does not end in CRLF' : `unexpected character at ${at}`,
    );
  }
}

function readPlain(text: string, start: number): { value: string; next: number } {
  let at = start;
  while (at < text.length && !/[,\r\n]/.test(text[at]!)) {
    if (text[at] === '"') throw new Error(`a quote inside an unquoted CSV field at ${at}`);
    at++;
  }
  if (text[at] === '\n' || (text[at] === '\r' && text[at + 1] !== '\n'))
    throw new Error(`a bare line break outside quotes at ${at}`);
  return { value: text.slice(start, at), next: at };
}

function readQuoted(text: string, start: number): { value: string; next: number } {
  let value = '';
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) throw new Error(`a quoted CSV field opened at ${start} never closes`);
    value += text.slice(at, quote);
    if (text[quote + 1] !== '"') return { value, next: quote + 1 };
    value += '"';
    at = quote + 2;
  }
}

/** CSV records as objects keyed by the header row. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new Error('the CSV has no header row');
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}
