import { loadConfig } from '../app/config.js';
import { openHub, type Hub } from '../app/hub.js';
import { recordCommand } from './cli-audit.js';

/**
 * Opens the hub the environment configures, runs the command against it, records it in the audit log when it
 * changes something, and closes the hub whatever happens.
 */
export async function withHub<T>(run: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await openHub(loadConfig(process.env));
  try {
    const result = await run(hub);
    await recordCommand(hub.data.auditLog, undefined);
    return result;
  } catch (error) {
    await recordCommand(hub.data.auditLog, error).catch(() => undefined);
    throw error;
  } finally {
    await hub.close();
  }
}
