import type { Finding } from '../defender/index.js';
import type { NewFindingDeviceRow } from '../store/index.js';

type DeviceFacts = Pick<
  NewFindingDeviceRow,
  'device_name' | 'os_platform' | 'os_version' | 'rbac_group_name'
>;

/**
 * The devices of a findings run that are not endpoints, with what the export rows say of them (no machine record
 * may be readable: the token can lack Machine.Read.All): one entry per device with a vulnerability, looked up
 * once per run of its rows.
 */
export class UnimportedDevices {
  readonly #devices = new Map<string, DeviceFacts>();
  #last: string | undefined;

  /** Adds the device of a finding whose device is not an endpoint. */
  add(finding: Finding): void {
    if (finding.cveId == null || finding.deviceId === this.#last) return;
    this.#last = finding.deviceId;
    if (this.#devices.has(finding.deviceId)) return;
    this.#devices.set(finding.deviceId, {
      device_name: finding.deviceName ?? null,
      os_platform: finding.osPlatform ?? null,
      os_version: finding.osVersion ?? null,
      rbac_group_name: finding.rbacGroupName ?? null,
    });
  }

  get size(): number {
    return this.#devices.size;
  }

  *rows(integrationId: string, runId: number, now: string): Generator<NewFindingDeviceRow> {
    for (const [machineId, facts] of this.#devices)
      yield {
        integration_id: integrationId,
        machine_id: machineId,
        ...facts,
        last_run_id: runId,
        updated_at: now,
      };
  }
}
