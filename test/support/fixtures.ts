import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'vitest';

/** `../shared/fixtures` beside the repository: read in place, never copied into the repo. */
export const fixturesRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');

/** False on a clone without `../shared`: the published payloads are third-party and stay out of the repository. */
export const fixturesPresent = existsSync(fixturesRoot);

/**
 * Call first in every case that reads the fixtures (and read them only after it, never at file level, so a file
 * still loads and runs its other cases without them). A clone without `../shared` cannot run the case, so it is
 * skipped with the reason in the report; CI always has `../shared`, so there (CI=true) a missing one is a setup
 * error, and a skip would let it pass unnoticed: the case fails instead.
 */
export function requireFixtures(ctx: TestContext): void {
  if (fixturesPresent) return;
  if (process.env.CI === 'true')
    throw new Error(
      `${fixturesRoot} is absent with CI=true: CI must have ../shared beside the repository (the published Defender payloads).`,
    );
  ctx.skip(
    'skipped: ../shared/fixtures is absent (published Defender payloads are kept outside the repository)',
  );
}

export function fixturePath(...parts: string[]): string {
  const path = join(fixturesRoot, ...parts);
  if (!existsSync(path))
    throw new Error(`Fixture ${path} is missing: clone the repository with ../shared beside it.`);
  return path;
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
