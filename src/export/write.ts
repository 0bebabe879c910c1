import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes the export to stdout (left open for whoever writes next) or to a file. A file appears only when
 * complete: it is written beside its final name and renamed, so a failed export never leaves half a file
 * that looks whole.
 */
export async function writeExport(chunks: AsyncIterable<string>, out: string | undefined): Promise<void> {
  if (out === undefined) {
    await pipeline(Readable.from(chunks), process.stdout, { end: false });
    return;
  }
  const partial = `${out}.partial-${process.pid}`;
  try {
    await pipeline(Readable.from(chunks), createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
