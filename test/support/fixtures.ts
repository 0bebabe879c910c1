import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/fixtures` beside the repository: read in place, never copied into the repo. */
export const fixturesRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');

export function fixturePath(...parts: string[]): string {
  const path = join(fixturesRoot, ...parts);
  if (!existsSync(path))
    throw new Error(`Fixture ${path} is missing: clone the repository with ../shared beside it.`);
  return path;
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
