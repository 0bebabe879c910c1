import type { EntraDevice } from '../../defender/index.js';
import { type Dataset, signalOption } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { writePages } from '../write-pages.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import type { EntraDeviceRecord, Repositories } from '../../store/index.js';

/** The devices it writes, and nothing else. */
export type EntraDevicesDeps = Pick<Repositories, 'entraDevices'>;

function toDeviceRecord(
  device: EntraDevice,
  integrationId: string,
  runId: number,
  now: string,
): EntraDeviceRecord {
  return {
    integrationId,
    objectId: device.id,
    // Lower case, as the join to endpoints compares it with lower(aad_device_id).
    deviceId: device.deviceId.toLowerCase(),
    displayName: device.displayName ?? null,
    operatingSystem: device.operatingSystem ?? null,
    operatingSystemVersion: device.operatingSystemVersion ?? null,
    trustType: device.trustType ?? null,
    isCompliant: storedFlag(device.isCompliant),
    isManaged: storedFlag(device.isManaged),
    lastSignInAt: device.approximateLastSignInDateTime?.date.toISOString() ?? null,
    accountEnabled: storedFlag(device.accountEnabled),
    registrationAt: device.registrationDateTime?.date.toISOString() ?? null,
    raw: storedRecordJson(device),
    runId,
    firstSyncedAt: now,
    lastSyncedAt: now,
  };
}

/**
 * Entra ID devices (Microsoft Graph `GET /v1.0/devices`, Device.Read.All), a batch at a time, for the endpoint ↔
 * device join by `aadDeviceId` and the list of devices never onboarded to Defender. After a complete run, devices
 * the directory no longer lists are deleted, within the removal bound. Without the permission only this run fails.
 */
export const entraDevicesDataset: Dataset<EntraDevicesDeps> = {
  name: 'entraDevices',
  // Its devices are the endpoints; it reads nothing of the findings, so it runs while they are read.
  after: ['machines'],
  enabled: (integration) => integration.imports.entraDevices,
  async run(ctx) {
    const { integration, client, deps, runId } = ctx;
    const previous = await deps.entraDevices.count(integration.id);
    await writePages(ctx, client.devices.list(signalOption(ctx)), async (items, now) => {
      await deps.entraDevices.upsertBatch(
        items.map((device) => toDeviceRecord(device, integration.id, runId, now)),
      );
      return items.length;
    });
    const { note } = await reconcile(ctx, {
      what: 'Entra ID devices',
      unseen: await deps.entraDevices.unseenCount(integration.id, runId),
      of: previous,
      remove: () => deps.entraDevices.removeUnseen(integration.id, runId),
    });
    return { complete: true, completeness: `all pages read; ${note}` };
  },
};
