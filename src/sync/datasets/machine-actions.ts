import type { DefenderClient, MachineAction } from '../../defender/index.js';
import type { Batch } from '../../defender/index.js';
import type { Dataset } from '../dataset.js';
import { toActionRecord } from '../../actions/action-records.js';
import type { Repositories } from '../../store/index.js';

/** The machine actions it writes, and its cursor. */
export type MachineActionsDeps = Pick<Repositories, 'machineActions' | 'cursors'>;

const cursorName = 'machineActions';
/** Read again before the cursor: an action listed late (clock skew between Defender's nodes) is not missed. */
const overlapMs = 60 * 60_000;

/**
 * Stores the integration's machine actions created since `since` (all without it) that changed since last
 * stored, newest first as Defender lists them. Returns how many were read and written, and the newest creation
 * time seen. The one path by which both the sync and the hub's own action tracking learn of action states.
 */
export async function storeMachineActions(
  client: DefenderClient,
  repos: Pick<Repositories, 'machineActions'>,
  integrationId: string,
  since: string | undefined,
  options: {
    signal?: AbortSignal | undefined;
    onBatch?: (batch: Batch<MachineAction>, changed: number) => void;
  } = {},
): Promise<{ newest: string | undefined }> {
  let newest: string | undefined;
  for await (const batch of client.machineActions.list({
    ...(since === undefined ? {} : { filter: `creationDateTimeUtc ge ${since}` }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })) {
    const known = await repos.machineActions.lastUpdates(
      integrationId,
      batch.items.map((a) => a.id),
    );
    const now = new Date().toISOString();
    const changed = batch.items.filter(
      (a) => known.get(a.id) !== `${a.status ?? 'Unknown'}|${a.lastUpdateDateTimeUtc?.raw ?? ''}`,
    );
    await repos.machineActions.upsert(changed.map((a) => toActionRecord(a, integrationId, null, now)));
    for (const a of batch.items) {
      const created = a.creationDateTimeUtc;
      if (created != null && (newest === undefined || Date.parse(created.raw) > Date.parse(newest)))
        newest = created.raw;
    }
    options.onBatch?.(batch, changed.length);
  }
  return { newest };
}

/** `ge` takes the raw form; an ISO instant with seven fractional digits keeps it exact. */
function minus(timestamp: string, ms: number): string {
  const date = new Date(Date.parse(timestamp) - ms);
  return Number.isNaN(date.getTime()) ? timestamp : date.toISOString();
}

function earliest(a: string, b: string | undefined): string {
  return b !== undefined && Date.parse(b) < Date.parse(a) ? b : a;
}

/**
 * The tenant's machine actions, so actions made in the Defender portal or by other tools show too, and the
 * hub's own reach their final state even when no one was tracking them. Reads from the older of the cursor
 * (less an overlap) and the oldest action still under way: states change after creation.
 */
export const machineActionsDataset: Dataset<MachineActionsDeps> = {
  name: 'machineActions',
  enabled: (integration) => integration.imports.assets,
  async run(ctx) {
    const { integration, deps, counters } = ctx;
    const cursor = ctx.full ? undefined : await deps.cursors.get(integration.id, cursorName);
    const open = await deps.machineActions.oldestOpen(integration.id);
    const since = cursor === undefined ? undefined : earliest(minus(cursor, overlapMs), open);
    const { newest } = await storeMachineActions(ctx.client, deps, integration.id, since, {
      signal: ctx.signal,
      onBatch: (batch, changed) => {
        counters.read(batch);
        counters.upserted += changed;
        counters.skip('unchanged', batch.items.length - changed);
        ctx.progress(counters);
      },
    });
    if (newest !== undefined && (cursor === undefined || Date.parse(newest) > Date.parse(cursor)))
      await deps.cursors.set(integration.id, cursorName, newest, new Date().toISOString());
    return {
      complete: true,
      completeness: since === undefined ? 'all actions read' : `actions created since ${since} read`,
    };
  },
};
