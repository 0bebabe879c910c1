import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SimulatorProcess {
  readonly apiBaseUrl: string;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly armBaseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly caPem: string;
  readonly caFile: string;
  stop(): void;
}

/** The simulator in its own process, so a benchmark's RSS figures are the hub's alone. */
export async function startSimulatorProcess(
  machines: number,
  findingsPerMachine: number,
  subscriptions: number,
): Promise<SimulatorProcess> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'dh-bench-')), 'ca.pem');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'simulator',
      '--machines',
      String(machines),
      '--findings-per-machine',
      String(findingsPerMachine),
      '--seed',
      '7',
      '--subscriptions',
      String(subscriptions),
      '--ca-out',
      caFile,
      // Frozen, as the library's default: a benchmark's tenant must not change while it is measured.
      '--clock',
      'frozen',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as Record<string, string>;
    if (event.event !== 'ready') continue;
    return {
      apiBaseUrl: event.apiBaseUrl ?? '',
      authorityHost: event.authorityHost ?? '',
      graphBaseUrl: event.graphBaseUrl ?? '',
      armBaseUrl: event.armBaseUrl ?? '',
      tenantId: event.tenantId ?? '',
      clientId: event.clientId ?? '',
      clientSecret: event.clientSecret ?? '',
      caPem: readFileSync(caFile, 'utf8'),
      caFile,
      stop: () => child.kill('SIGTERM'),
    };
  }
  throw new Error('the simulator exited before it was ready');
}

/** Peak RSS while `work` runs, sampled every 50 ms. */
export async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      ms: performance.now() - started,
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576),
    };
  } finally {
    clearInterval(timer);
  }
}
