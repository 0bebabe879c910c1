import type { Insertable, Kysely } from 'kysely';
import type { Database, FindingDevicesTable } from '../db/schema.js';
import { Repository } from '../db/repository.js';
import { upsertRows } from '../db/upsert.js';

/** A device of a findings run that is not an endpoint, with what the run's export rows say of it. */
export interface FindingDeviceRecord {
  readonly integrationId: string;
  /** Defender's device id. */
  readonly machineId: string;
  readonly deviceName: string | null;
  readonly osPlatform: string | null;
  readonly osVersion: string | null;
  readonly rbacGroupName: string | null;
  /** The findings run that saw it. */
  readonly runId: number;
  readonly updatedAt: string;
}

function toFindingDeviceRow(d: FindingDeviceRecord): Insertable<FindingDevicesTable> {
  return {
    integration_id: d.integrationId,
    machine_id: d.machineId,
    device_name: d.deviceName,
    os_platform: d.osPlatform,
    os_version: d.osVersion,
    rbac_group_name: d.rbacGroupName,
    last_run_id: d.runId,
    updated_at: d.updatedAt,
  };
}

/** How many devices with open vulnerability findings are not endpoints: of one integration, or of all. */
export async function countDevicesNotImported(
  db: Kysely<Database>,
  integrationId: string | undefined,
): Promise<number> {
  let query = db.selectFrom('finding_devices').select((eb) => eb.fn.countAll<number>().as('n'));
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  return (await query.executeTakeFirstOrThrow()).n;
}

/** The devices a findings run saw that are not endpoints, as the export described them. */
export class FindingDevicesRepository extends Repository {
  /** Of one integration, or of all. */
  count(integrationId: string | undefined): Promise<number> {
    return countDevicesNotImported(this.db, integrationId);
  }

  /**
   * Stores what a run saw of its devices, then removes every device of the integration left without an open
   * vulnerability finding of a device not imported: fixed since, or an endpoint now. One probe per device through
   * the findings' per-machine index, never a pass over the findings.
   */
  async replace(integrationId: string, devices: Iterable<FindingDeviceRecord>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      let chunk: Insertable<FindingDevicesTable>[] = [];
      for (const device of devices) {
        chunk.push(toFindingDeviceRow(device));
        if (chunk.length === 5000) {
          await upsertRows(trx, 'finding_devices', chunk, ['integration_id', 'machine_id']);
          chunk = [];
        }
      }
      await upsertRows(trx, 'finding_devices', chunk, ['integration_id', 'machine_id']);
      await trx
        .deleteFrom('finding_devices as d')
        .where('d.integration_id', '=', integrationId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('findings as f')
                .select('f.id')
                .whereRef('f.integration_id', '=', 'd.integration_id')
                .whereRef('f.machine_id', '=', 'd.machine_id')
                .where('f.status', '=', 'open')
                .where('f.cve_id', 'is not', null)
                .where('f.imported', '=', 0),
            ),
          ),
        )
        .execute();
    });
  }
}
