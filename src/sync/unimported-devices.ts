import type { Finding } from '../defender/index.js';
import type { FindingDeviceRecord } from '../store/index.js';

type DeviceFacts = Pick<FindingDeviceRecord, 'deviceName' | 'osPlatform' | 'osVersion' | 'rbacGroupName'>;

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
      deviceName: finding.deviceName ?? null,
      osPlatform: finding.osPlatform ?? null,
      osVersion: finding.osVersion ?? null,
      rbacGroupName: finding.rbacGroupName ?? null,
    });
  }

  get size(): number {
    return this.#devices.size;
  }

  *records(integrationId: string, runId: number, now: string): Generator<FindingDeviceRecord> {
    for (const [machineId, facts] of this.#devices)
      yield { integrationId, machineId, ...facts, runId, updatedAt: now };
  }
}
