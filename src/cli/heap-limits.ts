/**
 * V8's heap limits, bounded for a hub that streams. Since Node.js 22, V8 sizes its heap from the host's memory: on a
 * 24 GB machine it lets the old generation fill with some 150 MB of garbage before a major collection and keeps
 * 64 MB semi-spaces, where a sync's live heap is about 50 MB. A 20,000-machine sync then peaks at 600 MB RSS
 * instead of 400. The limits are fixed when the process starts (`v8.setFlagsFromString` is too late for them), so
 * the launcher replaces its own process image with one started with bounded limits: same pid, same signals.
 */

/** The old generation's limit (MB) unless `HUB_HEAP_MB` says otherwise. */
export const defaultHeapMb = 1024;
/** 16 MB semi-spaces: Node 20's size. Larger ones bought no measurable speed in the sync benchmark. */
const semiSpaceMb = 16;
const minHeapMb = 256;
const maxHeapMb = 65_536;

const oldSpaceFlag = '--max-old-space-size';
const semiSpaceFlag = '--max-semi-space-size';

export type HeapFlags = { ok: true; flags: string[] } | { ok: false; error: string };

/** Whether the operator already chose a flag (on the command line or in NODE_OPTIONS): theirs wins. */
function chosen(flag: string, execArgv: readonly string[], nodeOptions: string): boolean {
  const named = (arg: string): boolean => arg === flag || arg.startsWith(`${flag}=`);
  return execArgv.some(named) || nodeOptions.split(/\s+/).some(named);
}

/** The flags to start Node with; empty when the process already runs with them or the operator chose their own. */
export function heapFlags(
  execArgv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): HeapFlags {
  const nodeOptions = env.NODE_OPTIONS ?? '';
  const text = env.HUB_HEAP_MB?.trim() ?? '';
  const heapMb = text === '' ? defaultHeapMb : Number(text);
  if (!/^\d+$/.test(text === '' ? '0' : text) || heapMb < minHeapMb || heapMb > maxHeapMb)
    return {
      ok: false,
      error: `HUB_HEAP_MB must be a whole number of megabytes from ${minHeapMb} to ${maxHeapMb} (default ${defaultHeapMb}), got "${text}"`,
    };
  const flags: string[] = [];
  if (!chosen(oldSpaceFlag, execArgv, nodeOptions)) flags.push(`${oldSpaceFlag}=${heapMb}`);
  if (!chosen(semiSpaceFlag, execArgv, nodeOptions)) flags.push(`${semiSpaceFlag}=${semiSpaceMb}`);
  return { ok: true, flags };
}

/**
 * Starts this command again, in place, with bounded heap limits; returns when there is nothing to do or the
 * platform cannot replace a process (Windows), where the hub runs with V8's own limits.
 */
export function relaunchWithHeapLimits(): void {
  const result = heapFlags(process.execArgv, process.env);
  if (!result.ok) {
    process.stderr.write(`defender-hub: ${result.error} [INVALID_INPUT]\n`);
    process.exit(1);
  }
  if (result.flags.length === 0 || typeof process.execve !== 'function' || process.platform === 'win32')
    return;
  process.execve(process.execPath, [
    process.execPath,
    ...result.flags,
    ...process.execArgv,
    ...process.argv.slice(1),
  ]);
}
