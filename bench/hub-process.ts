import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shipped command (`bin/defender-hub.js` over `dist/`), so a benchmark measures what users run. */
const cli = fileURLToPath(new URL('../bin/defender-hub.js', import.meta.url));

export interface CliRun {
  readonly stdout: string;
  readonly ms: number;
  /** The process's peak resident set (the kernel's high-water mark), in MB. */
  readonly peakRssMb: number;
}

/** The kernel's record of a process's peak RSS: exact, where sampling from outside would miss short peaks. */
function highWaterMarkKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** A `defender-hub` process under way: its pid, and its wall time, stdout and peak RSS once it has exited. */
export interface StartedCli {
  readonly child: ChildProcess;
  readonly finished: Promise<CliRun>;
}

/**
 * Starts `defender-hub ARGS` in a process of its own. The high-water mark is read every 100 ms until the process
 * exits; it only ever grows, so the last reading is the peak up to then. `finished` fails on a non-zero exit.
 */
export function startCli(args: readonly string[], env: Record<string, string>): StartedCli {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakKb = 0;
  const timer = setInterval(() => {
    peakKb = Math.max(peakKb, highWaterMarkKb(child.pid ?? 0) ?? 0);
  }, 100);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = (async (): Promise<CliRun> => {
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', resolve);
      });
      if (code !== 0) throw new Error(`defender-hub ${args.join(' ')} exited with code ${String(code)}`);
    } finally {
      clearInterval(timer);
    }
    if (peakKb === 0) throw new Error('the peak RSS could not be read: this benchmark needs Linux /proc');
    return {
      stdout: Buffer.concat(chunks).toString('utf8'),
      ms: performance.now() - started,
      peakRssMb: Math.round(peakKb / 1024),
    };
  })();
  return { child, finished };
}

/** Runs `defender-hub ARGS` to its end and reports its wall time and peak RSS. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return startCli(args, env).finished;
}
