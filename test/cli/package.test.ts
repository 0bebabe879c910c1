import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

describe('defender-hub --version', () => {
  it.each(['--version', '-V'])("%s should print package.json's version", async (flag) => {
    const result = await runCli([flag], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${manifest.version}\n`);
  });
});

/** The packages a built module imports by name (`node:` and relative imports aside). */
function bareImports(source: string): string[] {
  const patterns = [
    // Static imports and re-exports, one statement from its start (a line's) to `from`, over line breaks.
    /^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns
    .flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!))
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

describe('the npm package', () => {
  // What `npm pack` would put in the tarball, from the dist/ that `npm ci` built (scripts are not run: fast).
  it('should hold the built CLI and web UI, no sources, tests or source maps, and import only dependencies', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/defender-hub.js',
        'dist/cli/main.js',
        'dist/store/bulk/sqlite-write-worker.js',
        'dist/store/bulk/postgres-write-worker.js',
        'dist/web/index.html',
      ]),
    );
    expect(paths.some((p) => /^dist\/web\/assets\/.+\.js$/.test(p))).toBe(true);
    const unexpected = paths.filter(
      (p) => !['package.json', 'README.md'].includes(p) && !/^(bin|dist)\//.test(p),
    );
    expect(unexpected).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.map') || p.endsWith('.ts'))).toEqual([]);

    const allowed = new Set([...Object.keys(manifest.dependencies), ...builtinModules]);
    const seen = new Set<string>();
    const imports = new Map<string, string[]>();
    for (const path of paths.filter(
      (p) => p.startsWith('dist/') && !p.startsWith('dist/web/') && p.endsWith('.js'),
    ))
      for (const name of bareImports(readFileSync(path, 'utf8'))) {
        seen.add(name);
        if (!allowed.has(name)) imports.set(name, [...(imports.get(name) ?? []), path]);
      }
    expect([...seen]).toEqual(expect.arrayContaining(['commander', 'fastify', 'kysely', 'zod']));
    // tsx only where the bulk writer runs from TypeScript sources (tests, benchmarks); never from dist.
    expect(imports.get('tsx')).toEqual(['dist/store/bulk/background-bulk-writer.js']);
    imports.delete('tsx');
    expect(Object.fromEntries(imports)).toEqual({});
  });
});
