import type { PageRequest } from '../db/list-queries.js';
import { EntraDevicesRepository } from './entra-devices-repository.js';
import { listEntraDevices, type EntraDeviceFilter } from './entra-device-queries.js';

/** Entra ID devices: the sync's writes, and the list joined to the endpoints. */
export class EntraDevices extends EntraDevicesRepository {
  list(filter: EntraDeviceFilter, page: PageRequest) {
    return listEntraDevices(this.db, filter, page);
  }
}
