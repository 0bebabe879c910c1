import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { redactSecrets } from '../secrets/log-redaction.js';
import type { AuditLogRepository } from '../store/index.js';

/** The commands that change settings, credentials, users or machines: each run becomes an audit entry. */
const auditedCommands = new Set([
  'integrations add',
  'integrations update',
  'integrations enable',
  'integrations disable',
  'integrations remove',
  'users add',
  'users reset-password',
  'users remove',
  'secrets rotate-key',
  'action scan',
  'action isolate',
  'action release',
  'action collect',
  'action cancel',
  'strategies add',
  'strategies remove',
  'profiles add',
  'profiles remove',
  'hunt save',
  'hunt remove',
]);

interface Invocation {
  readonly name: string;
  readonly args: readonly string[];
  readonly options: Record<string, unknown>;
}

let current: Invocation | undefined;

/** Called before a command's action runs (commander's preAction hook): what to audit once it is done. */
export function noteCommand(command: Command): void {
  const names: string[] = [];
  for (let c = command; c.parent !== null; c = c.parent) names.unshift(c.name());
  const name = names.join(' ');
  current = auditedCommands.has(name)
    ? { name, args: command.args, options: command.opts<Record<string, unknown>>() }
    : undefined;
}

/** The entry of the command in progress, if it is audited; secret options (`--client-secret`) masked. */
export async function recordCommand(auditLog: AuditLogRepository, error: unknown): Promise<void> {
  if (current === undefined) return;
  const code = error === undefined ? undefined : ((error as { code?: unknown }).code ?? 'ERROR');
  await auditLog.append({
    at: new Date().toISOString(),
    actor: `cli:${userInfo().username}`,
    actorKind: 'cli',
    address: null,
    action: current.name,
    target: current.args[0] ?? null,
    outcome: error === undefined ? 'success' : 'failure',
    status: null,
    details: JSON.stringify(
      redactSecrets({
        args: current.args,
        options: current.options,
        ...(code === undefined ? {} : { error: code }),
      }),
    ),
  });
}
