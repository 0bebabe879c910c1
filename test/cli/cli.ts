import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const cli = ['--import', 'tsx', 'src/cli/main.ts'];

/** A fresh data directory: the CLI's database and key file live there, as they would under ./data. */
export function dataDirEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'dh-cli-'));
  return { HUB_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'hub.db')}` };
}

function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // The parent's DATABASE_URL or data dir must never leak into a test's CLI.
  const { DATABASE_URL: _url, HUB_DATA_DIR: _dir, PORT: _port, ...rest } = process.env;
  return { ...rest, ...env };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** The first stdout line (a long-running command's ready line). */
  readonly firstLine: Promise<string>;
  readonly exit: Promise<CliResult>;
}

/** Starts the CLI with `input` (or nothing) on stdin, which is then closed: not a terminal. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, input?: string): RunningCli {
  const child = spawn(process.execPath, [...cli, ...args], {
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(input);
  const exit = new Promise<CliResult>((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exit.then((r) => {
      reject(new Error(`exited with ${r.code} before a line: ${r.stderr}`));
    });
  });
  // Commands that fail never print a line; their tests read `exit` instead.
  firstLine.catch(() => undefined);
  return { child, firstLine, exit };
}

/** Runs the CLI to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return startCli(args, env, input).exit;
}

/** The one-clear-line rule: a message with a code, no stack trace. */
export function expectOneClearLine(result: CliResult, message: RegExp): void {
  if (result.code === 0) throw new Error(`expected a failure, got exit 0: ${result.stdout}`);
  const lines = result.stderr.trimEnd().split('\n');
  if (lines.length !== 1) throw new Error(`expected one stderr line, got:\n${result.stderr}`);
  if (!/^defender-hub: .+ \[[A-Z_]+\]$/.test(lines[0]!))
    throw new Error(`not a clear line: ${result.stderr}`);
  if (!message.test(lines[0]!)) throw new Error(`expected ${String(message)} in: ${lines[0]!}`);
}

/**
 * `integrations add` flags for a simulator: its hosts, ids and CA file. The secret comes as a flag unless
 * `secret` says otherwise (`'stdin'` reads it from standard input).
 */
export function addIntegrationArgs(
  sim: {
    tenantId: string;
    clientId: string;
    clientSecret: string;
    apiBaseUrl: string;
    authorityHost: string;
    graphBaseUrl: string;
  },
  options: { name: string; caFile: string; secret?: string },
): string[] {
  const secret = options.secret ?? sim.clientSecret;
  return [
    'integrations',
    'add',
    '--name',
    options.name,
    '--tenant-id',
    sim.tenantId,
    '--client-id',
    sim.clientId,
    ...(secret === 'stdin' ? ['--client-secret-stdin'] : ['--client-secret', secret]),
    '--api-base-url',
    sim.apiBaseUrl,
    '--authority-host',
    sim.authorityHost,
    '--graph-base-url',
    sim.graphBaseUrl,
    '--ca-file',
    options.caFile,
  ];
}

/** A pino record as the hub's logger writes it. */
export interface LogRecord {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Each line as a log record: one that is not JSON, or lacks a level, time or message, fails. */
export function logRecords(lines: readonly string[]): LogRecord[] {
  return lines.map((line) => {
    const record = JSON.parse(line) as Partial<LogRecord> | null;
    if (
      typeof record?.level !== 'number' ||
      typeof record.time !== 'number' ||
      typeof record.msg !== 'string'
    )
      throw new Error(`not a log record: ${line}`);
    return record as LogRecord;
  });
}
