import { hostname } from 'node:os';

/** This process, as a sync run records its runner. */
export const thisRunner = `${hostname()}:${String(process.pid)}`;

/**
 * Whether the process that started a run still runs it, as far as this host can tell. A run of this process
 * that is not in its in-memory set was cut off; a run of another host is left to that host's job lease (the
 * PostgreSQL queue hands a dataset to a second worker only once the first one's lease has lapsed).
 */
export function runnerAlive(runner: string | null): boolean {
  if (runner === null) return false;
  const at = runner.lastIndexOf(':');
  const pid = Number(runner.slice(at + 1));
  if (runner.slice(0, at) !== hostname() || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
