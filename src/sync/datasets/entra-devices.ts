import type { EntraDevice } from '../../defender/index.js';
import type { Dataset } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import type { NewEntraDeviceRow, Repositories } from '../../store/index.js';

/** The devices it writes, and nothing else. */
export type EntraDevicesDeps = Pick<Repositories, 'entraDevices'>;

function toDeviceRow(
  device: EntraDevice,
  integrationId: string,
  runId: number,
  now: string,
): NewEntraDeviceRow {
  return {
    integration_id: integrationId,
    object_id: device.id,
    // Lower case, as the join to endpoints compares it with lower(aad_device_id).
    device_id: device.deviceId.toLowerCase(),
    display_name: device.displayName ?? null,
    operating_system: device.operatingSystem ?? null,
    operating_system_version: device.operatingSystemVersion ?? null,
    trust_type: device.trustType ?? null,
    is_compliant: storedFlag(device.isCompliant),
    is_managed: storedFlag(device.isManaged),
    last_sign_in_at: device.approximateLastSignInDateTime?.date.toISOString() ?? null,
    account_enabled: storedFlag(device.accountEnabled),
    registration_at: device.registrationDateTime?.date.toISOString() ?? null,
    raw: storedRecordJson(device),
    run_id: runId,
    first_synced_at: now,
    last_synced_at: now,
  };
}

/**
 * Entra ID devices (Microsoft Graph `GET /v1.0/devices`, Device.Read.All), a batch at a time, for the endpoint ↔
 * device join by `aadDeviceId` and the list of devices never onboarded to Defender. After a complete run, devices
 * the directory no longer lists are deleted, within the removal bound. Without the permission only this run fails.
 */
export const entraDevicesDataset: Dataset<EntraDevicesDeps> = {
  name: 'entraDevices',
  enabled: (integration) => integration.imports.entraDevices,
  async run(ctx) {
    const { integration, client, deps, runId, counters } = ctx;
    const previous = await deps.entraDevices.count(integration.id);
    for await (const batch of client.devices.list({
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    })) {
      const now = new Date().toISOString();
      counters.read(batch);
      const rows = batch.items.map((device) => toDeviceRow(device, integration.id, runId, now));
      await deps.entraDevices.upsertBatch(rows);
      counters.upserted += rows.length;
      ctx.progress(counters);
    }
    const { note } = await reconcile(ctx, {
      what: 'Entra ID devices',
      unseen: await deps.entraDevices.unseenCount(integration.id, runId),
      of: previous,
      remove: () => deps.entraDevices.removeUnseen(integration.id, runId),
    });
    return { complete: true, completeness: `all pages read; ${note}` };
  },
};
