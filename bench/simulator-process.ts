import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PreparedExport } from '../src/simulator/http/prepared-exports.js';

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
  /** Moves the simulated clock on one step of `hours` (`POST /_sim/advance`). */
  advance(hours: number): Promise<void>;
  /** Writes the current snapshot's export files ahead of their download (`POST /_sim/exports/prepare`). */
  prepareExports(): Promise<PreparedExport>;
  stop(): void;
}

/** A POST to the simulator's control API, trusting its CA; resolves with the JSON answer. */
function post(url: string, caPem: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      { method: 'POST', ca: caPem, headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 200) resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          else reject(new Error(`${url}: HTTP ${String(response.statusCode)}`));
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** The simulator in its own process, so a benchmark's RSS figures are the hub's alone. */
export async function startSimulatorProcess(
  machines: number,
  findingsPerMachine: number,
  subscriptions: number,
  churn = 1,
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
      '--churn',
      String(churn),
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
      advance: async (hours) => {
        await post(`${event.apiBaseUrl ?? ''}/_sim/advance`, readFileSync(caFile, 'utf8'), { hours });
      },
      prepareExports: async () =>
        (await post(
          `${event.apiBaseUrl ?? ''}/_sim/exports/prepare`,
          readFileSync(caFile, 'utf8'),
          {},
        )) as PreparedExport,
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
