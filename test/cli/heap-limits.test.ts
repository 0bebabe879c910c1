import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultHeapMb, heapFlags } from '../../src/cli/heap-limits.js';

describe('heapFlags', () => {
  it('should bound the old generation and the semi-spaces by default', () => {
    expect(heapFlags([], {})).toEqual({
      ok: true,
      flags: [`--max-old-space-size=${defaultHeapMb}`, '--max-semi-space-size=16'],
    });
  });

  it("should take the old generation's limit from HUB_HEAP_MB", () => {
    expect(heapFlags([], { HUB_HEAP_MB: ' 2048 ' })).toEqual({
      ok: true,
      flags: ['--max-old-space-size=2048', '--max-semi-space-size=16'],
    });
  });

  it.each(['abc', '100', '1.5', '-512', '70000', '512MB'])(
    'should refuse HUB_HEAP_MB=%s and say why',
    (value) => {
      const result = heapFlags([], { HUB_HEAP_MB: value });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain(`HUB_HEAP_MB must be a whole number of megabytes`);
    },
  );

  it("should keep the operator's own flags, from the command line or NODE_OPTIONS", () => {
    expect(heapFlags(['--max-old-space-size=3000'], {})).toEqual({
      ok: true,
      flags: ['--max-semi-space-size=16'],
    });
    expect(
      heapFlags([], {
        NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=8 --max-old-space-size=700',
      }),
    ).toEqual({ ok: true, flags: [] });
  });

  it('should ask for nothing once the process runs with the flags it chose', () => {
    const first = heapFlags([], {});
    expect(first.ok && heapFlags(first.flags, {})).toEqual({ ok: true, flags: [] });
  });
});

const bin = fileURLToPath(new URL('../../bin/defender-hub.js', import.meta.url));

/** Runs the shipped command with a preload that reports, in each process image, its pid and V8's heap limit. */
async function heapOfShippedCommand(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stderr: string; limits: { pid: number; mb: number }[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'dh-heap-'));
  const probe = join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    "import v8 from 'node:v8';\nprocess.stderr.write(`heap ${process.pid} ${v8.getHeapStatistics().heap_size_limit}\\n`);\n",
  );
  const { HUB_HEAP_MB: _h, ...rest } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, '--version'],
      { env: { ...rest, NODE_OPTIONS: `--import=${probe}`, ...env } },
      (error, _stdout, stderr) => {
        const limits = [...stderr.matchAll(/^heap (\d+) (\d+)$/gm)].map((m) => ({
          pid: Number(m[1]),
          mb: Number(m[2]) / 2 ** 20,
        }));
        resolve({ code: error === null ? 0 : Number(error.code), stderr, limits });
      },
    );
  });
}

describe('the shipped command', () => {
  it('should start again in place, same pid, with the bounded heap', async () => {
    const { code, limits } = await heapOfShippedCommand({});
    expect(code).toBe(0);
    expect(limits).toHaveLength(2);
    const [first, second] = limits;
    expect(second!.pid).toBe(first!.pid);
    // The limit V8 reports is the old generation's plus the young generation's (three 16 MB semi-spaces).
    expect(second!.mb).toBe(defaultHeapMb + 48);
  });

  it('should use HUB_HEAP_MB and refuse a bad one before doing anything', async () => {
    expect((await heapOfShippedCommand({ HUB_HEAP_MB: '512' })).limits.at(-1)?.mb).toBe(512 + 48);
    const bad = await heapOfShippedCommand({ HUB_HEAP_MB: 'lots' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'HUB_HEAP_MB must be a whole number of megabytes from 256 to 65536 (default 1024), got "lots" [INVALID_INPUT]',
    );
    expect(bad.limits).toHaveLength(1);
  });
});
