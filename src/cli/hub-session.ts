import { loadConfig } from '../app/config.js';
import { openHub, type Hub } from '../app/hub.js';

/** Opens the hub the environment configures, runs the command against it, and closes it whatever happens. */
export async function withHub<T>(run: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await openHub(loadConfig(process.env));
  try {
    return await run(hub);
  } finally {
    await hub.close();
  }
}
