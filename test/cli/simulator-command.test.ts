import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createDefenderClient } from '../../src/defender/index.js';

const cli = ['--import', 'tsx', 'src/cli/main.ts'];

function run(args: string[]): {
  child: ReturnType<typeof spawn>;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [...cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', () => {
      reject(new Error(`exited before a line: ${stderr}`));
    });
  });
  // Commands that are meant to fail never print a line; their tests read `exit` instead.
  firstLine.catch(() => undefined);
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      resolve({ code, stderr });
    }),
  );
  return { child, firstLine, exit };
}

describe('defender-hub simulator', () => {
  it('should print exactly one ready line that a client can use as it is', async () => {
    const caFile = join(mkdtempSync(join(tmpdir(), 'dh-cli-')), 'ca.pem');
    const { child, firstLine, exit } = run([
      'simulator',
      '--machines',
      '25',
      '--seed',
      '2',
      '--ca-out',
      caFile,
    ]);
    try {
      const line = await firstLine;
      const ready = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(ready).sort()).toEqual(
        [
          'apiBaseUrl',
          'armBaseUrl',
          'authorityHost',
          'caFile',
          'clientId',
          'clock',
          'clientSecret',
          'event',
          'graphBaseUrl',
          'tenantId',
        ].sort(),
      );
      expect(ready.event).toBe('ready');
      expect(ready.caFile).toBe(caFile);
      // The command's default: a live clock at real pace.
      expect((JSON.parse(line) as { clock: unknown }).clock).toMatchObject({
        mode: 'live',
        speed: 1,
        epoch: 0,
      });
      expect(existsSync(caFile)).toBe(true);
      const client = createDefenderClient({
        tenantId: ready.tenantId!,
        clientId: ready.clientId!,
        credential: { type: 'secret', clientSecret: ready.clientSecret! },
        apiBaseUrl: ready.apiBaseUrl,
        authorityHost: ready.authorityHost,
        graphBaseUrl: ready.graphBaseUrl,
        caPem: readFileSync(caFile, 'utf8'),
      });
      let machines = 0;
      for await (const batch of client.machines.list()) machines += batch.items.length;
      await client.close();
      expect(machines).toBe(25);
    } finally {
      child.kill('SIGTERM');
      expect((await exit).code).toBe(0);
    }
  });

  it.each([
    [['simulator', '--machines', 'many'], /--machines.*expected a whole number/],
    [['simulator', '--faults', '429:2'], /429/],
    [['simulator', '--faults', 'meteor:0.1'], /meteor/],
    [['simulator', '--speed', '0'], /--speed.*expected a number above 0 and at most 86400/],
    [['simulator', '--clock', 'fast'], /--clock.*live, frozen/],
    [
      ['simulator', '--clock', 'frozen', '--speed', '2'],
      /--speed applies to --clock live only.*INVALID_INPUT/,
    ],
  ])('should refuse %j with one clear line', async (args, message) => {
    const { exit } = run(args);
    const { code, stderr } = await exit;
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
