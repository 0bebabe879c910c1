import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';
import { entraDeviceRow, type EntraDeviceRecord } from './entra-device-record.js';

/** The Entra ID devices of each integration, written a batch at a time by the entraDevices sync. */
export class EntraDevicesRepository extends Repository {
  /** One batch in one transaction; a device seen before keeps its first_synced_at. */
  async upsertBatch(devices: readonly EntraDeviceRecord[]): Promise<void> {
    if (devices.length === 0) return;
    const rows = devices.map(entraDeviceRow);
    await this.db
      .transaction()
      .execute((trx) =>
        upsertRows(trx, 'entra_devices', rows, ['integration_id', 'object_id'], ['first_synced_at']),
      );
  }

  async count(integrationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('entra_devices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Devices the run did not see: the candidates for removal. */
  async unseenCount(integrationId: string, runId: number): Promise<number> {
    const row = await this.db
      .selectFrom('entra_devices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('run_id', '!=', runId)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Deletes the devices the run did not see (the directory no longer lists them); returns how many. */
  async removeUnseen(integrationId: string, runId: number): Promise<number> {
    const result = await this.db
      .deleteFrom('entra_devices')
      .where('integration_id', '=', integrationId)
      .where('run_id', '!=', runId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
