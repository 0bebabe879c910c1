import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The export file `part` of an epoch. */
export interface ExportPart {
  readonly epoch: number;
  readonly part: number;
}

export interface PreparedExport {
  readonly epoch: number;
  readonly files: number;
  readonly bytes: number;
  readonly seconds: number;
}

/**
 * Export files written to disk ahead of their download. Defender writes the files before the export call lists
 * them; generating them while they download instead puts the simulator's work on the client's CPU. A benchmark
 * prepares them before it starts its clock, so it times the hub, not the simulator. Only the latest prepared
 * epoch is kept; a faulted download is still generated, so its fault applies.
 */
export class PreparedExportFiles {
  #dir: string | undefined;
  #epoch: number | undefined;
  readonly #sizes = new Map<number, number>();

  /** Writes an epoch's export, its parts' bodies in order (replacing an earlier epoch's). */
  async prepare(epoch: number, bodies: Iterable<Readable>): Promise<PreparedExport> {
    const started = performance.now();
    await this.clear();
    const dir = await mkdtemp(join(tmpdir(), 'dh-sim-export-'));
    this.#dir = dir;
    let bytes = 0;
    let part = 0;
    for (const body of bodies) {
      const path = join(dir, `${epoch}-${part}.json.gz`);
      await pipeline(body, createWriteStream(path));
      const { size } = await stat(path);
      this.#sizes.set(part++, size);
      bytes += size;
    }
    this.#epoch = epoch;
    return { epoch, files: this.#sizes.size, bytes, seconds: (performance.now() - started) / 1000 };
  }

  /** The prepared file of a part, when there is one. */
  file({ epoch, part }: ExportPart): { readonly bytes: number; open(): Readable } | undefined {
    const bytes = this.#sizes.get(part);
    const dir = this.#dir;
    if (epoch !== this.#epoch || bytes === undefined || dir === undefined) return undefined;
    return { bytes, open: () => createReadStream(join(dir, `${epoch}-${part}.json.gz`)) };
  }

  async clear(): Promise<void> {
    const dir = this.#dir;
    this.#dir = undefined;
    this.#epoch = undefined;
    this.#sizes.clear();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}
